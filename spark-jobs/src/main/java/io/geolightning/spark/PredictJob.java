package io.geolightning.spark;

import io.geolightning.foundation.TempFiles;
import io.geolightning.geo.GdalPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed {@code predict} job: a checkpoint and a list of scenes become one classified COG per scene (written
 * atomically by the single-machine ScenePredictor) and a Parquet summary table (see {@link SummaryTable}).
 *
 * <p>One scene per task; the checkpoint is restored once per executor slot through {@link ModelCache} and reused by
 * every later partition. A scene that fails is a FAILED row (one-line error naming it); the others complete. Outputs
 * are idempotent: a retried task rewrites its scene's raster under a fresh temporary name and renames it over the
 * earlier one, and the summary is built on the driver from the tasks' results (Spark keeps exactly one result per
 * partition), so it has exactly one row per scene, in list order. Leftover temporary rasters of killed attempts are
 * removed when the job ends.
 */
public final class PredictJob {
    private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);

    /** Canonical scene-list columns of the predict job. */
    static final List<String> COLUMNS = List.of("raster", "output");

    private PredictJob() {
    }

    /**
     * @param checkpoint the .ckpt (on a file system every node sees)
     * @param scenes the scene list: column {@code raster}, optional {@code output} (relative paths resolve against
     *     the list's folder)
     * @param outDir folder for class rasters of rows without {@code output} ({@code <scene name>.tif}); created
     * @param summary the summary table (Parquet folder) to write
     * @param settings window, overlap, batch, blending, format; {@code overwrite} allows replacing existing rasters
     * @param torchThreads PyTorch intra-op threads per executor JVM (0 = PyTorch's default)
     */
    public record Config(Path checkpoint, Path scenes, Path outDir, Path summary, PredictSettings settings,
                         int torchThreads) {
        /** Validates. */
        public Config {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(scenes, "scenes");
            Objects.requireNonNull(summary, "summary");
            settings = settings == null ? PredictSettings.defaults() : settings;
        }
    }

    /**
     * @param scenes every scene's outcome in list order
     * @param summary the summary table written
     * @param seconds wall time of the job
     */
    public record Result(List<ScenePredictionOutcome> scenes, Path summary, double seconds) {
        /** @return scenes that failed */
        public List<ScenePredictionOutcome> failed() {
            return scenes.stream().filter(s -> s.status() == SceneStatus.FAILED).toList();
        }

        /** @return scenes per minute over the whole job */
        public double scenesPerMinute() {
            return seconds > 0 ? scenes.size() * 60 / seconds : 0;
        }
    }

    /**
     * Runs the job.
     *
     * @param spark the session
     * @param config what to predict
     * @return the outcome, one entry per scene
     * @throws SparkJobException for a bad list, a missing checkpoint, existing outputs without overwrite, duplicate
     *     outputs (before any work), or a node without GDAL
     */
    public static Result run(SparkSession spark, Config config) {
        long t0 = System.nanoTime();
        Path checkpoint = requireCheckpoint(config.checkpoint());
        SceneList list = SceneList.read(spark, config.scenes(), COLUMNS,
                Map.of("scene", "raster", "image", "raster", "path", "raster", "out", "output"), List.of("raster"));
        List<PredictSceneSpec> specs = plan(list, config);
        // every task may replace its own output: a retried attempt rewrites what an earlier one renamed into place
        PredictSettings settings = config.settings().withOverwrite(true);
        String ckpt = checkpoint.toString();
        int threads = config.torchThreads();
        LOG.info("predict: {} scene(s) from {} with {}", specs.size(), config.scenes(), checkpoint.getFileName());
        List<ScenePredictionOutcome> outcomes;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (SceneProgress progress = SceneProgress.attach(spark.sparkContext(), "predict", specs.size(),
                "geolightning predict: " + specs.size() + " scenes with " + checkpoint.getFileName())) {
            outcomes = new ArrayList<>(jsc.parallelize(specs, specs.size())
                    .mapPartitions(it -> ScenePredictionTask.run(it, Path.of(ckpt), settings, threads))
                    .collect());
        } catch (Exception e) { // SparkException is checked but thrown undeclared from Scala
            throw JobFailures.translate("predict job", e);
        } finally {
            specs.forEach(s -> removeTemporaries(Path.of(s.output())));
        }
        outcomes.sort((a, b) -> Integer.compare(a.index(), b.index()));
        try {
            SummaryTable.write(spark, outcomes, config.summary());
        } catch (RuntimeException e) {
            throw new SparkJobException(config.summary() + ": cannot write the summary table ("
                    + OneLine.of(SceneList.rootMessage(e)) + "); check the folder and free space", e);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Result r = new Result(List.copyOf(outcomes), config.summary(), secs);
        LOG.info("predict: {} of {} scene(s) classified in {} s ({} scenes/min); summary {}",
                outcomes.size() - r.failed().size(), outcomes.size(), String.format(Locale.ROOT, "%.1f", secs),
                String.format(Locale.ROOT, "%.1f", r.scenesPerMinute()), config.summary());
        return r;
    }

    /**
     * @param what how the message names the output ("--out", "scenes.csv row 2: the output")
     * @param out an output path
     * @param checkpoint the checkpoint given
     * @throws JobUsageException when the output is the checkpoint (through any path spelling or link)
     */
    static void notTheCheckpoint(String what, Path out, Path checkpoint) {
        if (io.geolightning.app.cli.OptionChecks.same(out, checkpoint)) {
            throw new JobUsageException(what + " " + out + " is the checkpoint given to --checkpoint; writing it would"
                    + " replace that input; choose another output path");
        }
    }

    /**
     * @param checkpoint the checkpoint given
     * @return its absolute path
     * @throws JobUsageException when it is not a file
     */
    static Path requireCheckpoint(Path checkpoint) {
        Path abs = checkpoint.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new SparkJobException(checkpoint + ": checkpoint not found; pass a .ckpt from a training run's"
                    + " checkpoints/ folder, or a TorchScript .pt with its model card beside it");
        }
        return abs;
    }

    /** Resolves outputs and checks the list before any work: duplicates, outputs that exist, missing folders. */
    private static List<PredictSceneSpec> plan(SceneList list, Config config) {
        Path outDir = config.outDir() == null ? null : config.outDir().toAbsolutePath().normalize();
        Map<GdalPath, SceneList.Entry> rasters = new HashMap<>();
        Map<Path, SceneList.Entry> outputs = new HashMap<>();
        List<PredictSceneSpec> specs = new ArrayList<>();
        List<Path> existing = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        for (SceneList.Entry e : list.entries()) {
            GdalPath raster = e.input("raster");
            if (raster == null) {
                throw new JobUsageException(e.where() + ": no raster; give every row the path of its scene");
            }
            SceneList.Entry before = rasters.putIfAbsent(raster, e);
            if (before != null) {
                throw new JobUsageException(e.where() + ": repeats the raster of row " + before.row() + " ("
                        + raster.fileName() + "); list each scene once");
            }
            Path out = e.path("output");
            if (out == null) {
                if (outDir == null) {
                    throw new JobUsageException(e.where() + ": no output for " + raster.fileName() + "; pass"
                            + " --out-dir or give the row an 'output' path");
                }
                out = outDir.resolve(stem(raster) + ".tif");
            }
            if (GdalPath.isVirtual(out.toString())) {
                throw new JobUsageException(e.where() + ": the output " + out + " is a GDAL virtual path; outputs are"
                        + " written to local files (or a shared file system), so give a local 'output' path");
            }
            notTheCheckpoint(e.where() + ": the output", out, config.checkpoint());
            if (!raster.isVirtual() && out.equals(raster.local())) {
                throw new JobUsageException(e.where() + ": the output " + out + " is the scene itself; choose"
                        + " another --out-dir or output");
            }
            SceneList.Entry clash = outputs.putIfAbsent(out, e);
            if (clash != null) {
                throw new JobUsageException(e.where() + ": writes " + out + " like row " + clash.row() + "; give the"
                        + " rows distinct 'output' paths (scenes with the same file name need them)");
            }
            if (Files.exists(out)) {
                existing.add(out);
            }
            written.add(out);
            Path polygons = config.settings().polygonsFor(out);
            if (polygons != null) {
                written.add(polygons);
            }
            if (polygons != null && Files.exists(polygons)) {
                existing.add(polygons);
            }
            specs.add(new PredictSceneSpec(specs.size(), raster.text(), out.toString()));
        }
        for (Map.Entry<GdalPath, SceneList.Entry> r : rasters.entrySet()) {
            SceneList.Entry writer = r.getKey().isVirtual() ? null : outputs.get(r.getKey().local());
            if (writer != null && writer != r.getValue()) {
                throw new JobUsageException(writer.where() + ": the output " + r.getKey().local() + " is the scene of"
                        + " row " + r.getValue().row() + "; writing it would replace that input; give the row another"
                        + " 'output' or choose another --out-dir");
            }
        }
        if (!existing.isEmpty() && !config.settings().overwrite()) {
            throw new SparkJobException(existing.get(0) + ": output exists" + (existing.size() > 1 ? " (and "
                    + (existing.size() - 1) + " more)" : "") + "; pass --overwrite to replace them or choose another"
                    + " --out-dir");
        }
        List<Path> kept = new ArrayList<>(List.of(config.checkpoint().toAbsolutePath().normalize(),
                config.scenes().toAbsolutePath().normalize()));
        kept.addAll(written);
        rasters.keySet().stream().filter(r -> !r.isVirtual()).forEach(r -> kept.add(r.local()));
        SummaryTable.checkTarget(config.summary().toAbsolutePath().normalize(), kept);
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException e) {
                throw new SparkJobException(outDir + ": cannot create the output folder (" + e.getMessage()
                        + "); choose a writable --out-dir", e);
            }
        }
        return specs;
    }

    private static String stem(GdalPath p) {
        String n = p.fileName();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Deletes temporaries a killed attempt may have left next to {@code output} (".name.xxxxxxxx.part.tif"...). */
    static void removeTemporaries(Path output) {
        Path dir = output.getParent();
        String prefix = "." + TempFiles.stem(output.getFileName().toString()) + "."; // long names: cut and hashed
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && (n.endsWith(".part.tif") || n.endsWith(".cog.tif")
                        || n.endsWith(".tif.aux.xml"))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not remove temporary files next to {}: {}", output, e.toString());
        }
    }
}
