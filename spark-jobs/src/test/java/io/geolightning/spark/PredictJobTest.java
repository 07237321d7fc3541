package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.csv;
import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.nbClip;
import static io.geolightning.spark.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.VectorSource;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.models.torchscript.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed predict job (local[2]) on real scenes with a checkpoint trained in the fixture: class rasters
 * pixel-identical to the single-machine ScenePredictor, a summary with exactly one row per scene in list order
 * (class pixel counts equal the rasters' histograms, areas in map units), FAILED rows for a scene with the wrong band
 * count (Olinda, 6 bands for a 3-band model), a missing and a corrupt scene while the others complete, the model
 * loaded once per executor slot, and an idempotent rerun.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictJobTest {

    Path tmp;
    Path checkpoint;
    Path list;
    List<Path> scenes;

    @BeforeAll
    void trainTinyCheckpoint(@TempDir Path dir) throws Exception {
        tmp = dir;
        checkpoint = TinyCheckpoint.shared();
        SparkTestSupport.corruptTif(dir);
        scenes = List.of(nbClip(1), data("olinda/L7_ETMs.tif"), data("massachusetts/22978945_15.tif"),
                dir.resolve("missing.tif"), dir.resolve("corrupt.tif"), nbClip(2));
        List<String> rows = new ArrayList<>();
        scenes.forEach(p -> rows.add(p.toString()));
        list = csv(dir.resolve("predict.csv"), "scene", rows);
    }

    @Test
    void classifiesEachSceneLikeTheSingleMachinePredictorAndSummarisesOncePerScene() throws Exception {
        Path out = tmp.resolve("classified");
        Path summary = tmp.resolve("summary.parquet");
        ModelCache.clear();
        PredictJob.Result r = PredictJob.run(spark(), new PredictJob.Config(checkpoint, list, out, summary,
                PredictSettings.defaults(), 0));
        assertTrue(ModelCache.loads() >= 1 && ModelCache.loads() <= 2,
                "one load per task slot, not per scene: " + ModelCache.loads());

        List<SceneStatus> expected = List.of(SceneStatus.OK, SceneStatus.FAILED, SceneStatus.OK, SceneStatus.FAILED,
                SceneStatus.FAILED, SceneStatus.OK);
        assertEquals(expected, r.scenes().stream().map(ScenePredictionOutcome::status).toList());
        String bands = r.scenes().get(1).error();
        assertTrue(bands.startsWith("L7_ETMs.tif: has 6 bands but the model (last.ckpt) expects 3; select 3 of its "
                + "bands in the model's order (geolightning predict --bands 1,2,3, say)"), bands);
        assertTrue(r.scenes().get(3).error().contains("missing.tif: file not found"), r.scenes().get(3).error());
        assertTrue(r.scenes().get(4).error().contains("corrupt.tif: not a raster GDAL can read"),
                r.scenes().get(4).error());

        // the summary table, read back with Spark: one row per scene, in list order
        List<Row> rows = spark().read().parquet(summary.toString()).collectAsList();
        assertEquals(scenes.size(), rows.size());
        assertEquals(scenes.stream().map(Path::toString).toList(), rows.stream().map(x -> x.<String>getAs("scene"))
                .toList());
        assertEquals(scenes.size(), new HashSet<>(rows.stream().map(x -> x.<String>getAs("scene")).toList()).size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(expected.get(i).name(), row.<String>getAs("status"));
            String error = row.getAs("error");
            if (expected.get(i) == SceneStatus.FAILED) {
                assertFalse(error.contains("\n"), error);
                assertTrue(error.contains(scenes.get(i).getFileName().toString()), error);
                assertFalse(Files.exists(out.resolve(stem(scenes.get(i)) + ".tif")));
                continue;
            }
            assertNull(error);
            // pixel-identical to the single-machine predictor with the same checkpoint and options
            Path classified = Path.of(row.<String>getAs("output"));
            Path ref = tmp.resolve("ref-" + stem(scenes.get(i)) + ".tif");
            try (TaskInferenceModel model = TaskInferenceModel.fromCheckpoint(checkpoint);
                 GeoRaster in = GeoRaster.open(scenes.get(i))) {
                new ScenePredictor(model).predict(in, ref, PredictOptions.defaults());
            }
            byte[] job = classes(classified);
            byte[] single = classes(ref);
            assertArrayEquals(single, job, "pixel-identical: " + classified.getFileName());
            long[] hist = new long[256];
            for (byte b : single) {
                hist[b & 0xFF]++;
            }
            Map<String, Long> pixels = scala.jdk.javaapi.CollectionConverters.asJava(row.<scala.collection.Map<String,
                    Long>>getAs("class_pixels"));
            Map<String, Double> area = scala.jdk.javaapi.CollectionConverters.asJava(row.<scala.collection.Map<String,
                    Double>>getAs("class_area"));
            List<String> classes = List.of("background", "1", "2", "3", "4");
            assertEquals(new HashSet<>(classes), pixels.keySet());
            long sum = 0;
            double pixelArea = row.<Double>getAs("pixel_area");
            for (int c = 0; c < classes.size(); c++) {
                assertEquals(hist[c], pixels.get(classes.get(c)), classes.get(c));
                assertEquals(hist[c] * pixelArea, area.get(classes.get(c)), 1e-6);
                sum += hist[c];
            }
            assertEquals(hist[255], row.<Long>getAs("nodata_pixels"));
            assertEquals((long) row.<Integer>getAs("width") * row.<Integer>getAs("height"), sum + hist[255]);
            assertTrue(sum > 0, "classified pixels");
        }
        // Massachusetts: ~1 m pixels in EPSG:26986, so areas are square metres
        assertEquals("EPSG:26986", rows.get(2).<String>getAs("crs"));
        try (GeoRaster mass = GeoRaster.open(scenes.get(2))) {
            double expectedArea = Math.abs(mass.geoTransform().pixelWidth() * mass.geoTransform().pixelHeight());
            assertEquals(expectedArea, rows.get(2).<Double>getAs("pixel_area"), 1e-12);
            assertEquals(0.998088, expectedArea, 1e-6);
        }

        // rerun through the command line: refused without --overwrite, then idempotent with it
        SparkTestSupport.Run refused = SparkTestSupport.jobs("predict", "--checkpoint", checkpoint, "--scenes", list,
                "--out-dir", out, "--summary", summary);
        assertEquals(SparkJobs.FAILURE, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("error: " + out.resolve(stem(scenes.get(0)) + ".tif")
                + ": output exists (and 2 more); pass --overwrite"), refused.err());
        SparkTestSupport.Run badColour = SparkTestSupport.jobs("predict", "--checkpoint", checkpoint, "--scenes",
                list, "--out-dir", tmp.resolve("colours"), "--colors", "forest=#00ff00");
        assertEquals(SparkJobs.USAGE, badColour.code(), badColour.err());
        assertTrue(badColour.err().startsWith("error: --colors: colour for 'forest': the model has no such class"),
                badColour.err());
        assertFalse(Files.exists(tmp.resolve("colours")), "nothing written");
        Path stale = out.resolve("." + stem(scenes.get(0)) + ".tif.0badc0de.part.tif");
        Files.writeString(stale, "left by a killed attempt");
        SparkTestSupport.Run again = SparkTestSupport.jobs("predict", "--checkpoint", checkpoint, "--scenes", list,
                "--out-dir", out, "--summary", summary, "--overwrite", "--master", "local[2]", "--polygons",
                "--colors", "1=#d62728,background=#000080");
        assertEquals(SparkJobs.OK, again.code(), again.err());
        // --polygons: <name>.gpkg beside each class raster, covering each class's pixels; the class names reach GIS
        Path polygons = out.resolve(stem(scenes.get(2)) + ".gpkg");
        long[] hist = new long[256];
        for (byte b : classes(out.resolve(stem(scenes.get(2)) + ".tif"))) {
            hist[b & 0xFF]++;
        }
        try (VectorSource v = VectorSource.open(polygons); GeoRaster mass = GeoRaster.open(scenes.get(2))) {
            double pixelArea = Math.abs(mass.geoTransform().pixelWidth() * mass.geoTransform().pixelHeight());
            double[] area = new double[5];
            for (var f : v.features()) {
                area[((Number) f.attribute("class")).intValue()] += f.geometry().getArea();
            }
            for (int c = 0; c < 5; c++) {
                assertEquals(hist[c] * pixelArea, area[c], 1e-3 + hist[c] * pixelArea * 1e-9, "class " + c);
            }
        }
        String qml = Files.readString(out.resolve(stem(scenes.get(2)) + ".qml"));
        assertTrue(qml.contains("color=\"#d62728\" label=\"1\" value=\"1\"")
                && qml.contains("color=\"#000080\" label=\"background\" value=\"0\""), qml);
        assertTrue(again.out().contains("classified 3 of 6 scene(s)"), again.out());
        assertTrue(again.out().contains("FAILED  L7_ETMs.tif: has 6 bands"), again.out());
        assertFalse(Files.exists(stale), "temporary of a killed attempt removed");
        assertEquals(scenes.size(), spark().read().parquet(summary.toString()).count(), "still one row per scene");
        assertArrayEquals(classes(tmp.resolve("ref-" + stem(scenes.get(2)) + ".tif")),
                classes(out.resolve(stem(scenes.get(2)) + ".tif")));
    }

    /**
     * A TorchScript segmenter traced by Debian's torch 1.13, with its model card beside it, predicted by the job
     * exactly as by the single-machine predictor with the same file.
     */
    @Test
    void aTorchScriptModelWithItsCardPredictsLikeTheSingleMachinePredictor() throws Exception {
        Path pt = tmp.resolve("ts/segmenter.pt");
        Files.createDirectories(pt.getParent());
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import sys, torch",
                "torch.manual_seed(0)",
                "m = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),",
                "                        torch.nn.Conv2d(8, 2, 1))",
                "torch.jit.trace(m.eval(), torch.zeros(1, 3, 64, 64)).save(sys.argv[1])"), pt.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "Debian's python3-torch (scripts/setup --tests installs it): " + log);
        Files.writeString(pt.resolveSibling("segmenter.json"), "{\"format\": \"geolightning-model-card/1\","
                + " \"task\": \"segmentation\", \"bands\": 3, \"classes\": 2, \"classNames\": [\"dark\","
                + " \"bright\"], \"chipSize\": 64, \"normalization\": {\"mean\": [0.4], \"std\": [0.2],"
                + " \"scale\": 255}}");
        Path scene = data("massachusetts/22978945_15.tif");
        Path one = csv(tmp.resolve("ts/list.csv"), "scene", List.of(scene.toString()));
        Path out = tmp.resolve("ts/out");
        ModelCache.clear();
        PredictJob.Result r = PredictJob.run(spark(), new PredictJob.Config(pt, one, out, tmp.resolve("ts/sum.parquet"),
                PredictSettings.defaults(), 0));
        assertEquals(SceneStatus.OK, r.scenes().get(0).status(), String.valueOf(r.scenes().get(0).error()));
        assertEquals(List.of("dark", "bright"), r.scenes().get(0).classNames());
        Path ref = tmp.resolve("ts/ref.tif");
        try (InferenceModel model = ModelFiles.open(pt, null); GeoRaster in = GeoRaster.open(scene)) {
            new ScenePredictor(model).predict(in, ref, PredictOptions.defaults());
        }
        byte[] single = classes(ref);
        assertArrayEquals(single, classes(Path.of(r.scenes().get(0).output())), "pixel-identical");
        long bright = 0;
        for (byte b : single) {
            bright += b == 1 ? 1 : 0;
        }
        assertTrue(bright > 0 && bright < single.length, "both classes occur: " + bright + " of " + single.length);

        // --tta: the job averages the eight flips/turns exactly as the single-machine predictor does
        Path ttaOut = tmp.resolve("ts/tta");
        PredictJob.Result t = PredictJob.run(spark(), new PredictJob.Config(pt, one, ttaOut,
                tmp.resolve("ts/tta-sum.parquet"), PredictSettings.defaults().withTta(true), 0));
        assertEquals(SceneStatus.OK, t.scenes().get(0).status(), String.valueOf(t.scenes().get(0).error()));
        Path ttaRef = tmp.resolve("ts/tta-ref.tif");
        try (InferenceModel model = ModelFiles.open(pt, null); GeoRaster in = GeoRaster.open(scene)) {
            new ScenePredictor(model).predict(in, ttaRef, PredictOptions.builder().tta(true).build());
        }
        byte[] tta = classes(ttaRef);
        assertArrayEquals(tta, classes(Path.of(t.scenes().get(0).output())), "pixel-identical with --tta");
        assertFalse(java.util.Arrays.equals(single, tta), "a 3x3 convolution is not flip-invariant: TTA changes"
                + " some pixels");
    }

    private static byte[] classes(Path raster) {
        try (GeoRaster r = GeoRaster.open(raster)) {
            return r.readAll().bytes();
        }
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }
}
