package io.geolightning.spark;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.PredictionResult;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.torchscript.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor side of the predict job: one partition of scenes with one model borrowed from the per-JVM
 * {@link ModelCache} (loaded once per executor slot, not per scene or chip). Each scene goes through the
 * single-machine {@link ScenePredictor}, which writes its class COG under a temporary name and renames it into place,
 * so a retried task simply writes and renames again. The written raster is read back to count pixels per class.
 * A scene that fails (missing, unreadable, wrong band count, no CRS, ...) gives a FAILED row; the others go on.
 */
final class ScenePredictionTask {
    private static final Logger LOG = LoggerFactory.getLogger(ScenePredictionTask.class);

    private ScenePredictionTask() {
    }

    /**
     * @param scenes the partition's scenes
     * @param checkpoint the checkpoint
     * @param settings prediction settings (overwrite set: a retry replaces its own earlier output)
     * @param torchThreads PyTorch intra-op threads (0 = default)
     * @return one outcome per scene
     */
    static Iterator<ScenePredictionOutcome> run(Iterator<PredictSceneSpec> scenes, Path checkpoint,
                                                 PredictSettings settings, int torchThreads) {
        List<PredictSceneSpec> todo = new ArrayList<>();
        scenes.forEachRemaining(todo::add);
        List<ScenePredictionOutcome> out = new ArrayList<>();
        if (todo.isEmpty()) {
            return out.iterator();
        }
        NativeLibraries.requireGdal();
        ModelCache.Lease lease;
        try {
            lease = ModelCache.borrow(checkpoint, torchThreads);
        } catch (RuntimeException e) {
            String msg = OneLine.naming(checkpoint.toString(), e);
            todo.forEach(s -> out.add(ScenePredictionOutcome.failed(s, List.of(), msg, 0)));
            return out.iterator();
        }
        try (lease) {
            for (PredictSceneSpec s : todo) {
                out.add(predict(lease.model(), s, settings.toOptions(null, Path.of(s.output()))));
            }
        }
        return out.iterator();
    }

    private static ScenePredictionOutcome predict(InferenceModel model, PredictSceneSpec s, PredictOptions options) {
        long t0 = System.nanoTime();
        List<String> classes = model.classNames();
        try (GeoRaster in = GeoRaster.open(GdalPath.of(s.raster()))) {
            PredictionResult r = new ScenePredictor(model).predict(in, Path.of(s.output()), options);
            ClassCounts c = ClassCounts.of(r.classes());
            List<Long> perClass = new ArrayList<>();
            List<Double> areas = new ArrayList<>();
            long other = 0;
            for (int v = 0; v < 256; v++) {
                if (v < classes.size()) {
                    perClass.add(c.counts()[v]);
                    areas.add(c.areas()[v]);
                } else {
                    other += c.counts()[v];
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            LOG.info("{}: classified into {} in {} s", s.raster(), s.output(), String.format(Locale.ROOT, "%.1f", secs));
            return new ScenePredictionOutcome(s.index(), s.raster(), s.output(), SceneStatus.OK, null, classes,
                    perClass, areas, other, c.pixelArea(), c.crs(), c.width(), c.height(), secs);
        } catch (RuntimeException e) {
            String msg = OneLine.naming(s.raster(), e);
            LOG.warn("{}: FAILED: {}", s.raster(), msg);
            return ScenePredictionOutcome.failed(s, classes, msg, (System.nanoTime() - t0) / 1e9);
        }
    }
}
