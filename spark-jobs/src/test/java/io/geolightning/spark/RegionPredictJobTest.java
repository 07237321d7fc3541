package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.jobs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.app.cli.GeoLightningCli;
import io.geolightning.foundation.testing.Quadrants;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.VectorSource;
import io.geolightning.geo.PixelWindow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Region prediction split across Spark tasks (local[2]): the Massachusetts scene cut into four quadrant files, the
 * fourth reprojected to EPSG:32619 at 1.2 m, classified as one region by the single-machine CLI and by the Spark
 * predict job in blocks that line up with neither the windows nor the files: the two class rasters are identical,
 * pixel for pixel and in their metadata, and no block file is left behind. Bad input is a one-line error with nothing
 * written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionPredictJobTest {

    Path tmp;
    Path checkpoint;
    Path tiles;

    @BeforeAll
    void quadrants(@TempDir Path dir) throws Exception {
        tmp = dir;
        checkpoint = TinyCheckpoint.shared();
        tiles = Quadrants.cut(data("massachusetts/22978945_15.tif"), dir.resolve("tiles"));
    }

    @Test
    void sparkBlocksGiveTheSingleMachineRegionPredictionPixelForPixel() throws Exception {
        Path single = tmp.resolve("single.tif");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GeoLightningCli.execute(new String[] {"predict", "--checkpoint", checkpoint.toString(), "--raster",
            tiles.resolve("*.tif").toString(), "--out", single.toString(), "--polygons",
            tmp.resolve("single.gpkg").toString(), "--connectivity", "8"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());

        Path spark = tmp.resolve("spark.tif");
        SparkTestSupport.Run r = jobs("predict", "--checkpoint", checkpoint, "--raster", tiles.resolve("*.tif"),
                "--out", spark, "--block-size", 300, "--master", "local[2]", "--polygons", "--connectivity", 8);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("classified 4 rasters (1196 x 919 px) in 16 block(s)"), r.out());
        try (GeoRaster a = GeoRaster.open(single); GeoRaster b = GeoRaster.open(spark)) {
            assertEquals(a.width(), b.width());
            assertEquals(a.height(), b.height());
            assertEquals(a.geoTransform(), b.geoTransform());
            assertEquals(a.crs().orElseThrow().wkt(), b.crs().orElseThrow().wkt());
            assertEquals(a.metadata(), b.metadata());
            byte[] x = a.readAll().bytes();
            byte[] y = b.readAll().bytes();
            int differ = 0;
            for (int i = 0; i < x.length; i++) {
                if (x[i] != y[i]) {
                    differ++;
                }
            }
            assertEquals(0, differ, "pixels of the Spark region prediction that differ from the single-machine one");
            java.util.Set<Byte> classes = new java.util.HashSet<>();
            for (byte v : x) {
                classes.add(v);
            }
            assertTrue(classes.size() >= 3, "a real prediction has several classes (and nodata): " + classes);
            assertArrayEquals(x, y);
        }
        // the polygons of the assembled region: the same regions as the single machine's
        try (VectorSource a = VectorSource.open(tmp.resolve("single.gpkg"));
             VectorSource b = VectorSource.open(tmp.resolve("spark.gpkg"))) {
            assertEquals(a.featureCount(), b.featureCount());
            assertTrue(a.featureCount() > 10, "polygons: " + a.featureCount());
            assertEquals(a.features().stream().mapToDouble(f -> f.geometry().getArea()).sum(),
                    b.features().stream().mapToDouble(f -> f.geometry().getArea()).sum(), 1e-3);
        }
        assertEquals(List.of("q1.tif", "q2.tif", "q3.tif", "q4-utm19.tif", "single.gpkg", "single.qml", "single.tif",
                "single.tif.aux.xml", "spark.gpkg", "spark.qml", "spark.tif", "spark.tif.aux.xml", "tiles"), leftovers(),
                "no block folder or temporary file left");
    }

    @Test
    void anAreaOfInterestMasksTheSparkPredictionAsItMasksTheSingleMachineOne() throws Exception {
        Path triangle = Files.writeString(tmp.resolve("triangle.geojson"), "{\"type\": \"FeatureCollection\","
                + " \"features\": [{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
                + " \"coordinates\": [[[-71.146, 42.297], [-71.136, 42.297], [-71.146, 42.302], [-71.146, 42.297]]]}}]}");
        Path single = tmp.resolve("aoi-single.tif");
        StringWriter err = new StringWriter();
        assertEquals(0, GeoLightningCli.execute(new String[] {"predict", "--checkpoint", checkpoint.toString(),
            "--raster", tiles.resolve("*.tif").toString(), "--aoi", triangle.toString(), "--out", single.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
        Path spark = tmp.resolve("aoi-spark.tif");
        SparkTestSupport.Run r = jobs("predict", "--checkpoint", checkpoint, "--raster", tiles.resolve("*.tif"),
                "--aoi", triangle, "--out", spark, "--block-size", 256, "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        try (GeoRaster a = GeoRaster.open(single); GeoRaster b = GeoRaster.open(spark)) {
            assertEquals(a.geoTransform(), b.geoTransform());
            byte[] x = a.readAll().bytes();
            assertArrayEquals(x, b.readAll().bytes());
            long masked = 0;
            for (byte v : x) {
                masked += (v & 0xFF) == 255 ? 1 : 0;
            }
            assertTrue(masked > 0.3 * x.length && masked < 0.7 * x.length, "outside the triangle: " + masked + " of "
                    + x.length);
        }
    }

    @Test
    void badRegionsAreOneLineErrorsWithNothingWritten() throws Exception {
        Path never = tmp.resolve("never.tif");
        SparkTestSupport.Run r = jobs("predict", "--checkpoint", checkpoint, "--raster", tmp.resolve("nothing/*.tif"),
                "--out", never, "--master", "local[2]");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("matches no file"), r.err());
        r = jobs("predict", "--checkpoint", checkpoint, "--raster", tiles.resolve("*.tif"), "--bbox",
                "10,50,11,51,EPSG:4326", "--out", never, "--master", "local[2]");
        assertTrue(r.code() == 1 || r.code() == 2, r.err());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("does not overlap"), r.err());
        r = jobs("predict", "--checkpoint", checkpoint, "--raster", tiles.resolve("q1.tif"), "--scenes",
                tmp.resolve("list.csv"), "--out", never);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--scenes and --raster: pass one of them"), r.err());
        Path exists = Files.writeString(tmp.resolve("exists.tif"), "keep me");
        r = jobs("predict", "--checkpoint", checkpoint, "--raster", tiles.resolve("q1.tif"), "--out", exists,
                "--master", "local[2]");
        assertEquals(1, r.code(), r.err()); // an existing output is a failure, as in the CLI's predict
        assertTrue(r.err().contains("exists.tif: output exists; pass --overwrite"), r.err());
        assertEquals("keep me", Files.readString(exists));
        Files.delete(exists);
        assertFalse(Files.exists(never));
        // --out naming one of the region's rasters: was "output exists; pass --overwrite", and with --overwrite every
        // block ran before the assembly refused it (exit 1); now refused first, as 'geolightning predict' does
        Path input = tiles.resolve("q2.tif");
        byte[] before = Files.readAllBytes(input);
        List<String> listed = listing(tiles);
        for (boolean overwrite : new boolean[] {false, true}) {
            r = jobs("predict", "--checkpoint", checkpoint, "--raster", tiles.resolve("*.tif"), "--out", input,
                    "--master", "local[2]", overwrite ? "--overwrite" : "--torch-threads=0");
            assertEquals(2, r.code(), r.err());
            assertEquals("error: --out " + input + ": is a file given to --raster; writing it would replace that"
                    + " input; choose another --out path", r.err().strip());
        }
        assertArrayEquals(before, Files.readAllBytes(input));
        assertEquals(listed, listing(tiles), "no block folder or temporary left");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Stream.concat(Files.list(tmp), Files.list(tiles))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void blocksTileTheGridRowByRow() {
        List<PixelWindow> b = RegionPredictJob.split(1182, 901, 300);
        assertEquals(16, b.size());
        assertEquals(new PixelWindow(900, 900, 282, 1), b.get(15));
        assertEquals(1182L * 901, b.stream().mapToLong(PixelWindow::area).sum());
    }
}
