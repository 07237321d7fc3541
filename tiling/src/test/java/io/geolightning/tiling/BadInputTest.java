package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Crs;
import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoTransform;
import io.geolightning.geo.RasterDataType;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.RasterWriter;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.VectorTranslateOptions;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input fails with one line naming the file or value, the problem and the fix. */
class BadInputTest {
    @TempDir
    Path tmp;

    static final Path OLINDA = TestData.data("olinda/L7_ETMs.tif");
    static final Path OLINDA_SHP = TestData.data("olinda/olinda1.shp");

    private TilingConfig.Builder olinda() {
        return TilingConfig.builder().scenes(OLINDA).labels(LabelConfig.classification(OLINDA_SHP, "TIPO"))
                .chipSize(32).store(tmp.resolve("s.parquet")).workers(1);
    }

    private static String oneLine(Runnable r) {
        TilingException e = assertThrows(TilingException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void labelsThatMissTheRasterNameBothExtentsAndCrss() {
        String m = oneLine(() -> Tiler.run(olinda().labels(LabelConfig.classification(
                TestData.data("massachusetts/buildings_22978945_15.gpkg"), null)).build()));
        assertTrue(m.startsWith("buildings_22978945_15.gpkg: labels do not overlap raster L7_ETMs.tif"), m);
        assertTrue(m.contains("labels extent [229018") && m.contains("raster extent [") , m);
        assertTrue(m.contains("NAD83") && m.contains("31985"), m);
        assertFalse(Files.exists(tmp.resolve("s.parquet")), "nothing published");
    }

    /**
     * GeoJSON written in a projected CRS without a "crs" member (what ogr2ogr -f GeoJSON leaves when asked for no
     * reprojection) is read as WGS 84: the message says its coordinates cannot be degrees and how to rewrite it.
     */
    @Test
    void geoJsonInAProjectedCrsWithoutItsCrs() throws IOException {
        Path gpkg = TestData.data("massachusetts/buildings_22978945_15.gpkg");
        Path json = tmp.resolve("no-crs.geojson");
        Gdal.ensureInitialised();
        Dataset src = gdal.OpenEx(gpkg.toString(), gdalconstConstants.OF_VECTOR);
        gdal.VectorTranslate(json.toString(), src, new VectorTranslateOptions(new Vector<>(List.of("-f", "GeoJSON",
                "-lco", "RFC7946=NO")))).delete();
        src.delete();
        String text = Files.readString(json).replaceFirst("\"crs\":\\s*\\{[^}]*\\}\\s*\\},", "");
        Files.writeString(json, text);
        String m = oneLine(() -> Tiler.run(TilingConfig.builder().scenes(TestData.data("massachusetts/22978945_15.tif"))
                .labels(LabelConfig.segmentation(json, null)).chipSize(64).store(tmp.resolve("s.parquet")).build()));
        assertTrue(m.startsWith("no-crs.geojson: labels do not overlap raster 22978945_15.tif"), m);
        assertTrue(m.contains("its coordinates are not longitudes and latitudes") && m.contains("ogr2ogr -s_srs"), m);
        assertFalse(Files.exists(tmp.resolve("s.parquet")), "nothing published");
    }

    /**
     * Polygons in EPSG:4326 whose coordinates a naive writer stored latitude first miss the raster: the message says
     * they look swapped, since swapped they fall on it. Labels that miss it either way get no such hint.
     */
    @Test
    void latitudeFirstLabelsAreSaidToLookSwapped() {
        Path json = tmp.resolve("swapped.geojson");
        Gdal.ensureInitialised();
        org.gdal.ogr.DataSource shp = org.gdal.ogr.ogr.Open(OLINDA_SHP.toString());
        org.gdal.ogr.DataSource out = org.gdal.ogr.ogr.GetDriverByName("GeoJSON").CreateDataSource(json.toString());
        try {
            org.gdal.ogr.Layer in = shp.GetLayer(0);
            org.gdal.ogr.Layer l = out.CreateLayer("swapped", in.GetSpatialRef(), org.gdal.ogr.ogrConstants.wkbPolygon);
            l.CreateField(new org.gdal.ogr.FieldDefn("TIPO", org.gdal.ogr.ogrConstants.OFTString));
            for (org.gdal.ogr.Feature f = in.GetNextFeature(); f != null; f = in.GetNextFeature()) {
                org.gdal.ogr.Feature g = new org.gdal.ogr.Feature(l.GetLayerDefn());
                org.gdal.ogr.Geometry geometry = f.GetGeometryRef().Clone();
                geometry.SwapXY();
                g.SetGeometry(geometry);
                g.SetField("TIPO", f.GetFieldAsString("TIPO"));
                l.CreateFeature(g);
                g.delete();
                f.delete();
            }
        } finally {
            out.delete();
            shp.delete();
        }
        String m = oneLine(() -> Tiler.run(olinda().labels(LabelConfig.classification(json, "TIPO")).build()));
        assertTrue(m.startsWith("swapped.geojson: labels do not overlap raster L7_ETMs.tif"), m);
        assertTrue(m.contains("its coordinates look like latitude, longitude pairs, which swapped fall on the raster"),
                m);
        String far = oneLine(() -> Tiler.run(olinda().labels(LabelConfig.classification(
                TestData.data("massachusetts/buildings_22978945_15.gpkg"), null)).build()));
        assertFalse(far.contains("swapped"), far);
    }

    @Test
    void chipLargerThanTheRaster() {
        String m = oneLine(() -> Tiler.run(olinda().chipSize(512).build()));
        assertEquals("L7_ETMs.tif: chip size 512x512 is larger than the raster (349x352 pixels); use a chip size of"
                + " at most 349 or --edge pad (data.edge: pad)", m);
    }

    @Test
    void allNodataRaster() throws IOException {
        Path empty = tmp.resolve("empty.tif");
        RasterWindow zeros = RasterWindow.builder(RasterDataType.UINT8, 2, 100, 80).nodata(0, 0).build();
        RasterWriter.builder(empty).size(100, 80).bandCount(2).dataType(RasterDataType.UINT8)
                .crs(Crs.fromEpsg(31985)).geoTransform(GeoTransform.northUp(288000, 9120000, 30, 30)).nodata(0)
                .build().write(zeros);
        String m = oneLine(() -> Tiler.run(TilingConfig.builder().scenes(empty).chipSize(20)
                .store(tmp.resolve("e.parquet")).build()));
        assertTrue(m.startsWith("empty.tif: all 20 chips are more than 50% nodata"), m);
        assertTrue(m.contains("raise --max-nodata (data.maxNodata)"), m);
        assertFalse(Files.exists(tmp.resolve("e.parquet")));
    }

    @Test
    void unknownClassValueNamesTheValueAndTheKnownClasses() {
        String m = oneLine(() -> Tiler.run(olinda().labels(LabelConfig.classification(OLINDA_SHP, "TIPO")
                .withClassNames(List.of("URBANO", "AGUA"))).build()));
        assertEquals("olinda1.shp: field 'TIPO' holds value ['RURAL'] not among the known classes ['URBANO', 'AGUA'];"
                + " add it to the class names, or pass --unknown ignore", m);
        // class names in another case than the field's values: say so, and give them as the field spells them
        String c = oneLine(() -> Tiler.run(olinda().labels(LabelConfig.classification(OLINDA_SHP, "TIPO")
                .withClassNames(List.of("urbano", "rural"))).build()));
        assertEquals("olinda1.shp: field 'TIPO' holds values ['RURAL', 'URBANO'], the known classes ['urbano',"
                + " 'rural'] in another case; class names match the field's values exactly: pass --classes"
                + " URBANO,RURAL (data.classes)", c);
    }

    @Test
    void missingAttributeAndNonRasterScene() throws IOException {
        String m = oneLine(() -> Tiler.run(olinda().labels(LabelConfig.classification(OLINDA_SHP, "NOPE")).build()));
        assertTrue(m.contains("olinda1.shp") && m.contains("NOPE") && m.contains("TIPO"), m);
        Path txt = Files.writeString(tmp.resolve("notes.tif"), "hello");
        m = oneLine(() -> Tiler.run(olinda().scenes(txt).build()));
        assertTrue(m.contains("notes.tif") && m.contains("not a raster"), m);
    }

    @Test
    void corruptStoreThroughTheDataModule() throws IOException {
        Path store = tmp.resolve("small.parquet");
        Tiler.run(olinda().store(store).build());
        byte[] all = Files.readAllBytes(store);
        Files.write(store, Arrays.copyOf(all, all.length - 100));
        String m = oneLine(() -> new SatelliteDataModule(SatelliteDataModule.Config.store(store,
                LoaderConfig.builder().build())).prepareData());
        assertTrue(m.startsWith(store + ": not a readable Parquet chip store (is not a Parquet file"), m);
        assertTrue(m.endsWith("the file is truncated or corrupt, re-run tile with --overwrite to rebuild the store"),
                m);
    }

    @Test
    void tooFewBlocksForTheSplits() {
        String m = oneLine(() -> Tiler.run(olinda().split(SplitConfig.spatial(BlockGrid.mapUnits(1e7),
                SplitRatios.defaults(), 1)).build()));
        assertTrue(m.contains("only 1 block(s)") && m.contains("use smaller blocks (--block, data.block)"), m);
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(oneLine(() -> new SplitRatios(0.5, 0.5, 0.5)).startsWith("split ratios 0.5/0.5/0.5: must"));
        assertTrue(oneLine(() -> olinda().chipSize(0).build()).startsWith("chip size 0: must be at least 1"));
        assertTrue(oneLine(() -> olinda().maxNodataFraction(2).build()).startsWith("max nodata fraction 2.0"));
        assertTrue(oneLine(() -> new Region(5, 0, 1, 1, null)).startsWith("region [5.0, 0.0, 1.0, 1.0]"));
        assertTrue(oneLine(() -> ChipDataType.parse("complex64")).startsWith("dtype 'complex64': unknown"));
    }
}
