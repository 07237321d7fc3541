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
