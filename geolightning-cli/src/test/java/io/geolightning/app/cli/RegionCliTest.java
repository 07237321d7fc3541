package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Crs;
import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterWindow;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.geolightning.foundation.testing.Quadrants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

/**
 * A region of four files: the Massachusetts scene cut into quadrants with gdal_translate, the fourth reprojected to
 * EPSG:32619 at 1.2 m with gdalwarp. Tiled and predicted as one region on the first file's grid (the original one),
 * it gives what the original file gives.
 */
class RegionCliTest {

    static final Path SCENE = CliRun.data("massachusetts/22978945_15.tif");
    static final Path BUILDINGS = CliRun.data("massachusetts/buildings_22978945_15.gpkg");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void quadrants() throws Exception {
        Quadrants.cut(SCENE, tmp.resolve("tiles"));
    }

    private static void gdal(String... cmd) throws IOException, InterruptedException {
        Quadrants.gdal(cmd);
    }

    private static long buildingPixels(Path store) {
        long[] n = {0};
        ChipStoreReader.open(store).forEach(r -> {
            for (byte b : r.mask()) {
                n[0] += b == 1 ? 1 : 0;
            }
        });
        return n[0];
    }

    @Test
    void theFourFileRegionTilesLikeTheOriginalScene() throws Exception {
        Path orig = tmp.resolve("orig-chips");
        Path region = tmp.resolve("region-chips");
        List<Object> common = List.of("--labels", BUILDINGS, "--mode", "segmentation", "--chip", 64, "--edge", "pad",
                "--max-nodata", 1, "--split", "none");
        List<Object> a = new ArrayList<>(List.of("tile", "--raster", SCENE));
        a.addAll(common);
        a.addAll(List.of("--out", orig));
        CliRun r = CliRun.of(a.toArray());
        assertEquals(0, r.code(), r.err());
        List<Object> b = new ArrayList<>(List.of("tile", "--raster", tmp.resolve("tiles") + "/q[123].tif", "--raster",
                tmp.resolve("tiles/q4-utm19.tif")));
        b.addAll(common);
        b.addAll(List.of("--out", region));
        r = CliRun.of(b.toArray());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tiled 4 rasters with buildings_22978945_15.gpkg into "), r.out());

        long expected = buildingPixels(orig);
        long got = buildingPixels(region);
        assertTrue(expected > 10_000, "buildings present: " + expected);
        assertTrue(Math.abs(got - expected) <= 0.01 * expected, "building pixels " + got + " vs " + expected);

        // chips along the seams: no pixel is empty where the scene has data
        long holes = 0;
        long checked = 0;
        try (GeoRaster scene = GeoRaster.open(SCENE)) {
            double[] gt = scene.geoTransform().toGdal();
            for (ChipRow c : rows(region)) {
                int x0 = (int) Math.round((c.minx() - gt[0]) / gt[1]);
                int y0 = (int) Math.round((c.maxy() - gt[3]) / gt[5]);
                boolean nearSeam = Math.abs(x0 + 32 - 591) < 96 || Math.abs(y0 + 32 - 450) < 96;
                if (!nearSeam || x0 < 0 || y0 < 0 || x0 + 64 > scene.width() || y0 + 64 > scene.height()) {
                    continue;
                }
                RasterWindow s = scene.read(new PixelWindow(x0, y0, 64, 64));
                byte[] px = c.pixels();
                for (int i = 0; i < 64 * 64; i++) {
                    boolean empty = px[i] == 0 && px[4096 + i] == 0 && px[8192 + i] == 0;
                    boolean data = s.getDouble(0, i % 64, i / 64) != 0 || s.getDouble(1, i % 64, i / 64) != 0;
                    holes += empty && data ? 1 : 0;
                    checked++;
                }
            }
        }
        assertTrue(checked > 20 * 4096, "seam chips checked: " + checked);
        assertEquals(0, holes, "no holes along the seams");
    }

    @Test
    void theFourFileRegionPredictsLikeTheOriginalScene() throws Exception {
        Path chips = tmp.resolve("train-chips");
        CliRun t = CliRun.of("tile", "--raster", SCENE, "--labels", BUILDINGS, "--mode", "segmentation", "--chip", 64,
                "--split", "random", "--val", 0.2, "--test", 0, "--out", chips);
        assertEquals(0, t.code(), t.err());
        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n",
                "name: ma", "runs: " + tmp.resolve("runs"), "seed: 7",
                "model: {architecture: unet, options: {width: 8, depth: 2}}",
                "data: {chips: " + chips + ", batchSize: 16}",
                "trainer: {maxEpochs: 2, numSanityValSteps: 0}",
                "callbacks: {earlyStopping: {enabled: false}}", ""));
        CliRun train = CliRun.of("train", "--config", yaml);
        assertEquals(0, train.code(), train.err());
        Path ckpt = tmp.resolve("runs/ma/version_0/checkpoints/last.ckpt");
        Path fromScene = tmp.resolve("scene-classes.tif");
        Path fromRegion = tmp.resolve("region-classes.tif");
        CliRun a = CliRun.of("predict", "--checkpoint", ckpt, "--raster", SCENE, "--out", fromScene);
        assertEquals(0, a.code(), a.err());
        CliRun b = CliRun.of("predict", "--checkpoint", ckpt, "--raster", tmp.resolve("tiles"), "--out", fromRegion);
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().startsWith("classified 4 rasters "), b.out());
        try (GeoRaster x = GeoRaster.open(fromScene); GeoRaster y = GeoRaster.open(fromRegion)) {
            double[] gx = x.geoTransform().toGdal();
            double[] gy = y.geoTransform().toGdal();
            int dx = (int) Math.round((gx[0] - gy[0]) / gx[1]);
            int dy = (int) Math.round((gx[3] - gy[3]) / gx[5]);
            RasterWindow p = x.readAll();
            RasterWindow q = y.read(new PixelWindow(dx, dy, x.width(), x.height()));
            long same = 0;
            long n = (long) x.width() * x.height();
            long both = 0;
            long either = 0;
            for (int i = 0; i < n; i++) {
                byte u = p.bytes()[i];
                byte v = q.bytes()[i];
                same += u == v ? 1 : 0;
                both += u != 0 && v != 0 ? 1 : 0;
                either += u != 0 || v != 0 ? 1 : 0;
            }
            assertTrue(either > 0.01 * n, "the model finds buildings, so agreement is not all background");
            assertTrue(both >= 0.8 * either, "building pixels agree: IoU " + (double) both / either);
            assertTrue(same >= 0.995 * n, "agreement " + (double) same / n);
        }

        // only a box, given in EPSG:4326: the west half of the scene, on the scene's grid
        Envelope west;
        try (GeoRaster scene = GeoRaster.open(SCENE)) {
            Envelope e = scene.bounds();
            west = CrsTransform.of(scene.requireCrs(), Crs.fromEpsg(4326)).transform(new Envelope(e.getMinX() + 1,
                    (e.getMinX() + e.getMaxX()) / 2, e.getMinY() + 1, e.getMaxY() - 1));
        }
        Path box = tmp.resolve("west-classes.tif");
        CliRun c = CliRun.of("predict", "--checkpoint", ckpt, "--raster", SCENE, "--bbox", String.format(Locale.ROOT,
                "%.9f,%.9f,%.9f,%.9f,EPSG:4326", west.getMinX(), west.getMinY(), west.getMaxX(), west.getMaxY()),
                "--out", box);
        assertEquals(0, c.code(), c.err());
        try (GeoRaster x = GeoRaster.open(fromScene); GeoRaster y = GeoRaster.open(box)) {
            double[] gx = x.geoTransform().toGdal();
            double[] gy = y.geoTransform().toGdal();
            int dx = (int) Math.round((gy[0] - gx[0]) / gx[1]);
            int dy = (int) Math.round((gy[3] - gx[3]) / gx[5]);
            assertEquals(gx[1], gy[1], 1e-9, "the scene's grid");
            assertTrue(dx >= 0 && dx <= 2 && y.width() > 0.45 * x.width() && y.width() < 0.6 * x.width(),
                    "the west half: x offset " + dx + ", width " + y.width() + " of " + x.width());
            RasterWindow p = x.read(new PixelWindow(dx, dy, y.width(), y.height()));
            RasterWindow q = y.readAll();
            long same = 0;
            for (int i = 0; i < q.pixelsPerBand(); i++) {
                same += p.bytes()[i] == q.bytes()[i] ? 1 : 0;
            }
            assertTrue(same >= 0.95 * q.pixelsPerBand(), "the same area: agreement " + (double) same
                    / q.pixelsPerBand());
        }
        // --out-dir: one class raster per input raster, each on its own grid, as predicting it alone
        Path each = tmp.resolve("each");
        CliRun d = CliRun.of("predict", "--checkpoint", ckpt, "--raster", tmp.resolve("tiles"), "--out-dir", each);
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("classified 4 of 4 raster(s) into"), d.out());
        Path alone = tmp.resolve("q4-alone.tif");
        assertEquals(0, CliRun.of("predict", "--checkpoint", ckpt, "--raster", tmp.resolve("tiles/q4-utm19.tif"),
                "--out", alone).code());
        try (GeoRaster x = GeoRaster.open(alone); GeoRaster y = GeoRaster.open(each.resolve("q4-utm19.tif"))) {
            assertEquals(x.geoTransform(), y.geoTransform(), "q4 on its own grid (EPSG:32619, 1.2 m)");
            assertTrue(java.util.Arrays.equals(x.readAll().bytes(), y.readAll().bytes()));
        }
        byte[] before = Files.readAllBytes(each.resolve("q1.tif"));
        CliRun again = CliRun.of("predict", "--checkpoint", ckpt, "--raster", tmp.resolve("tiles"), "--out-dir", each);
        assertEquals(1, again.code());
        assertTrue(again.errorLine().contains("q1.tif: output exists; pass --overwrite"), again.errorLine());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(each.resolve("q1.tif"))), "left as it was");
        // a truncated raster among them: the others are classified, it fails in one line, the run exits 1
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(tmp.resolve("tiles/q1.tif"), mixed.resolve("q1.tif"));
        byte[] q2 = Files.readAllBytes(tmp.resolve("tiles/q2.tif"));
        Files.write(mixed.resolve("q2.tif"), java.util.Arrays.copyOf(q2, q2.length / 3));
        Files.copy(tmp.resolve("tiles/q3.tif"), mixed.resolve("q3.tif"));
        CliRun partly = CliRun.of("predict", "--checkpoint", ckpt, "--raster", mixed, "--out-dir", tmp.resolve("mo"));
        assertEquals(1, partly.code(), partly.err());
        assertTrue(partly.out().contains("classified 2 of 3 raster(s) into"), partly.out());
        assertTrue(partly.err().lines().anyMatch(l -> l.startsWith("failed q2.tif: ")), partly.err());
        assertTrue(partly.errorLine().endsWith("1 of 3 raster(s) failed (q2.tif; each one's error is above); the"
                + " others were classified; fix those and predict them again"), partly.errorLine());
        assertTrue(Files.exists(tmp.resolve("mo/q1.tif")) && Files.exists(tmp.resolve("mo/q3.tif")));
        assertFalse(Files.exists(tmp.resolve("mo/q2.tif")), "no class raster of the truncated one");
        BadInputs.assertNoTemporaries(tmp.resolve("mo"));
        CliRun both = CliRun.of("predict", "--checkpoint", ckpt, "--raster", tmp.resolve("tiles"), "--out-dir", each,
                "--out", tmp.resolve("x.tif"));
        assertEquals(2, both.code());
        assertTrue(both.errorLine().contains("--out and --out-dir: pass one of them"), both.errorLine());

        // rasters without nodata, diagonal quadrants: the two quadrants no raster covers are nodata in the prediction
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        for (String q : List.of("q1.tif", "q4-utm19.tif")) {
            Quadrants.gdal("gdal_translate", "-q", "-a_nodata", "none", tmp.resolve("tiles").resolve(q).toString(),
                    bare.resolve(q).toString());
        }
        Path gaps = tmp.resolve("gaps.tif");
        CliRun g = CliRun.of("predict", "--checkpoint", ckpt, "--raster", bare, "--out", gaps);
        assertEquals(0, g.code(), g.err());
        try (GeoRaster x = GeoRaster.open(gaps)) {
            byte[] cls = x.readAll().bytes();
            long nodata = 0;
            for (byte v : cls) {
                nodata += (v & 0xFF) == 255 ? 1 : 0;
            }
            double share = (double) nodata / cls.length;
            assertTrue(share > 0.45 && share < 0.55, "the uncovered half is nodata: " + share);
        }
        CliRun clash = CliRun.of("predict", "--checkpoint", ckpt, "--raster", tmp.resolve("tiles/q1.tif"), "--raster",
                bare.resolve("q1.tif"), "--out-dir", tmp.resolve("clash"));
        assertEquals(1, clash.code());
        assertTrue(clash.errorLine().contains("q1.tif would be classified into it; give the rasters distinct names"),
                clash.errorLine());
        CliRun probs = CliRun.of("predict", "--checkpoint", ckpt, "--raster", bare, "--out-dir", tmp.resolve("clash"),
                "--probabilities", tmp.resolve("p.tif"));
        assertEquals(2, probs.code());
        assertTrue(probs.errorLine().contains("--probabilities needs one output, pass --out"), probs.errorLine());
        assertFalse(Files.exists(tmp.resolve("clash")), "nothing written");

        // an AOI triangle over the west half (EPSG:4326): its box is classified, pixels outside the triangle are
        // nodata, those inside have the box's classes (the input is not masked, only the output)
        Path triangle = Files.writeString(tmp.resolve("triangle.geojson"), String.format(Locale.ROOT,
                "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {},"
                        + " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%.9f, %.9f], [%.9f, %.9f],"
                        + " [%.9f, %.9f], [%.9f, %.9f]]]}}]}", west.getMinX(), west.getMinY(), west.getMaxX(),
                west.getMinY(), west.getMinX(), west.getMaxY(), west.getMinX(), west.getMinY()));
        Path masked = tmp.resolve("triangle-classes.tif");
        CliRun m = CliRun.of("predict", "--checkpoint", ckpt, "--raster", SCENE, "--aoi", triangle, "--out", masked);
        assertEquals(0, m.code(), m.err());
        try (GeoRaster bx = GeoRaster.open(box); GeoRaster tr = GeoRaster.open(masked)) {
            assertEquals(bx.geoTransform(), tr.geoTransform(), "the triangle's box is the bbox");
            byte[] inBox = bx.readAll().bytes();
            byte[] inTriangle = tr.readAll().bytes();
            long inside = 0;
            for (int i = 0; i < inBox.length; i++) {
                if ((inTriangle[i] & 0xFF) != 255) {
                    inside++;
                    assertEquals(inBox[i], inTriangle[i], "pixel " + i + " inside the triangle");
                }
            }
            double share = (double) inside / inBox.length;
            assertTrue(share > 0.45 && share < 0.55, "about half the box lies in the triangle: " + share);
        }
    }

    private static List<ChipRow> rows(Path store) {
        List<ChipRow> out = new ArrayList<>();
        ChipStoreReader.open(store).forEach(out::add);
        return out;
    }

    @Test
    void anAreaOfInterestOrABoxInAnotherCrsLimitsTheChips() throws Exception {
        Envelope half;
        double mid;
        try (GeoRaster scene = GeoRaster.open(SCENE)) {
            Envelope b = scene.bounds();
            mid = (b.getMinX() + b.getMaxX()) / 2;
            Envelope left = new Envelope(b.getMinX(), mid, b.getMinY(), b.getMaxY());
            half = CrsTransform.of(scene.requireCrs(), Crs.fromEpsg(4326)).transform(left);
        }
        Path aoi = Files.writeString(tmp.resolve("west.geojson"), String.format(Locale.ROOT,
                "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {},"
                        + " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%.9f, %.9f], [%.9f, %.9f],"
                        + " [%.9f, %.9f], [%.9f, %.9f], [%.9f, %.9f]]]}}]}", half.getMinX(), half.getMinY(),
                half.getMaxX(), half.getMinY(), half.getMaxX(), half.getMaxY(), half.getMinX(), half.getMaxY(),
                half.getMinX(), half.getMinY()));
        List<Object> common = List.of("--raster", SCENE, "--labels", BUILDINGS, "--mode", "segmentation", "--chip",
                64, "--split", "none", "--max-nodata", 1);
        long all = tileCount(common, tmp.resolve("all"));
        List<Object> withAoi = new ArrayList<>(common);
        withAoi.addAll(List.of("--aoi", aoi));
        List<Object> withBox = new ArrayList<>(common);
        withBox.addAll(List.of("--bbox", String.format(Locale.ROOT, "%.9f,%.9f,%.9f,%.9f,EPSG:4326",
                half.getMinX(), half.getMinY(), half.getMaxX(), half.getMaxY())));
        for (Object[] c : List.of(new Object[] {withAoi, tmp.resolve("aoi")}, new Object[] {withBox,
            tmp.resolve("box")})) {
            @SuppressWarnings("unchecked")
            long n = tileCount((List<Object>) c[0], (Path) c[1]);
            assertTrue(n >= 0.4 * all && n <= 0.65 * all, n + " of " + all + " chips");
            for (ChipRow row : rows((Path) c[1])) {
                assertTrue(row.minx() < mid + 1, "chip west of the middle: " + row.chipId());
            }
        }
        // a triangle: the chips kept are exactly the whole scene's chips that meet it, those crossing its box's edges
        // too (chips inside the box alone lost a row and a column along its edges)
        org.locationtech.jts.geom.Geometry triangle;
        try (GeoRaster scene = GeoRaster.open(SCENE)) {
            Envelope b = scene.bounds();
            double w = b.getWidth();
            double h = b.getHeight();
            org.locationtech.jts.geom.GeometryFactory f = new org.locationtech.jts.geom.GeometryFactory();
            triangle = f.createPolygon(new org.locationtech.jts.geom.Coordinate[] {
                new org.locationtech.jts.geom.Coordinate(b.getMinX() + 0.13 * w, b.getMinY() + 0.21 * h),
                new org.locationtech.jts.geom.Coordinate(b.getMinX() + 0.87 * w, b.getMinY() + 0.33 * h),
                new org.locationtech.jts.geom.Coordinate(b.getMinX() + 0.41 * w, b.getMinY() + 0.83 * h),
                new org.locationtech.jts.geom.Coordinate(b.getMinX() + 0.13 * w, b.getMinY() + 0.21 * h)});
            org.locationtech.jts.geom.Geometry lonLat = CrsTransform.of(scene.requireCrs(), Crs.fromEpsg(4326))
                    .transform(triangle);
            StringBuilder ring = new StringBuilder();
            for (org.locationtech.jts.geom.Coordinate c : lonLat.getCoordinates()) {
                ring.append(ring.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%.10f, %.10f]", c.x,
                        c.y));
            }
            Files.writeString(tmp.resolve("triangle.geojson"), "{\"type\": \"FeatureCollection\", \"features\":"
                    + " [{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
                    + " \"coordinates\": [[" + ring + "]]}}]}");
            triangle = CrsTransform.of(Crs.fromEpsg(4326), scene.requireCrs()).transform(lonLat);
        }
        List<Object> withTriangle = new ArrayList<>(common);
        withTriangle.addAll(List.of("--aoi", tmp.resolve("triangle.geojson")));
        tileCount(withTriangle, tmp.resolve("triangle"));
        java.util.Set<String> meeting = new java.util.TreeSet<>();
        for (ChipRow row : rows(tmp.resolve("all"))) {
            if (triangle.intersects(triangle.getFactory().toGeometry(new Envelope(row.minx(), row.maxx(), row.miny(),
                    row.maxy())))) {
                meeting.add(row.x() + "," + row.y());
            }
        }
        java.util.Set<String> kept = new java.util.TreeSet<>();
        rows(tmp.resolve("triangle")).forEach(row -> kept.add(row.x() + "," + row.y()));
        assertEquals(meeting, kept, "the chips that meet the triangle");
        CliRun both = CliRun.of(concat(withAoi, "--bbox", "0,0,1,1", "--out", tmp.resolve("never")));
        assertEquals(2, both.code());
        assertTrue(both.errorLine().contains("pass one area"), both.errorLine());
    }

    @Test
    void bandsFromSeparateFilesStackOnTheFinestBandsGrid() throws Exception {
        Path bands = Files.createDirectories(tmp.resolve("bands"));
        for (int b = 1; b <= 3; b++) {
            List<String> cmd = new ArrayList<>(List.of("gdal_translate", "-q", "-b", "" + b));
            if (b == 3) { // the third band at half the resolution, as Sentinel-2's 20 m bands beside its 10 m ones
                cmd.addAll(List.of("-outsize", "50%", "50%", "-r", "average"));
            }
            cmd.addAll(List.of(SCENE.toString(), bands.resolve("b" + b + ".tif").toString()));
            gdal(cmd.toArray(new String[0]));
        }
        Path stacked = tmp.resolve("stack-chips");
        Path orig = tmp.resolve("stack-orig");
        List<Object> common = List.of("--labels", BUILDINGS, "--mode", "segmentation", "--chip", 64, "--edge", "pad",
                "--max-nodata", 1, "--split", "none");
        CliRun r = CliRun.of(concatTile(List.of("--bands-from", bands.resolve("b1.tif") + "," + bands.resolve("b2.tif")
                + "," + bands.resolve("b3.tif")), common, "--resampling", "bilinear", "--out", stacked));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tiled a stack of 3 band files with "), r.out());
        assertEquals(0, CliRun.of(concatTile(List.of("--raster", SCENE), common, "--out", orig)).code());
        assertEquals(buildingPixels(orig), buildingPixels(stacked));
        java.util.Map<String, ChipRow> byWindow = new java.util.HashMap<>();
        rows(orig).forEach(c -> byWindow.put(c.x() + "," + c.y(), c));
        List<ChipRow> got = rows(stacked);
        assertEquals(byWindow.size(), got.size());
        double diff = 0;
        long n = 0;
        for (ChipRow c : got) {
            ChipRow o = byWindow.get(c.x() + "," + c.y());
            assertEquals(3, c.bands());
            assertTrue(java.util.Arrays.equals(o.pixels(), 0, 2 * 4096, c.pixels(), 0, 2 * 4096),
                    "bands 1 and 2 are the original's: " + c.chipId());
            for (int i = 2 * 4096; i < 3 * 4096; i++) {
                if (o.pixels()[i] != 0) { // inside the scene (PAD chips hang over its edges)
                    diff += Math.abs((o.pixels()[i] & 0xFF) - (c.pixels()[i] & 0xFF));
                    n++;
                }
            }
        }
        assertTrue(n > 500_000 && diff / n < 12, "band 3, at half resolution, resampled back: mean |diff| "
                + diff / n + " over " + n + " pixels");
        // the same stack from a YAML run's data section (data.bandsFrom), tiled as a run tiles it
        Path yaml = Files.writeString(tmp.resolve("stack.yaml"), String.join("\n", "name: stack",
                "model: {architecture: unet, options: {width: 8, depth: 2}}",
                "data: {bandsFrom: [" + bands.resolve("b1.tif") + ", " + bands.resolve("b2.tif") + ", "
                        + bands.resolve("b3.tif") + "], grid: {resampling: bilinear}, labels: " + BUILDINGS
                        + ", mode: segmentation, chipSize: 64, edge: pad, maxNodata: 1, split: none}", ""));
        io.geolightning.app.config.RunConfig run = io.geolightning.app.config.RunConfigLoader.load(yaml, List.of());
        Path fromYaml = tmp.resolve("stack-yaml");
        io.geolightning.tiling.Tiler.run(io.geolightning.app.data.DataModuleFactory.tilingConfig(run.data(), fromYaml,
                42));
        java.util.Map<String, ChipRow> yamlByWindow = new java.util.HashMap<>();
        rows(fromYaml).forEach(c -> yamlByWindow.put(c.x() + "," + c.y(), c));
        assertEquals(got.size(), yamlByWindow.size());
        for (ChipRow c : got) {
            assertTrue(java.util.Arrays.equals(c.pixels(), yamlByWindow.get(c.x() + "," + c.y()).pixels()),
                    "data.bandsFrom tiles the --bands-from pixels: " + c.chipId());
        }
        assertEquals("b1-stack.vrt", got.get(0).scene(), "a stack's chips name it, not its /vsimem path");
        CliRun both = CliRun.of("tile", "--raster", SCENE, "--bands-from", bands.resolve("b1.tif"), "--labels",
                BUILDINGS, "--mode", "segmentation", "--out", tmp.resolve("never"));
        assertEquals(2, both.code());
        assertTrue(both.errorLine().contains("--raster and --bands-from: pass one of them"), both.errorLine());
    }

    private static Object[] concatTile(List<Object> first, List<Object> common, Object... more) {
        List<Object> all = new ArrayList<>(List.of("tile"));
        all.addAll(first);
        all.addAll(common);
        all.addAll(List.of(more));
        return all.toArray();
    }

    private static long tileCount(List<Object> args, Path out) {
        CliRun r = CliRun.of(concat(args, "--out", out));
        assertEquals(0, r.code(), r.err());
        return ChipStoreReader.open(out).rowCount();
    }

    private static Object[] concat(List<Object> args, Object... more) {
        List<Object> all = new ArrayList<>(List.of("tile"));
        all.addAll(args);
        all.addAll(List.of(more));
        return all.toArray();
    }

    @Test
    void badRegionsAreOneLineAndWriteNothing() throws Exception {
        CliRun r = CliRun.of("tile", "--raster", tmp.resolve("tiles") + "/*.jp2", "--labels", BUILDINGS, "--mode",
                "segmentation", "--out", tmp.resolve("never"));
        assertEquals(1, r.code());
        assertTrue(r.errorLine().startsWith("error: " + tmp.resolve("tiles") + "/*.jp2: the pattern matches no file"),
                r.errorLine());
        r = CliRun.of("tile", "--raster", SCENE, "--raster", CliRun.sample("olinda/L7_ETMs.tif"), "--labels",
                BUILDINGS, "--mode", "segmentation", "--out", tmp.resolve("never"));
        assertEquals(1, r.code());
        assertTrue(r.errorLine().contains("L7_ETMs.tif: 6 bands of UINT8 but 22978945_15.tif has 3 of UINT8"),
                r.errorLine());
        r = CliRun.of("tile", "--raster", SCENE, "--labels", BUILDINGS, "--mode", "segmentation", "--bbox",
                "-71.0,42.0,-70.9,42.1,EPSG:4326", "--out", tmp.resolve("never"));
        assertEquals(1, r.code());
        assertTrue(r.errorLine().contains("does not overlap"), r.errorLine());
        r = CliRun.of("tile", "--raster", SCENE, "--resolution", -5, "--labels", BUILDINGS, "--mode", "segmentation",
                "--out", tmp.resolve("never"));
        assertEquals(2, r.code());
        assertTrue(r.errorLine().startsWith("error: --resolution -5.0: must be a positive pixel size"), r.errorLine());
        r = CliRun.of("predict", "--checkpoint", SCENE, "--raster", SCENE, "--crs", "EPSG:99999", "--out",
                tmp.resolve("never.tif"));
        assertEquals(2, r.code());
        assertTrue(r.errorLine().startsWith("error: --crs EPSG:99999: not a CRS GDAL knows"), r.errorLine());
        Path far = Files.writeString(tmp.resolve("far.geojson"), "{\"type\": \"FeatureCollection\", \"features\":"
                + " [{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
                + " \"coordinates\": [[[10, 50], [11, 50], [11, 51], [10, 51], [10, 50]]]}}]}");
        r = CliRun.of("tile", "--raster", SCENE, "--labels", BUILDINGS, "--mode", "segmentation", "--aoi", far,
                "--out", tmp.resolve("never"));
        assertEquals(1, r.code());
        assertTrue(r.errorLine().contains("does not overlap the raster extent"), r.errorLine());
        // a box in longitude/latitude given without its CRS is read in the raster's: the message says how to say so
        r = CliRun.of("tile", "--raster", SCENE, "--labels", BUILDINGS, "--mode", "segmentation", "--bbox",
                "-71.14,42.3,-71.138,42.302", "--out", tmp.resolve("never"));
        assertEquals(1, r.code());
        assertTrue(r.errorLine().contains("does not overlap the raster extent") && r.errorLine().endsWith(
                "(these look like longitudes and latitudes: add their CRS, e.g. --bbox -71.14,42.3,-71.138,42.302"
                        + ",EPSG:4326)"), r.errorLine());
        assertFalse(Files.exists(tmp.resolve("never")));
    }
}
