package io.geolightning.app.cli;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterFormat;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.PredictionResult;
import io.geolightning.models.predict.ProbabilityOutput;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.tiling.RegionRaster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geolightning predict}: classifies a whole scene with a checkpoint, window by window in constant memory, into
 * a Cloud-Optimised GeoTIFF of class values (uint8, nodata 255, colour table, class names in the metadata) with the
 * input's CRS and geotransform, optionally with a per-class probability raster.
 */
@Command(name = "predict", description = "Classify a raster with a trained checkpoint into a class COG.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "Checkpoint (.ckpt) from train.")
    Path checkpoint;

    @Mixin
    RegionOptions region;

    @Option(names = "--out", required = true, paramLabel = "TIF", description = "Class raster to write (COG).")
    Path out;

    @Option(names = "--probabilities", paramLabel = "TIF", description = "Also write per-class probabilities here.")
    Path probabilities;

    @Option(names = "--probability-type", defaultValue = "float32", paramLabel = "TYPE",
            description = "float32 (0..1) or uint8 (percent). Default: ${DEFAULT-VALUE}.")
    String probabilityType;

    @Option(names = "--overwrite", description = "Replace existing outputs.")
    boolean overwrite;

    @Option(names = "--allow-padding", description = "Classify a raster smaller than the model's window (mostly"
            + " padding: unreliable) instead of refusing it.")
    boolean allowPadding;

    @Mixin
    WindowingOptions windowing;

    @Option(names = "--bands", split = ",", paramLabel = "BAND",
            description = "1-based raster bands to feed the model, in model order (default: all).")
    List<Integer> bands;

    @Option(names = "--format", defaultValue = "COG", paramLabel = "FORMAT",
            description = "COG or GTIFF. Default: ${DEFAULT-VALUE}.")
    RasterFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        windowing.validate(spec);
        OptionChecks checks = new OptionChecks(spec);
        region.check(checks);
        ProbabilityOutput po = checks.choice("--probability-type", probabilityType, Map.of(
                "float32", ProbabilityOutput.FLOAT32, "uint8", ProbabilityOutput.UINT8_PERCENT), "float32 or uint8");
        if (probabilities == null) {
            po = ProbabilityOutput.NONE;
        }
        checks.localOutput("--out", out).localOutput("--probabilities", probabilities);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--checkpoint", checkpoint);
        inputs.putAll(region.localInputs());
        checks.notAnInput("--out", out, inputs);
        if (probabilities != null) {
            checks.notAnInput("--probabilities", probabilities, inputs);
            if (OptionChecks.same(probabilities, out)) {
                throw checks.usage("--probabilities " + probabilities + ": is also --out; pass another path");
            }
        }
        requireFile(checkpoint, "checkpoint", "pass a .ckpt from a run's checkpoints/ folder");
        for (Path local : region.localInputs().values()) {
            requireFile(local, "raster", "check the path");
        }
        checkOutput(out);
        if (probabilities != null) {
            checkOutput(probabilities);
        }
        PredictOptions options = PredictOptions.builder().windowSize(windowing.window()).overlap(windowing.overlap())
                .batchSize(windowing.batchSize()).blending(windowing.blending()).probabilities(po)
                .probabilitiesPath(probabilities).bands(bands)
                .format(format).overwrite(overwrite).allowPadding(allowPadding).area(region.area()).build();
        try (TaskInferenceModel model = TaskInferenceModel.fromCheckpoint(checkpoint);
             RegionRaster.Opened opened = region.raster().open()) {
            GeoRaster in = opened.raster();
            PredictionResult r = new ScenePredictor(model).predict(in, out, options);
            w.printf(Locale.ROOT, "classified %s (%d x %d px) with %s (%s, classes %s): %d windows of %d px, overlap %d,"
                    + " %.1f s%n", region.describe(), r.width(), r.height(), checkpoint.getFileName(),
                    model.signature().architecture(), model.classNames(), r.windows(), r.windowSize(), r.overlap(),
                    r.seconds());
            w.printf(Locale.ROOT, "classified GeoTIFF: %s%n", r.classes().toAbsolutePath());
            if (r.probabilities() != null) {
                w.printf(Locale.ROOT, "probabilities: %s%n", r.probabilities().toAbsolutePath());
            }
        }
        w.flush();
        return ExitCodes.OK;
    }

    private static void requireFile(Path p, String what, String fix) {
        if (!Files.isRegularFile(p)) {
            throw new CliException(p + ": " + what + " file not found; " + fix + " (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        }
    }

    private void checkOutput(Path p) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CliException(p + ": the output folder " + parent + " does not exist; create it (mkdir -p "
                    + parent + ") or choose another path");
        }
        if (Files.exists(p) && !overwrite) {
            throw new CliException(p + ": output exists; pass --overwrite to replace it or choose another path");
        }
    }
}
