package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * predict's warning about a raster on another scale judges the raster against the data the model was trained on,
 * also when the run declared its own normalisation ({@code model.normalization: {scale: 10000}}, TorchGeo's
 * Sentinel-2): the declared divisor (10000) is not the data's spread, and judged by it the very raster the model was
 * trained on looked "under 1 % as wide" in a dark band and was warned about.
 */
class DeclaredNormalizationScaleTest {

    @TempDir
    Path tmp;

    @Test
    void theTrainingRasterIsNotWarnedAboutUnderADeclaredScale() throws Exception {
        // reflectance x 10000 of a dark scene: band 1's values spread over ~70 digital numbers
        Path dark = gdalTranslate("dark.tif", "-ot", "UInt16", "-scale", "0", "255", "0", "1275");
        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n", "name: s2", "runs: "
                + tmp.resolve("runs"), "seed: 5", "model: {architecture: cnn, options: {width: 16, stages: 2},"
                + " normalization: {scale: 10000}}", "data: {raster: " + dark + ", labels: " + BadInputs.LABELS
                + ", labelField: TIPO, chipSize: 16, split: random, chips: " + tmp.resolve("chips") + "}",
                "trainer: {maxEpochs: 1, numSanityValSteps: 0}", "callbacks: {imagePredictions: 0}", ""));
        CliRun train = CliRun.of("train", "--config", yaml);
        assertEquals(0, train.code(), train.err());
        Path ckpt = tmp.resolve("runs/s2/version_0/checkpoints/last.ckpt");

        try (TaskInferenceModel model = TaskInferenceModel.fromCheckpoint(ckpt)) {
            assertEquals(List.of(), warnings(model, dark), "the raster the model was trained on");
            // reflectance 0..1 for a model trained on x 10000 values is still warned about
            Path unscaled = gdalTranslate("unscaled.tif", "-ot", "Float32", "-scale", "0", "255", "0", "0.1275");
            List<String> off = warnings(model, unscaled);
            assertEquals(1, off.size(), off.toString());
            assertTrue(off.get(0).startsWith("unscaled.tif: band 1 is far from the data last.ckpt was trained on"),
                    off.get(0));
        }
    }

    /**
     * Training feeds the chips normalised as the run declares ({@code model.normalization}), as the checkpoint says
     * and predict, evaluate and export apply: the loaders normalised with the chips' own band statistics whatever
     * the run declared, so a run with {@code {scale: 10000}} trained exactly as one without it, and its checkpoint
     * scored 0.50 on the validation chips its run had logged 0.19 for.
     */
    @Test
    void trainingNormalisesAsTheRunDeclares() throws Exception {
        Path dark = gdalTranslate("dark.tif", "-ot", "UInt16", "-scale", "0", "255", "0", "1275");
        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n", "name: s2", "runs: "
                + tmp.resolve("runs"), "seed: 5", "model: {architecture: cnn, options: {width: 16, stages: 2},"
                + " normalization: {mean: [0.05], std: [0.01], scale: 10000}}", "data: {raster: " + dark
                + ", labels: " + BadInputs.LABELS + ", labelField: TIPO, chipSize: 16, split: random, chips: "
                + tmp.resolve("chips") + "}", "trainer: {maxEpochs: 1, numSanityValSteps: 0}",
                "callbacks: {imagePredictions: 0}", ""));
        CliRun train = CliRun.of("train", "--config", yaml);
        assertEquals(0, train.code(), train.err());
        Path run = tmp.resolve("runs/s2/version_0");
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        int col = List.of(csv.get(0).split(",")).indexOf("val_loss");
        String logged = csv.stream().skip(1).map(l -> l.split(",", -1)).filter(r -> !r[col].isEmpty())
                .reduce((a, b) -> b).orElseThrow()[col];
        CliRun eval = CliRun.of("evaluate", "--checkpoint", run.resolve("checkpoints/last.ckpt"), "--chips",
                tmp.resolve("chips"), "--split", "val");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "loss:                 %.4f",
                Double.parseDouble(logged))), "the run logged val_loss " + logged + "; evaluate: " + eval.out());
    }

    private List<String> warnings(TaskInferenceModel model, Path raster) {
        try (GeoRaster in = GeoRaster.open(raster)) {
            return new ScenePredictor(model).predict(in, tmp.resolve("classes-" + raster.getFileName()),
                    PredictOptions.defaults()).warnings();
        }
    }

    private Path gdalTranslate(String name, String... options) throws Exception {
        Path out = tmp.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("gdal_translate", "-q"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(BadInputs.RASTER.toString(), out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        return out;
    }
}
