package io.geolightning.app.cli.bench;

import io.geolightning.geo.GeoRaster;
import io.geolightning.models.nn.Architecture;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.PredictionResult;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One measurement of scripts/bench-predict, in its own JVM: {@code predict <scene> <out.tif>} runs the scene
 * predictor (read windows from GDAL, normalise, forward, blend, write a COG); {@code forward <scene>} runs only the
 * model's forward pass on the same number of windows of the same size and batch. Both use the same seeded U-Net
 * (3 bands, 2 classes, width 16, depth 3; weights do not matter for speed) and print one {@code key=value} line with
 * pixels/s and the process's peak resident memory (VmHWM). Both warm the model up with one batch before timing.
 */
public final class PredictBench {

    static final int WINDOW = 256;
    static final int OVERLAP = 64;
    static final int BATCH = 4;

    private PredictBench() {
    }

    /** @param args {@code predict <scene> <out>} or {@code forward <scene>} */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: PredictBench predict <scene.tif> <out.tif> | forward <scene.tif>");
            System.exit(2);
        }
        Path scene = Path.of(args[1]);
        int width;
        int height;
        int bands;
        try (GeoRaster in = GeoRaster.open(scene)) {
            width = in.width();
            height = in.height();
            bands = in.bandCount();
        }
        ModelSpec spec = ModelSpec.of(Architecture.UNET, bands, 2, WINDOW).withOption("width", 16)
                .withOption("depth", 3);
        TaskSettings settings = TaskSettings.of(spec).withClassNames(List.of("background", "building"))
                .withNormalization(new BandNormalization(new double[] {100, 100, 100}, new double[] {50, 50, 50}));
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        try (LandUseTask task = LandUseTask.create(settings);
             TaskInferenceModel model = new TaskInferenceModel(task, "bench-unet")) {
            long pixels = (long) width * height;
            double seconds;
            long windows;
            float[] batch = new float[BATCH * bands * WINDOW * WINDOW];
            Random rnd = new Random(1);
            for (int i = 0; i < batch.length; i++) {
                batch[i] = (float) rnd.nextGaussian();
            }
            model.probabilities(batch, BATCH, WINDOW, WINDOW); // warm-up (first forward builds the kernels)
            if (args[0].equals("predict")) {
                Path out = Path.of(args[2]);
                Files.deleteIfExists(out);
                PredictOptions o = PredictOptions.builder().windowSize(WINDOW).overlap(OVERLAP).batchSize(BATCH)
                        .overwrite(true).build();
                try (GeoRaster in = GeoRaster.open(scene)) {
                    long t0 = System.nanoTime();
                    PredictionResult r = new ScenePredictor(model).predict(in, out, o);
                    seconds = (System.nanoTime() - t0) / 1e9;
                    windows = r.windows() - r.windowsSkipped();
                }
            } else {
                windows = (long) starts(width) * starts(height);
                long t0 = System.nanoTime();
                for (long done = 0; done < windows; done += BATCH) {
                    int n = (int) Math.min(BATCH, windows - done);
                    model.probabilities(batch, n, WINDOW, WINDOW);
                }
                seconds = (System.nanoTime() - t0) / 1e9;
            }
            System.out.printf(Locale.ROOT, "mode=%s scene=%dx%d windows=%d seconds=%.2f px_per_s=%.0f vmhwm_kb=%d%n",
                    args[0], width, height, windows, seconds, pixels / seconds, vmHwmKb());
        }
    }

    /** Windows along an axis, as the scene predictor places them (last one flush with the edge). */
    static int starts(int length) {
        int stride = WINDOW - OVERLAP;
        return length <= WINDOW ? 1 : (length - WINDOW + stride - 1) / stride + 1;
    }

    static long vmHwmKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
