package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.labels.LabelSet;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.locationtech.jts.geom.Envelope;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels that are not usable polygons fail with one line naming the file, the problem and the fix. */
class LabelGeometryTest {
    static final Path OLINDA = TestData.data("olinda/L7_ETMs.tif");

    @TempDir
    Path tmp;

    private static String oneLine(Runnable r) {
        TilingException e = assertThrows(TilingException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    /** {@code n} geometries spread over the Olinda scene: points, or 2 km lines. */
    private static List<String> spread(int n, boolean lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = LabelLayers.OLINDA_X - 4000 + 400 * i;
            double y = LabelLayers.OLINDA_Y - 4000 + 400 * i;
            out.add(lines ? String.format(Locale.ROOT, "LINESTRING (%f %f, %f %f)", x, y, x + 2000, y)
                    : String.format(Locale.ROOT, "POINT (%f %f)", x, y));
        }
        return out;
    }

    private TilingConfig.Builder olinda(LabelConfig labels) {
        return TilingConfig.builder().scenes(OLINDA).labels(labels).chipSize(32).workers(1)
                .store(tmp.resolve("chips.parquet"));
    }

    @Test
    void pointLabelsAreRefusedForClassification() {
        Path points = LabelLayers.write(tmp.resolve("wells.gpkg"), "wells", 31985, "kind", ogrConstants.OFTString,
                spread(20, false), java.util.Collections.nCopies(20, "well"));
        String m = oneLine(() -> Tiler.run(olinda(LabelConfig.classification(points, "kind")).build()));
        assertEquals("wells.gpkg: layer 'wells' holds 20 points (of 20 features), but labels must be polygons; pass a"
                + " polygon layer with --labels (buffer points or lines into polygons first, e.g. with ST_Buffer in"
                + " ogr2ogr -dialect SQLite)", m);
        assertFalse(Files.exists(tmp.resolve("chips.parquet")), "nothing published");
    }

    @Test
    void lineLabelsAreRefusedForSegmentation() {
        Path roads = LabelLayers.write(tmp.resolve("roads.gpkg"), "roads", 31985, "kind", ogrConstants.OFTString,
                spread(20, true), java.util.Collections.nCopies(20, "road"));
        String m = oneLine(() -> Tiler.run(olinda(LabelConfig.segmentation(roads, "kind")).build()));
        assertTrue(m.startsWith("roads.gpkg: layer 'roads' holds 20 lines (of 20 features), but labels must be"
                + " polygons; pass a polygon layer with --labels"), m);
    }

    @Test
    void mixedLayersNameBothKinds() {
        List<String> wkts = new ArrayList<>(spread(2, false));
        wkts.addAll(spread(1, true));
        wkts.add(LabelLayers.olindaSquare(0, 0, 3000));
        Path mixed = LabelLayers.write(tmp.resolve("mixed.gpkg"), "mixed", 31985, "kind", ogrConstants.OFTString,
                wkts, List.of("a", "a", "b", "c"));
        String m = oneLine(() -> LabelSet.load(LabelConfig.classification(mixed, "kind")));
        assertTrue(m.startsWith("mixed.gpkg: layer 'mixed' holds 2 points and 1 line (of 4 features), but labels must"
                + " be polygons"), m);
    }

    @Test
    void missingDbfOfShapefileLabelsSaysSo() throws IOException {
        Path shp = TestData.data("olinda/olinda1.shp");
        for (String ext : new String[] {"shp", "shx", "prj"}) {
            Files.copy(shp.resolveSibling("olinda1." + ext), tmp.resolve("olinda1." + ext));
        }
        String m = oneLine(() -> Tiler.run(olinda(LabelConfig.classification(tmp.resolve("olinda1.shp"), "TIPO"))
                .build()));
        assertTrue(m.contains("olinda1.shp: layer 'olinda1' has no fields because its .dbf sidecar olinda1.dbf"), m);
        assertTrue(m.contains("is missing; copy olinda1.dbf next to olinda1.shp"), m);
    }

    /**
     * A geometry collection labels with its polygons: tiling it for classification failed on JTS's overlay ("Operation
     * does not support GeometryCollection arguments", a stack trace), and a segmentation mask burnt its line, a
     * one-pixel trace of the class across the scene. Its polygons may overlap; they count once.
     */
    @Test
    void geometryCollectionsLabelWithTheirPolygonsOnly() {
        String line = String.format(Locale.ROOT, "LINESTRING (%f %f, %f %f)", LabelLayers.OLINDA_X - 4500,
                LabelLayers.OLINDA_Y + 4000, LabelLayers.OLINDA_X + 4500, LabelLayers.OLINDA_Y + 4000);
        String withLine = "GEOMETRYCOLLECTION (" + LabelLayers.olindaSquare(-2000, 0, 1800) + ", " + line + ")";
        String twoPolygons = "GEOMETRYCOLLECTION (" + LabelLayers.olindaSquare(2000, 0, 1800) + ", "
                + LabelLayers.olindaSquare(2400, 0, 1800) + ")";
        Path layer = LabelLayers.write(tmp.resolve("collections.gpkg"), "collections", 31985, "kind",
                ogrConstants.OFTString, List.of(withLine, twoPolygons), List.of("a", "b"));
        TilingResult classes = Tiler.run(olinda(LabelConfig.classification(layer, "kind")).build());
        assertTrue(classes.written() > 0, "chips labelled by the collections' polygons");
        Path masks = tmp.resolve("masks.parquet");
        Tiler.run(olinda(LabelConfig.segmentation(layer, "kind")).store(masks).build());
        long onLineRow = 0;
        long classB = 0;
        double lineY = LabelLayers.OLINDA_Y + 4000;
        for (ChipRow r : rows(masks)) {
            for (int p = 0; p < r.mask().length; p++) {
                int v = r.mask()[p] & 0xFF;
                double y = r.maxy() - (p / r.width() + 0.5) * (r.maxy() - r.miny()) / r.height();
                onLineRow += v == 1 && Math.abs(y - lineY) < 30 ? 1 : 0;
                classB += v == 2 ? 1 : 0;
            }
        }
        assertEquals(0, onLineRow, "the line of the first collection is not burnt");
        // the union of the two squares, 2200 x 1800 m, in 28.5 m pixels: about 4875 pixels
        assertEquals(2200 * 1800 / (28.5 * 28.5), classB, 150);
    }

    /**
     * Where polygons of two classes overlap, the mask is gdal_rasterize's: the feature read later wins. The layer's
     * reading order decides, not the FIDs, which a GeoJSON file's "id" members set (here 9 before 3).
     */
    @Test
    void overlapsBurnInTheLayersOrderAsGdalRasterizeDoes() throws Exception {
        Path json = tmp.resolve("ids.geojson");
        Files.writeString(json, "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\":"
                + " {\"name\": \"urn:ogc:def:crs:EPSG::31985\"}}, \"features\": [" + feature(9, "A", 0)
                + ", " + feature(3, "B", 800) + "]}");
        Path store = tmp.resolve("ids.parquet");
        Tiler.run(olinda(LabelConfig.segmentation(json, "cls")).store(store).build());
        Path ref = tmp.resolve("ref.tif");
        try (GeoRaster r = GeoRaster.open(OLINDA)) {
            Envelope b = r.bounds();
            RasterLabelsTest.run("gdal_rasterize", "-q", "-dialect", "SQLite", "-sql",
                    "SELECT geometry, CASE cls WHEN 'A' THEN 1 ELSE 2 END AS id FROM ids", "-a", "id", "-init", "0",
                    "-ot", "Byte", "-te", "" + b.getMinX(), "" + b.getMinY(), "" + b.getMaxX(), "" + b.getMaxY(),
                    "-ts", "" + r.width(), "" + r.height(), json.toString(), ref.toString());
        }
        byte[] expected;
        int width;
        try (GeoRaster r = GeoRaster.open(ref)) {
            expected = r.readAll(1).bytes();
            width = r.width();
        }
        long b = 0;
        for (ChipRow row : rows(store)) {
            for (int y = 0; y < row.height(); y++) {
                for (int x = 0; x < row.width(); x++) {
                    int ours = row.mask()[y * row.width() + x];
                    assertEquals(expected[(row.y() + y) * width + row.x() + x], ours, row.chipId() + " " + x + "," + y);
                    b += ours == 2 ? 1 : 0;
                }
            }
        }
        assertEquals(3000 * 3000 / (28.5 * 28.5), b, 300, "B, read last, keeps its whole square");
    }

    private static String feature(int id, String cls, double shift) {
        io.geolightning.geo.Gdal.ensureInitialised();
        return "{\"type\": \"Feature\", \"id\": " + id + ", \"properties\": {\"cls\": \"" + cls + "\"},"
                + " \"geometry\": " + org.gdal.ogr.Geometry.CreateFromWkt(LabelLayers.olindaSquare(shift, shift, 3000))
                .ExportToJson() + "}";
    }

    private static List<ChipRow> rows(Path store) {
        List<ChipRow> out = new ArrayList<>();
        ChipStoreReader.open(store).forEach(out::add);
        return out;
    }
}
