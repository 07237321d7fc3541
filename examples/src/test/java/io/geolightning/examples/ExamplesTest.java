package io.geolightning.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.VectorSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three example programs run as a user runs them, one after the other on the shipped Olinda scene: train from
 * the raster and polygons, predict the scene from the checkpoint that wrote, and read windows, features and chips.
 */
class ExamplesTest {

    @Test
    void trainPredictAndReadOlinda(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("geolightning.root"));
        String scene = root.resolve("sample-data/olinda/L7_ETMs.tif").toString();
        String labels = root.resolve("sample-data/olinda/olinda1.shp").toString();

        String trained = run(() -> TrainFromRaster.main(new String[] {scene, labels, "TIPO", tmp.toString(), "4"}));
        Matcher best = Pattern.compile("best checkpoint: (\\S+\\.ckpt)").matcher(trained);
        assertTrue(best.find(), trained);
        Matcher acc = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(trained);
        assertTrue(acc.find(), trained);
        assertTrue(Double.parseDouble(acc.group(1)) > 0.8, "a trained classifier: " + trained);
        assertTrue(Files.isRegularFile(tmp.resolve("olinda/version_0/metrics.csv")));

        Path out = tmp.resolve("olinda.tif");
        String predicted = run(() -> PredictScene.main(new String[] {best.group(1), scene, out.toString()}));
        assertTrue(predicted.contains("classes [RURAL, URBANO]"), predicted);
        try (GeoRaster in = GeoRaster.open(Path.of(scene)); GeoRaster classes = GeoRaster.open(out)) {
            assertEquals(in.geoTransform(), classes.geoTransform());
        }
        assertTrue(Files.readString(tmp.resolve("olinda.qml")).contains("color=\"#2ca02c\" label=\"RURAL\""));
        try (VectorSource polygons = VectorSource.open(tmp.resolve("olinda.gpkg"))) {
            assertTrue(polygons.featureCount() > 0);
            assertTrue(polygons.features().stream().allMatch(f -> f.geometry().getArea() >= 5000));
        }

        String read = run(() -> ReadWindows.main(new String[] {scene, labels, tmp.resolve("chips").toString()}));
        assertTrue(read.contains("raster: 349 x 352 px, 6 bands of UINT8"), read);
        assertTrue(read.contains("window 64x64 at (87, 88) band 6 mean "), read);
        Matcher under = Pattern.compile("vector: 470 features in .*; (\\d+) under the window").matcher(read);
        assertTrue(under.find() && Integer.parseInt(under.group(1)) > 0, "the labels are in another CRS: " + read);
        assertTrue(Pattern.compile("chip store: \\d+ chips \\{test=\\d+, train=\\d+, val=\\d+\\}, classes \\[RURAL,"
                + " URBANO\\]").matcher(read).find(), read);
        assertTrue(read.contains("first chip "), read);
    }

    /** Runs a program and returns what it printed. */
    private static String run(Runnable program) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            program.run();
        } finally {
            System.setOut(saved);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        saved.print(text);
        return text;
    }
}
