package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Massachusetts scene (1182 x 901 px, EPSG:26986, 1 m) cut into four quadrant files with gdal_translate, the
 * fourth reprojected to EPSG:32619 at 1.2 m with gdalwarp: the catalog's mosaic on the first file's grid (the original
 * one, EPSG:26986 at 0.999 m) gives back the original raster, with a margin where the reprojected frame reaches out.
 */
class RasterMosaicTest {

    @TempDir
    Path tmp;

    static List<Path> quadrants(Path dir) {
        int w = 1182;
        int h = 901;
        int[][] q = {{0, 0, 591, 450}, {591, 0, w - 591, 450}, {0, 450, 591, h - 450}, {591, 450, w - 591, h - 450}};
        List<Path> out = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path f = dir.resolve("q" + (i + 1) + ".tif");
            TestData.run("gdal_translate", "-q", "-srcwin", "" + q[i][0], "" + q[i][1], "" + q[i][2], "" + q[i][3],
                    TestData.MASS_TIF.toString(), f.toString());
            out.add(f);
        }
        Path utm = dir.resolve("q4-utm19.tif");
        TestData.run("gdalwarp", "-q", "-t_srs", "EPSG:32619", "-tr", "1.2", "1.2", "-r", "bilinear",
                out.get(3).toString(), utm.toString());
        out.set(3, utm);
        return out;
    }

    @Test
    void fourQuadrantFilesOneReprojectedReadBackAsTheOriginalGrid() throws Exception {
        List<Path> files = quadrants(Files.createDirectories(tmp.resolve("tiles")));
        RasterCatalog catalog = RasterCatalog.expand(List.of(tmp.resolve("tiles") + "/q[123].tif",
                tmp.resolve("tiles/q4-utm19.tif").toString()));
        assertEquals(files.stream().map(GdalPath::of).toList(), catalog.files());
        try (RasterMosaic m = RasterMosaic.build(catalog, new TargetGrid(null, null, "bilinear"));
             GeoRaster region = GeoRaster.open(m.path()); GeoRaster original = GeoRaster.open(TestData.MASS_TIF)) {
            assertEquals(1, m.warpedCount(), "only the reprojected quadrant is warped");
            assertEquals(original.nodata(1), region.nodata(1), "the first raster's nodata (255)");
            assertEquals(26986, region.requireCrs().epsg().orElseThrow());
            double[] ga = original.geoTransform().toGdal();
            double[] gb = region.geoTransform().toGdal();
            assertEquals(ga[1], gb[1], 1e-12, "the original pixel size");
            double dx = (ga[0] - gb[0]) / ga[1];
            double dy = (ga[3] - gb[3]) / ga[5];
            assertEquals(Math.rint(dx), dx, 1e-6, "on the original grid lines");
            assertEquals(Math.rint(dy), dy, 1e-6);
            assertTrue(dx >= 0 && dy >= 0 && region.width() >= original.width() + dx
                    && region.height() >= original.height() + dy, "the mosaic covers the original");
            assertTrue(region.width() < original.width() * 1.05, "the reprojected quadrant's frame adds a margin only");
            RasterWindow a = original.readAll();
            RasterWindow b = region.read(new PixelWindow((int) Math.rint(dx), (int) Math.rint(dy), original.width(),
                    original.height()));
            int w = original.width();
            long zeroHoles = 0;
            double diff = 0;
            long n4 = 0;
            for (int band = 0; band < 3; band++) {
                for (int y = 0; y < original.height(); y++) {
                    for (int x = 0; x < w; x++) {
                        double va = a.getDouble(band, x, y);
                        double vb = b.getDouble(band, x, y);
                        if (x < 591 || y < 450) {
                            assertEquals(va, vb, "quadrants 1-3 are read unchanged, band " + band + " at " + x + "," + y);
                        } else {
                            diff += Math.abs(va - vb);
                            n4++;
                        }
                        if (vb == 0 && va != 0) {
                            zeroHoles++;
                        }
                    }
                }
            }
            assertEquals(0, zeroHoles, "no holes along the seams");
            assertTrue(diff / n4 < 12, "quadrant 4, resampled twice, stays close: mean |diff| " + diff / n4);
        }
        assertEquals(0, org.gdal.gdal.gdal.ReadDirRecursive("/vsimem/geolightning") == null ? 0
                : org.gdal.gdal.gdal.ReadDirRecursive("/vsimem/geolightning").size(), "closing frees the VRTs");
    }

    /**
     * The scene's south half stored south-up (rows flipped, positive pixel height; gdal.BuildVRT skips such a file)
     * beside its north half: the mosaic, with either first, gives back the scene's pixels exactly.
     */
    @Test
    void aSouthUpRasterIsTurnedNorthUpNotDropped() throws Exception {
        Path north = tmp.resolve("north.tif");
        Path south = tmp.resolve("south-up.tif");
        try (GeoRaster scene = GeoRaster.open(TestData.MASS_TIF)) {
            int w = scene.width();
            int half = scene.height() / 2;
            TestData.run("gdal_translate", "-q", "-srcwin", "0", "0", "" + w, "" + half, TestData.MASS_TIF.toString(),
                    north.toString());
            int rows = scene.height() - half;
            RasterWindow bottom = scene.read(new PixelWindow(0, half, w, rows));
            org.gdal.gdal.Dataset d = org.gdal.gdal.gdal.GetDriverByName("GTiff").Create(south.toString(), w, rows, 3);
            double[] gt = scene.geoTransform().toGdal();
            d.SetGeoTransform(new double[] {gt[0], gt[1], 0, gt[3] + gt[5] * scene.height(), 0, -gt[5]});
            d.SetProjection(scene.requireCrs().wkt());
            for (int b = 0; b < 3; b++) {
                byte[] flipped = new byte[w * rows];
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < w; x++) {
                        flipped[(rows - 1 - y) * w + x] = (byte) bottom.getDouble(b, x, y);
                    }
                }
                d.GetRasterBand(b + 1).WriteRaster(0, 0, w, rows, flipped);
            }
            d.delete();
            byte[] want = scene.readAll().bytes();
            for (List<Path> order : List.of(List.of(north, south), List.of(south, north))) {
                try (RasterMosaic m = RasterMosaic.build(RasterCatalog.of(order.stream().map(GdalPath::of).toList()),
                        TargetGrid.ofFirstRaster()); GeoRaster region = GeoRaster.open(m.path())) {
                    assertEquals(1, m.warpedCount(), "the south-up file is warped " + order);
                    assertEquals(w, region.width(), order.toString());
                    assertEquals(scene.height(), region.height(), order.toString());
                    assertTrue(region.geoTransform().pixelHeight() < 0, "north-up " + order);
                    assertArrayEquals(scene.geoTransform().toGdal(), region.geoTransform().toGdal(), 1e-6);
                    assertArrayEquals(want, region.readAll().bytes(), "the scene's pixels " + order);
                }
            }
        }
    }

    /**
     * Olinda's Landsat bands (no nodata declared, no zero pixel) cut into two overlapping halves of 1 to 6 bands, both
     * reprojected to UTM 24S: the warped frames' empty corners are never data, neither in the mosaic's own corners nor
     * over the other half (GDAL takes an alpha band for the mask of 2- or 4-band datasets only), for every band count.
     */
    @Test
    void warpedPartsOfAnyBandCountKeepTheirEmptyCornersOutOfTheData() throws Exception {
        int w;
        int h;
        try (GeoRaster l7 = GeoRaster.open(TestData.L7)) {
            assertTrue(l7.nodata(1).isEmpty(), "the masked path: no nodata declared");
            w = l7.width();
            h = l7.height();
        }
        Long valid = null;
        for (int bands : new int[] {3, 1, 2, 4, 5, 6}) {
            List<String> b = new java.util.ArrayList<>();
            for (int i = 1; i <= bands; i++) {
                b.addAll(List.of("-b", "" + i));
            }
            List<GdalPath> halves = new java.util.ArrayList<>();
            for (int[] win : new int[][] {{0, w / 2 + 30}, {w / 2 - 30, w - (w / 2 - 30)}}) {
                Path f = tmp.resolve("b" + bands + "-" + win[0] + ".tif");
                List<String> args = new java.util.ArrayList<>(List.of("gdal_translate", "-q", "-srcwin", "" + win[0],
                        "0", "" + win[1], "" + h));
                args.addAll(b);
                args.addAll(List.of(TestData.L7.toString(), f.toString()));
                TestData.run(args.toArray(String[]::new));
                halves.add(GdalPath.of(f));
            }
            try (RasterMosaic m = RasterMosaic.build(RasterCatalog.of(halves), new TargetGrid("EPSG:32724", null,
                    "nearest")); GeoRaster region = GeoRaster.open(m.path())) {
                assertEquals(2, m.warpedCount());
                RasterWindow all = region.readAll();
                boolean[] ok = all.validMask();
                long n = 0;
                long zeros = 0;
                for (int i = 0; i < ok.length; i++) {
                    if (ok[i]) {
                        n++;
                        boolean zero = true;
                        for (int band = 0; band < bands && zero; band++) {
                            zero = all.getDouble(band, i % all.width(), i / all.width()) == 0;
                        }
                        zeros += zero ? 1 : 0;
                    }
                }
                assertEquals(0, zeros, bands + " bands: valid pixels that are the warped frames' empty zeros");
                assertTrue(n < ok.length, bands + " bands: the rotated frame's corners are not data");
                if (valid == null) {
                    valid = n;
                }
                assertEquals(valid, n, bands + " bands: the data covers what it covers with 3 bands");
            }
        }
    }

    @Test
    void rastersOnTheFirstGridWithNonSquarePixelsAreReadAsTheyAre() throws Exception {
        Path west = tmp.resolve("west.tif");
        Path east = tmp.resolve("east.tif");
        try (GeoRaster rgb = GeoRaster.open(TestData.RGB)) {
            assertTrue(Math.abs(rgb.geoTransform().pixelSizeX() - rgb.geoTransform().pixelSizeY()) > 1e-3,
                    "RGB.byte.tif's pixels are not square");
            halves(TestData.RGB, west, east);
            try (RasterMosaic m = RasterMosaic.build(RasterCatalog.of(List.of(GdalPath.of(west), GdalPath.of(east))),
                    TargetGrid.ofFirstRaster()); GeoRaster region = GeoRaster.open(m.path())) {
                assertEquals(0, m.warpedCount(), "both halves are on the grid");
                assertEquals(rgb.width(), region.width());
                assertEquals(rgb.height(), region.height());
                assertArrayEquals(rgb.geoTransform().toGdal(), region.geoTransform().toGdal(), 1e-6);
                assertArrayEquals(rgb.readAll().bytes(), region.readAll().bytes());
            }
        }
    }

    /**
     * A region one of whose files is truncated fails in one line that names the region by its file name and the
     * damaged file, as GDAL gives it; it named the mosaic by GDAL's in-memory path ({@code /vsimem/geolightning/...}),
     * which no user has.
     */
    @Test
    void aDamagedFileOfARegionIsNamedNotTheInMemoryMosaic() throws Exception {
        Path west = tmp.resolve("w.tif");
        Path whole = tmp.resolve("e-whole.tif");
        Path east = tmp.resolve("e.tif");
        halves(TestData.RGB, west, whole, "-co", "TILED=YES");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(east, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // its header and half its tiles
        try (RasterMosaic m = RasterMosaic.build(RasterCatalog.of(List.of(GdalPath.of(west), GdalPath.of(east))),
                TargetGrid.ofFirstRaster()); GeoRaster region = GeoRaster.open(m.path())) {
            GeoIOException e = assertThrows(GeoIOException.class, region::readAll);
            TestData.assertOneLine(e, "e.tif", "the file GDAL names is probably truncated");
            assertTrue(e.getMessage().startsWith("w-region.vrt: cannot read pixels"), e.getMessage());
            assertFalse(e.getMessage().contains("/vsimem/"), e.getMessage());
        }
    }

    @Test
    void aMosaicOfRastersWithoutNodataDeclaresNone() throws Exception {
        Path west = tmp.resolve("l7-west.tif");
        Path eastUtm = tmp.resolve("l7-east.tif");
        Path east = tmp.resolve("l7-east-32725.tif");
        try (GeoRaster l7 = GeoRaster.open(TestData.L7)) {
            assertTrue(l7.nodata(1).isEmpty(), "L7_ETMs.tif declares no nodata");
            int w = l7.width();
            TestData.run("gdal_translate", "-q", "-srcwin", "0", "0", "" + w / 2, "" + l7.height(),
                    TestData.L7.toString(), west.toString());
            TestData.run("gdal_translate", "-q", "-srcwin", "" + w / 2, "0", "" + (w - w / 2), "" + l7.height(),
                    TestData.L7.toString(), eastUtm.toString());
        }
        TestData.run("gdalwarp", "-q", "-t_srs", "EPSG:32725", eastUtm.toString(), east.toString());
        try (RasterMosaic m = RasterMosaic.build(RasterCatalog.of(List.of(GdalPath.of(west), GdalPath.of(east))),
                TargetGrid.ofFirstRaster()); GeoRaster region = GeoRaster.open(m.path())) {
            assertEquals(1, m.warpedCount());
            assertTrue(region.nodata(1).isEmpty(), "0 stays data: the warped part's transparent 0 is not the mosaic's"
                    + " nodata");
        }
    }

    @Test
    void whereNoRasterWithoutNodataReachesTheMosaicIsMaskedNotZero() throws Exception {
        // the west and east thirds of L7_ETMs.tif (no nodata), the east one reprojected: the middle third and the
        // reprojected frame's corners are no data (GDAL's per-dataset mask), not zeros that look like data
        Path west = tmp.resolve("west.tif");
        Path eastSrc = tmp.resolve("east-src.tif");
        Path east = tmp.resolve("east-32725.tif");
        int w;
        int h;
        try (GeoRaster l7 = GeoRaster.open(TestData.L7)) {
            w = l7.width();
            h = l7.height();
            TestData.run("gdal_translate", "-q", "-srcwin", "0", "0", "" + w / 3, "" + h, TestData.L7.toString(),
                    west.toString());
            TestData.run("gdal_translate", "-q", "-srcwin", "" + 2 * w / 3, "0", "" + (w - 2 * w / 3), "" + h,
                    TestData.L7.toString(), eastSrc.toString());
        }
        TestData.run("gdalwarp", "-q", "-t_srs", "EPSG:32725", eastSrc.toString(), east.toString());
        try (RasterMosaic m = RasterMosaic.build(RasterCatalog.of(List.of(GdalPath.of(west), GdalPath.of(east))),
                TargetGrid.ofFirstRaster()); GeoRaster region = GeoRaster.open(m.path());
             GeoRaster l7 = GeoRaster.open(TestData.L7)) {
            assertEquals(6, region.bandCount(), "the warped part's alpha band is not a band of the mosaic");
            RasterWindow all = region.readAll();
            boolean[] valid = all.validMask();
            int rw = region.width();
            long westValid = 0;
            long middleValid = 0;
            long middle = 0;
            for (int y = 0; y < region.height(); y++) {
                for (int x = 0; x < rw; x++) {
                    if (x < w / 3) {
                        westValid += valid[y * rw + x] ? 1 : 0;
                    } else if (x >= w / 3 + 2 && x < 2 * w / 3 - 2) {
                        middle++;
                        middleValid += valid[y * rw + x] ? 1 : 0;
                    }
                }
            }
            assertEquals((long) (w / 3) * h, westValid, "the west third is all data");
            assertTrue(middle > 10_000, "a real gap: " + middle);
            assertEquals(0, middleValid, "the gap between the thirds is no data");
            long eastValid = 0;
            for (boolean v : valid) {
                eastValid += v ? 1 : 0;
            }
            eastValid -= westValid;
            assertTrue(eastValid > 0.95 * (w - 2 * w / 3) * h && eastValid < 1.05 * (w - 2 * w / 3) * h,
                    "the reprojected third's footprint is data: " + eastValid);
            RasterWindow src = l7.read(new PixelWindow(0, 0, w / 3, h));
            RasterWindow got = region.read(new PixelWindow(0, 0, w / 3, h));
            assertArrayEquals(src.bytes(), got.bytes(), "the west third's pixels");
            // a window cut from the mosaic keeps its mask
            try (RasterMosaic cut = RasterMosaic.crop(m.path(), new PixelWindow(w / 3 - 10, 0, 40, h));
                 GeoRaster c = GeoRaster.open(cut.path())) {
                boolean[] cv = c.readAll().validMask();
                assertTrue(cv[5] && !cv[30], "west of the gap data, inside it none");
            }
        }
    }

    @Test
    void globsFindFilesAsAShellWould() throws Exception {
        Path tiles = Files.createDirectories(tmp.resolve("tiles/sub"));
        for (Path f : List.of(tmp.resolve("tiles/a.tif"), tiles.resolve("b.tif"), tmp.resolve("tiles/c[1].tif"))) {
            Files.writeString(f, "");
        }
        assertEquals(List.of(GdalPath.of(tmp.resolve("tiles/a.tif")), GdalPath.of(tmp.resolve("tiles/c[1].tif")),
                GdalPath.of(tiles.resolve("b.tif"))), RasterCatalog.expand(List.of(tmp + "/tiles/**/*.tif")).files(),
                "** also matches the top folder");
        assertEquals(List.of(GdalPath.of(tmp.resolve("tiles/c[1].tif"))),
                RasterCatalog.expand(List.of(tmp + "/tiles/c[1].tif")).files(), "an existing name is not a pattern");
    }

    @Test
    void catalogsNameWhatIsWrong() throws Exception {
        GeoIOException e = assertThrows(GeoIOException.class, () -> RasterCatalog.expand(List.of(tmp + "/*.tif")));
        assertTrue(e.getMessage().startsWith(tmp + "/*.tif: the pattern matches no file"), e.getMessage());
        e = assertThrows(GeoIOException.class, () -> RasterCatalog.expand(List.of(TestData.RGB.toString(),
                TestData.L7.toString())).check());
        assertTrue(e.getMessage().startsWith(TestData.L7 + ": 6 bands of UINT8 but RGB.byte.tif has 3 of UINT8;"),
                e.getMessage());
        Path b1 = tmp.resolve("b1.tif");
        Path b2 = tmp.resolve("b2-uint16.tif");
        TestData.run("gdal_translate", "-q", "-b", "1", TestData.RGB.toString(), b1.toString());
        TestData.run("gdal_translate", "-q", "-b", "2", "-ot", "UInt16", TestData.RGB.toString(), b2.toString());
        e = assertThrows(GeoIOException.class, () -> RasterMosaic.stack(RasterCatalog.of(List.of(GdalPath.of(b1),
                GdalPath.of(b2))), TargetGrid.ofFirstRaster()));
        assertTrue(e.getMessage().startsWith(b2 + ": UINT16 but b1.tif is UINT8; stack bands of one data type"),
                e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(GeoIOException.class, () -> RasterCatalog.expand(List.of(empty.toString())));
        assertTrue(e.getMessage().startsWith(empty + ": the folder holds no raster file"), e.getMessage());
    }

    /** Cuts {@code source} into a west and an east half with gdal_translate, the east one with {@code eastOptions}. */
    private static void halves(Path source, Path west, Path east, String... eastOptions) {
        try (GeoRaster r = GeoRaster.open(source)) {
            int w = r.width();
            TestData.run("gdal_translate", "-q", "-srcwin", "0", "0", "" + w / 2, "" + r.height(), source.toString(),
                    west.toString());
            List<String> cut = new java.util.ArrayList<>(List.of("gdal_translate", "-q", "-srcwin", "" + w / 2, "0",
                    "" + (w - w / 2), "" + r.height()));
            cut.addAll(List.of(eastOptions));
            cut.addAll(List.of(source.toString(), east.toString()));
            TestData.run(cut.toArray(String[]::new));
        }
    }
}
