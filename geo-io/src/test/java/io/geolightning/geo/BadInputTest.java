package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input ends in a one-line GeoIOException naming the file, the problem and the fix. */
class BadInputTest {

    @TempDir
    Path tmp;

    @Test
    void missingFiles() {
        Path missing = tmp.resolve("nope.tif");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> GeoRaster.open(missing)),
                "nope.tif", "file not found", "check the path");
        Path missingShp = tmp.resolve("labels.shp");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> VectorSource.open(missingShp)),
                "labels.shp", "file not found");
    }

    @Test
    void textFileIsNotARasterNorAVector() throws IOException {
        Path txt = Files.writeString(tmp.resolve("notes.tif"), "this is not an image\n");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> GeoRaster.open(txt)),
                "notes.tif", "not a raster GDAL can read", "pass a GeoTIFF");
        Path csvish = Files.writeString(tmp.resolve("labels.gpkg"), "garbage garbage\n");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> VectorSource.open(csvish)),
                "labels.gpkg", "not a vector file GDAL can read");
        // a vector file is not a raster
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> GeoRaster.open(TestData.MASS_GPKG)),
                "buildings_22978945_15.gpkg", "not a raster");
    }

    @Test
    void truncatedTiffFailsCleanly() throws IOException {
        for (Path original : List.of(TestData.L7, TestData.MASS_TIF)) {
            byte[] all = Files.readAllBytes(original);
            Path cut = tmp.resolve("cut_" + original.getFileName());
            Files.write(cut, Arrays.copyOf(all, all.length / 2));
            GeoIOException e = assertThrows(GeoIOException.class, () -> {
                try (GeoRaster r = GeoRaster.open(cut)) {
                    r.readAll();
                }
            });
            TestData.assertOneLine(e, cut.getFileName().toString());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a raster"), e.getMessage());
        }
    }

    @Test
    void rasterWithoutCrsWhereOneIsNeeded() throws IOException {
        Path copy = tmp.resolve("nocrs.tif");
        Files.copy(TestData.L7, copy);
        TestData.run("gdal_edit.py", "-a_srs", "", copy.toString()); // GDAL 3.6: empty SRS unsets it
        try (GeoRaster r = GeoRaster.open(copy); VectorSource v = VectorSource.open(TestData.OLINDA_SHP)) {
            assertTrue(r.crs().isEmpty());
            TestData.assertOneLine(assertThrows(GeoIOException.class, r::requireCrs),
                    "nocrs.tif", "raster has no CRS", "gdal_edit.py -a_srs EPSG:");
            GeoIOException e = assertThrows(GeoIOException.class, () -> Rasterizer.rasterize(v,
                    RasterizeOptions.builder().build(), r));
            TestData.assertOneLine(e, "nocrs.tif", "raster has no CRS");
        }
        // georeferenced by ground control points only (a raw satellite product): warp it, says the message
        Path gcps = tmp.resolve("gcps.tif");
        TestData.run("gdal_translate", "-q", "-gcp", "0", "0", "229018", "894870", "-gcp", "1182", "0", "230199",
                "894870", "-gcp", "0", "901", "229018", "893970", "-a_srs", "EPSG:26986", TestData.MASS_TIF.toString(),
                gcps.toString());
        try (GeoRaster r = GeoRaster.open(gcps)) {
            assertTrue(r.crs().isEmpty() && !r.hasGeoTransform());
            TestData.assertOneLine(assertThrows(GeoIOException.class, r::requireCrs), "gcps.tif", "raster has no CRS",
                    "ground control points", "gdalwarp -t_srs EPSG:<code> gcps.tif out.tif");
        }
        // also one written by our own writer without CRS
        Path written = tmp.resolve("written_nocrs.tif");
        RasterWindow w = RasterWindow.builder(RasterDataType.UINT8, 1, 8, 8).build();
        RasterWriter.builder(written, w).build().write(w);
        try (GeoRaster r = GeoRaster.open(written)) {
            TestData.assertOneLine(assertThrows(GeoIOException.class, () -> RasterGrid.of(r)), "written_nocrs.tif",
                    "raster has no CRS");
        }
    }

    @Test
    void unknownLayerListsTheLayers() {
        GeoIOException e = assertThrows(GeoIOException.class, () -> VectorSource.open(TestData.NB_GPKG, "lakes"));
        TestData.assertOneLine(e, "BakerLake_2017_clipped.gpkg", "no layer 'lakes'", "BakerLake_2017",
                "pass one of these");
        try (VectorSource v = VectorSource.open(TestData.NB_GPKG, "BakerLake_2017")) {
            assertEquals(List.of("BakerLake_2017"), v.layerNames());
            assertEquals(43, v.featureCount());
        }
    }

    @Test
    void emptyLayerIsRefusedForRasterizing() {
        Path empty = tmp.resolve("empty.gpkg");
        TestData.run("ogr2ogr", "-f", "GPKG", "-where", "1=0", "-nln", "buildings", empty.toString(),
                TestData.MASS_GPKG.toString());
        try (VectorSource v = VectorSource.open(empty); GeoRaster img = GeoRaster.open(TestData.MASS_TIF)) {
            assertEquals(0, v.featureCount());
            assertTrue(v.features().isEmpty());
            GeoIOException e = assertThrows(GeoIOException.class,
                    () -> Rasterizer.rasterize(v, RasterizeOptions.builder().build(), img));
            TestData.assertOneLine(e, "empty.gpkg", "layer 'buildings' is empty", "pass a layer");
        }
    }

    /** Copies olinda1.shp with the sidecars of the given extensions into {@code folder}, renamed to {@code stem}. */
    private static Path copyShapefile(Path folder, String stem, String... exts) throws IOException {
        Files.createDirectories(folder);
        for (String ext : exts) {
            Path from = TestData.OLINDA_SHP.resolveSibling("olinda1." + ext.toLowerCase(java.util.Locale.ROOT));
            Files.copy(from, folder.resolve(stem + "." + ext));
        }
        return folder.resolve(stem + ".shp");
    }

    @Test
    void shapefileWithoutItsDbfSaysSo() throws IOException {
        Path shp = copyShapefile(tmp.resolve("nodbf"), "olinda1", "shp", "shx", "prj");
        try (VectorSource v = VectorSource.open(shp)) {
            GeoIOException e = assertThrows(GeoIOException.class, () -> v.requireField("TIPO"));
            TestData.assertOneLine(e, "olinda1.shp", ".dbf sidecar olinda1.dbf", "is missing",
                    "copy olinda1.dbf next to olinda1.shp");
            assertFalse(e.getMessage().contains("(fields: )"), e.getMessage());
        }
        // GDAL reads <stem>.DBF too, but not another case of the stem: that one is misnamed, not missing
        Path upper = copyShapefile(tmp.resolve("upper"), "olinda1", "shp", "shx", "DBF");
        try (VectorSource v = VectorSource.open(upper)) {
            v.requireField("TIPO");
        }
        Path misnamed = copyShapefile(tmp.resolve("misnamed"), "olinda1", "shp", "shx");
        Files.copy(TestData.OLINDA_SHP.resolveSibling("olinda1.dbf"), misnamed.resolveSibling("OLINDA1.dbf"));
        try (VectorSource v = VectorSource.open(misnamed)) {
            TestData.assertOneLine(assertThrows(GeoIOException.class, () -> v.requireField("TIPO")),
                    "olinda1.shp", "named OLINDA1.dbf", "rename it to olinda1.dbf");
        }
    }

    @Test
    void shapefileWithoutItsShxSaysSo() throws IOException {
        Path shp = copyShapefile(tmp.resolve("noshx"), "olinda1", "shp", "dbf", "prj");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> VectorSource.open(shp)), "olinda1.shp",
                ".shx sidecar olinda1.shx", "is missing", "copy olinda1.shx next to olinda1.shp");
    }

    @Test
    void missingLabelAttributeListsFields() {
        try (VectorSource v = VectorSource.open(TestData.OLINDA_SHP); GeoRaster img = GeoRaster.open(TestData.L7)) {
            GeoIOException e = assertThrows(GeoIOException.class, () -> Rasterizer.rasterize(v,
                    RasterizeOptions.builder().attribute("CLASSE").build(), img));
            TestData.assertOneLine(e, "olinda1.shp", "no field 'CLASSE'", "TIPO", "NM_BAIR", "label attribute");
            GeoIOException list = assertThrows(GeoIOException.class, () -> Rasterizer.rasterize(v.features(),
                    v.requireCrs(), RasterizeOptions.builder().attribute("CLASSE").build(), RasterGrid.of(img)));
            TestData.assertOneLine(list, "no field 'CLASSE'", "TIPO");
        }
    }

    /**
     * A label field asked of the first layer of a GeoPackage (an area of interest, no fields) that another layer
     * holds: the fix names that layer's --layer, where it said "(fields: ); pass one of these fields".
     */
    @Test
    void aFieldOfAnotherLayerNamesThatLayer() {
        Path gpkg = tmp.resolve("two-layers.gpkg");
        org.gdal.ogr.DataSource ds = org.gdal.ogr.ogr.GetDriverByName("GPKG").CreateDataSource(gpkg.toString());
        org.gdal.ogr.DataSource shp = org.gdal.ogr.ogr.Open(TestData.OLINDA_SHP.toString());
        try {
            org.gdal.ogr.Layer aoi = ds.CreateLayer("aoi", shp.GetLayer(0).GetSpatialRef(),
                    org.gdal.ogr.ogrConstants.wkbPolygon);
            org.gdal.ogr.Feature area = new org.gdal.ogr.Feature(aoi.GetLayerDefn());
            area.SetGeometry(org.gdal.ogr.Geometry.CreateFromWkt("POLYGON ((-34.9 -8, -34.85 -8, -34.85 -7.95,"
                    + " -34.9 -8))"));
            aoi.CreateFeature(area); // a GeoPackage lists an empty layer after those with features
            area.delete();
            ds.CopyLayer(shp.GetLayer(0), "tracts");
        } finally {
            shp.delete();
            ds.delete();
        }
        try (VectorSource v = VectorSource.open(gpkg)) {
            TestData.assertOneLine(assertThrows(GeoIOException.class, () -> v.requireField("TIPO")),
                    "layer 'aoi' has no field 'TIPO' (it has no fields)", "--layer tracts");
            TestData.assertOneLine(assertThrows(GeoIOException.class, () -> v.requireField("CLASSE")),
                    "has no field 'CLASSE'", "--label-field");
        }
    }

    /**
     * A VRT moved without its sources (gdalbuildvrt names them relative to the VRT), or whose absolute source is
     * gone, is refused when it is opened, naming the source and where it was looked for; it opened, and the first
     * pixel read failed as "probably truncated or corrupt: re-download or re-create it".
     */
    @Test
    void aVrtWhoseSourcesAreMissingSaysWhichOne() throws IOException {
        Path built = Files.createDirectories(tmp.resolve("built"));
        Path source = Files.copy(TestData.L7, built.resolve("scene.tif"));
        TestData.run("gdalbuildvrt", "-q", built.resolve("relative.vrt").toString(), source.toString());
        Path moved = Files.createDirectories(tmp.resolve("moved"));
        Path relative = Files.copy(built.resolve("relative.vrt"), moved.resolve("relative.vrt"));
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> GeoRaster.open(relative)), "relative.vrt",
                "its source scene.tif is missing", moved.resolve("scene.tif").toString(), "gdalbuildvrt");
        try (GeoRaster r = GeoRaster.open(built.resolve("relative.vrt"))) {
            assertEquals(6, r.readAll().bandCount(), "beside its source the VRT reads");
        }
        Path absolute = Files.writeString(tmp.resolve("absolute.vrt"), Files.readString(relative).replace(
                "relativeToVRT=\"1\">scene.tif<", "relativeToVRT=\"0\">" + source.toAbsolutePath() + "<"));
        try (GeoRaster r = GeoRaster.open(absolute)) {
            assertEquals(6, r.bandCount(), "an absolute source");
        }
        Files.delete(source);
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> GeoRaster.open(absolute)), "absolute.vrt",
                "its source " + source.toAbsolutePath() + " is missing", "restore the file");
    }

    /**
     * A path with a character outside Unicode's BMP (an emoji) reaches GDAL through its Java bindings as modified
     * UTF-8: the raster was "not a raster GDAL can read (No such file or directory)" though it exists, and a written
     * raster landed under a mangled name. Both are refused in one line naming the character, before GDAL runs.
     */
    @Test
    void pathsGdalCannotBeGivenAreRefusedNamingTheCharacter() throws IOException {
        Path tree = Files.copy(TestData.RGB, tmp.resolve("tree\uD83C\uDF33.tif"));
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> GeoRaster.open(tree)), "tree", "U+1F333",
                "rename the file");
        Path out = tmp.resolve("out\uD83C\uDF33.tif");
        try (GeoRaster rgb = GeoRaster.open(TestData.RGB)) {
            RasterWindow w = rgb.read(new PixelWindow(0, 0, 8, 8));
            TestData.assertOneLine(assertThrows(GeoIOException.class, () -> RasterWriter.builder(out, w).build()
                    .write(w)), "U+1F333");
        }
        try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(tree), files.toList(), "nothing written under another name");
        }
    }

    /**
     * A GeoPackage layer saved without a CRS gets one of the format's "undefined" CRSs (srs_id 0, which GDAL writes for
     * a Shapefile without its .prj, or -1): it is a layer without a CRS, refused as such with the ogr2ogr -a_srs fix.
     * It was read as a geographic CRS ("labels do not overlap ... not longitudes and latitudes") or as an engineering
     * one PROJ cannot transform.
     */
    @Test
    void aGeoPackageLayerOfUndefinedCrsHasNoCrs() {
        for (int srsId : new int[] {0, -1}) {
            Path gpkg = tmp.resolve("undefined" + srsId + ".gpkg");
            org.gdal.ogr.DataSource ds = org.gdal.ogr.ogr.GetDriverByName("GPKG").CreateDataSource(gpkg.toString());
            try {
                ds.CreateLayer("tracts", null, org.gdal.ogr.ogrConstants.wkbPolygon);
                ds.ExecuteSQL("UPDATE gpkg_geometry_columns SET srs_id = " + srsId);
                ds.ExecuteSQL("UPDATE gpkg_contents SET srs_id = " + srsId);
            } finally {
                ds.delete();
            }
            try (VectorSource v = VectorSource.open(gpkg)) {
                TestData.assertOneLine(assertThrows(GeoIOException.class, v::requireCrs), "undefined" + srsId
                        + ".gpkg", "layer 'tracts' has no CRS", "ogr2ogr -a_srs");
            }
        }
    }

    @Test
    void invalidGeometriesAreRepairedAndCounted() throws IOException {
        // a self-intersecting bow-tie and a valid square, in the Massachusetts raster CRS
        Path geojson = Files.writeString(tmp.resolve("bowtie.geojson"), """
                {"type":"FeatureCollection",
                 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::26986"}},
                 "features":[
                  {"type":"Feature","properties":{"cls":1},"geometry":{"type":"Polygon","coordinates":
                    [[[229100,894800],[229200,894700],[229200,894800],[229100,894700],[229100,894800]]]}},
                  {"type":"Feature","properties":{"cls":2},"geometry":{"type":"Polygon","coordinates":
                    [[[229400,894800],[229450,894800],[229450,894750],[229400,894750],[229400,894800]]]}}
                 ]}
                """);
        try (VectorSource v = VectorSource.open(geojson); GeoRaster img = GeoRaster.open(TestData.MASS_TIF)) {
            var features = v.features();
            assertEquals(2, features.size(), "nothing dropped");
            assertEquals(1, v.repairedGeometryCount());
            assertTrue(features.stream().allMatch(f -> f.geometry().isValid()));
            assertTrue(features.get(0).geometry().getArea() > 4000, "both triangles kept");
            v.features(); // reading again does not count twice
            assertEquals(1, v.repairedGeometryCount());
            RasterWindow mask = Rasterizer.rasterize(v, RasterizeOptions.builder().attribute("cls").build(), img);
            long ones = 0;
            for (byte b : mask.bytes()) {
                if (b == 1) {
                    ones++;
                }
            }
            assertTrue(ones > 4000, "bow-tie burnt: " + ones);
        }
    }

    @Test
    void badBandsAndValues() {
        try (GeoRaster r = GeoRaster.open(TestData.RGB)) {
            TestData.assertOneLine(assertThrows(GeoIOException.class, () -> r.read(new PixelWindow(0, 0, 4, 4), 4)),
                    "RGB.byte.tif", "has no band 4", "1..3");
        }
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> RasterizeOptions.builder()
                .burnValue(300).build()), "burn value 300.0", "UINT8");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> new RasterizeOptions("TIPO", null, 1.0, 0,
                null, false, null)), "attribute 'TIPO'", "burn value");
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> RasterWindow.fromBytes(new byte[10],
                RasterDataType.UINT16, 1, 2, 2)), "got 10, expected 8");
        GeoIOException closed = assertThrows(GeoIOException.class, () -> {
            GeoRaster r = GeoRaster.open(TestData.RGB);
            r.close();
            r.read(new PixelWindow(0, 0, 1, 1));
        });
        TestData.assertOneLine(closed, "RGB.byte.tif", "closed");
        assertFalse(Map.of().containsKey("x"));
    }
}
