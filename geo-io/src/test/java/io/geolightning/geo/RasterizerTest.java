package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

/** Rasterization checked against the real gdal_rasterize / ogr2ogr binaries. */
class RasterizerTest {

    @TempDir
    Path tmp;

    /** gdal_rasterize arguments that reproduce the grid of {@code r}. */
    private static List<String> gridArgs(GeoRaster r) {
        Envelope b = r.bounds();
        return List.of("-te", fmt(b.getMinX()), fmt(b.getMinY()), fmt(b.getMaxX()), fmt(b.getMaxY()),
                "-ts", String.valueOf(r.width()), String.valueOf(r.height()), "-ot", "Byte");
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.10f", v);
    }

    private static String[] cmd(List<String> head, List<String> grid, String... tail) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
        all.addAll(grid);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static long count(RasterWindow mask, int value) {
        long n = 0;
        for (byte b : mask.bytes()) {
            if ((b & 0xFF) == value) {
                n++;
            }
        }
        return n;
    }

    private static double agreement(RasterWindow a, RasterWindow b) {
        byte[] x = a.bytes();
        byte[] y = b.bytes();
        assertEquals(x.length, y.length);
        long same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return same / (double) x.length;
    }

    private static RasterWindow readBand1(Path p) {
        try (GeoRaster r = GeoRaster.open(p)) {
            return r.readAll(1);
        }
    }

    @Test
    void olindaTractsReprojectedAgreeWithGdalRasterize() {
        try (GeoRaster l7 = GeoRaster.open(TestData.L7); VectorSource tracts = VectorSource.open(TestData.OLINDA_SHP)) {
            assertTrue(tracts.requireCrs().isGeographic());
            assertEquals(470, tracts.featureCount());
            RasterizeOptions opts = RasterizeOptions.builder()
                    .classMap("TIPO", Map.of("URBANO", 1, "RURAL", 2)).build();
            RasterWindow mask = Rasterizer.rasterize(tracts, opts, l7);
            assertEquals(l7.width(), mask.width());
            assertEquals(1, mask.bandCount());
            assertEquals(31985, mask.crs().orElseThrow().epsg().orElseThrow());

            Path reprojected = tmp.resolve("olinda_31985.gpkg");
            TestData.run("ogr2ogr", "-t_srs", "EPSG:31985", "-f", "GPKG", reprojected.toString(),
                    TestData.OLINDA_SHP.toString());
            Path ref = tmp.resolve("ref.tif");
            TestData.run(cmd(List.of("gdal_rasterize", "-q", "-init", "0", "-burn", "1", "-where", "TIPO='URBANO'"),
                    gridArgs(l7), reprojected.toString(), ref.toString()));
            TestData.run("gdal_rasterize", "-q", "-b", "1", "-burn", "2", "-where", "TIPO='RURAL'",
                    reprojected.toString(), ref.toString());
            RasterWindow expected = readBand1(ref);
            for (int cls = 1; cls <= 2; cls++) {
                long ours = count(mask, cls);
                long theirs = count(expected, cls);
                assertTrue(theirs > 1000, "reference class " + cls + " has " + theirs + " px");
                double ratio = Math.min(ours, theirs) / (double) Math.max(ours, theirs);
                assertTrue(ratio >= 0.99, "class " + cls + ": ours " + ours + " vs gdal_rasterize " + theirs);
            }
            assertTrue(agreement(mask, expected) >= 0.99, "pixel agreement " + agreement(mask, expected));
        }
    }

    @Test
    void massachusettsBuildingsAgreeWithGdalRasterize() {
        try (GeoRaster img = GeoRaster.open(TestData.MASS_TIF); VectorSource b = VectorSource.open(TestData.MASS_GPKG)) {
            RasterWindow mask = Rasterizer.rasterize(b, RasterizeOptions.builder().burnValue(1).build(), img);
            Path ref = tmp.resolve("buildings.tif");
            TestData.run(cmd(List.of("gdal_rasterize", "-q", "-init", "0", "-burn", "1"), gridArgs(img),
                    TestData.MASS_GPKG.toString(), ref.toString()));
            RasterWindow expected = readBand1(ref);
            double agree = agreement(mask, expected);
            assertTrue(agree >= 0.995, "pixel agreement " + agree);
            assertTrue(count(mask, 1) > 10_000, "building pixels " + count(mask, 1));
        }
    }

    @Test
    void windowOfAGridRasterizesTheSamePixelsAsTheWholeGrid() {
        try (GeoRaster img = GeoRaster.open(TestData.MASS_TIF); VectorSource b = VectorSource.open(TestData.MASS_GPKG)) {
            RasterizeOptions opts = RasterizeOptions.builder().burnValue(1).allTouched(false).build();
            RasterWindow whole = Rasterizer.rasterize(b, opts, img);
            PixelWindow w = new PixelWindow(300, 200, 256, 256);
            RasterWindow part = Rasterizer.rasterize(b, opts, img, w);
            assertEquals(w, part.window());
            for (int y = 0; y < w.height(); y++) {
                for (int x = 0; x < w.width(); x++) {
                    assertEquals(whole.getDouble(0, w.x() + x, w.y() + y), part.getDouble(0, x, y));
                }
            }
            RasterWindow touched = Rasterizer.rasterize(b, RasterizeOptions.builder().allTouched(true).build(), img);
            assertTrue(count(touched, 1) > count(whole, 1));
        }
    }

    /**
     * Land-cover classes polygonized from a raster make polygons of tens of thousands of vertices with thousands of
     * holes, which each chip's rasterization clips to its window ({@link BoxClipper}): the chips' masks are still
     * gdal_rasterize's pixels of the whole grid, exactly, with and without all-touched, at the raster's edges too; and
     * the area of each polygon inside a window, from its clipped rings, is JTS's overlay's.
     */
    @Test
    void clippedPolygonsWithManyHolesBurnGdalRasterizesPixels() {
        Path classes = tmp.resolve("classes.tif");
        TestData.run("/usr/bin/python3", "/usr/bin/gdal_calc.py", "--quiet", "-A", TestData.RGB.toString(),
                "--A_band=1", "--calc=(A>0)*(1+(A>60))", "--type=Byte", "--NoDataValue=0",
                "--outfile=" + classes);
        Path polygons = tmp.resolve("classes.gpkg");
        TestData.run("/usr/bin/python3", "/usr/bin/gdal_polygonize.py", "-q", classes.toString(), "-f", "GPKG",
                polygons.toString(), "classes", "cls");
        try (GeoRaster img = GeoRaster.open(TestData.RGB); VectorSource labels = VectorSource.open(polygons)) {
            VectorFeature largest = labels.features().stream().max(java.util.Comparator.comparingInt(
                    f -> f.geometry().getNumPoints())).orElseThrow();
            org.locationtech.jts.geom.Polygon big = (org.locationtech.jts.geom.Polygon) largest.geometry();
            assertTrue(big.getNumPoints() > 10_000 && big.getNumInteriorRing() > 1_000, big.getNumPoints() + " points, "
                    + big.getNumInteriorRing() + " holes");
            for (boolean touched : new boolean[] {false, true}) {
                Path ref = tmp.resolve("ref-" + touched + ".tif");
                List<String> head = new java.util.ArrayList<>(List.of("gdal_rasterize", "-q", "-init", "0", "-a",
                        "cls"));
                if (touched) {
                    head.add("-at");
                }
                TestData.run(cmd(head, gridArgs(img), polygons.toString(), ref.toString()));
                RasterWindow expected = readBand1(ref);
                RasterizeOptions opts = RasterizeOptions.builder().attribute("cls").allTouched(touched).build();
                int clipped = 0;
                List<PixelWindow> windows = List.of(new PixelWindow(0, 0, 32, 32), new PixelWindow(300, 200, 64, 48),
                        new PixelWindow(img.width() - 40, img.height() - 40, 40, 40),
                        new PixelWindow(150, 610, 32, 32));
                for (PixelWindow w : windows) {
                    BoxClipper clipper = new BoxClipper(RasterGrid.of(img, w));
                    clipped += clipper.clip(big).getNumPoints() < big.getNumPoints() / 10 ? 1 : 0;
                    GeoTransform gt = RasterGrid.of(img, w).geoTransform();
                    Envelope box = new Envelope(gt.pixelToMap(0, 0), gt.pixelToMap(w.width(), w.height()));
                    org.locationtech.jts.geom.Geometry rect = big.getFactory().toGeometry(box);
                    for (VectorFeature f : labels.features(box)) {
                        double overlay = f.geometry().intersection(rect).getArea();
                        assertEquals(overlay, BoxClipper.areaInside(f.geometry(), box), 1e-9 * box.getArea(),
                                "area of feature " + f.fid() + " inside " + w);
                    }
                    RasterWindow part = Rasterizer.rasterize(labels, opts, img, w);
                    for (int y = 0; y < w.height(); y++) {
                        for (int x = 0; x < w.width(); x++) {
                            assertEquals(expected.getDouble(0, w.x() + x, w.y() + y), part.getDouble(0, x, y),
                                    "all-touched " + touched + ", window " + w + ", pixel " + x + "," + y);
                        }
                    }
                }
                assertEquals(4, clipped, "the largest polygon is clipped in every window");
            }
        }
    }

    @Test
    void newBrunswickKeepsIgnoreClass() {
        RasterizeOptions opts = RasterizeOptions.builder().attribute("Quatreclasses").ignoreValue(255).background(0)
                .build();
        long ignorePixels = 0;
        for (Path tif : List.of(TestData.NB_TIF_1, TestData.NB_TIF_2)) {
            try (GeoRaster img = GeoRaster.open(tif); VectorSource labels = VectorSource.open(TestData.NB_GPKG)) {
                RasterWindow mask = Rasterizer.rasterize(labels, opts, img);
                long[] hist = new long[256];
                for (byte v : mask.bytes()) {
                    hist[v & 0xFF]++;
                }
                for (int v = 5; v < 255; v++) {
                    assertEquals(0, hist[v], "unexpected class " + v);
                }
                ignorePixels += hist[255];
                Path ignoreRef = tmp.resolve("ignore.tif");
                TestData.run(cmd(List.of("gdal_rasterize", "-q", "-init", "0", "-burn", "1", "-where",
                        "Quatreclasses='255'"), gridArgs(img), TestData.NB_GPKG.toString(), ignoreRef.toString()));
                Path classRef = tmp.resolve("classes.tif");
                TestData.run(cmd(List.of("gdal_rasterize", "-q", "-init", "0", "-a", "Quatreclasses"), gridArgs(img),
                        TestData.NB_GPKG.toString(), classRef.toString()));
                byte[] ign = readBand1(ignoreRef).bytes();
                byte[] cls = readBand1(classRef).bytes();
                byte[] ours = mask.bytes();
                long agree = 0;
                for (int i = 0; i < ours.length; i++) {
                    if (ign[i] == 1) {
                        assertEquals(255, ours[i] & 0xFF, "pixel " + i + " of an ignore polygon");
                    }
                    if (ours[i] == cls[i]) {
                        agree++;
                    }
                }
                assertTrue(agree / (double) ours.length >= 0.99, tif + ": agreement " + agree / (double) ours.length);
                assertTrue(hist[1] + hist[2] + hist[3] + hist[4] > 0);
            }
        }
        assertTrue(ignorePixels > 1000, "ignore pixels " + ignorePixels);
    }

    @Test
    void rasterizesFeatureListsWithAnExplicitGrid() {
        try (GeoRaster l7 = GeoRaster.open(TestData.L7); VectorSource tracts = VectorSource.open(TestData.OLINDA_SHP)) {
            RasterGrid grid = new RasterGrid(100, 80, l7.geoTransform().forWindow(new PixelWindow(50, 60, 100, 80))
                    .scaled(1.0), l7.requireCrs());
            RasterizeOptions opts = RasterizeOptions.builder().classMap("TIPO", Map.of("URBANO", 1, "RURAL", 2))
                    .build();
            RasterWindow a = Rasterizer.rasterize(tracts.features(), tracts.requireCrs(), opts, grid);
            RasterWindow b = Rasterizer.rasterize(tracts, opts, l7, new PixelWindow(50, 60, 100, 80));
            assertEquals(1.0, agreement(a, b));
            RasterWindow c = Rasterizer.rasterize(tracts.features(), tracts.requireCrs(), opts, l7,
                    new PixelWindow(50, 60, 100, 80));
            assertEquals(new PixelWindow(50, 60, 100, 80), c.window());
            assertEquals(1.0, agreement(a, c));
            assertEquals(java.util.Set.of("RURAL", "URBANO"), tracts.distinctValues("TIPO"));
            Envelope ext = tracts.extent();
            assertEquals(-34.916923, ext.getMinX(), 1e-6);
            assertEquals(-7.954672, ext.getMaxY(), 1e-6);
        }
    }

    @Test
    void unmappedClassValuesAreListed() {
        try (GeoRaster l7 = GeoRaster.open(TestData.L7); VectorSource tracts = VectorSource.open(TestData.OLINDA_SHP)) {
            GeoIOException e = assertThrows(GeoIOException.class, () -> Rasterizer.rasterize(tracts,
                    RasterizeOptions.builder().classMap("TIPO", Map.of("URBANO", 1)).build(), l7));
            TestData.assertOneLine(e, "olinda1.shp", "TIPO", "RURAL", "class map");
            GeoIOException text = assertThrows(GeoIOException.class, () -> Rasterizer.rasterize(tracts,
                    RasterizeOptions.builder().attribute("TIPO").build(), l7));
            TestData.assertOneLine(text, "olinda1.shp", "holds text", "class map");
        }
    }
}
