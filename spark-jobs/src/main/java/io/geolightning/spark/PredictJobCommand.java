package io.geolightning.spark;

import io.geolightning.geo.RasterFormat;
import io.geolightning.app.cli.ColorOptions;
import io.geolightning.app.cli.OptionChecks;
import io.geolightning.app.cli.PolygonOptions;
import io.geolightning.app.cli.RegionOptions;
import io.geolightning.app.cli.WindowingOptions;
import io.geolightning.geo.Polygonizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code predict}: a checkpoint and a scene list into class COGs and a Parquet summary table. */
@Command(name = "predict", description = {"Classify a list of scenes with a checkpoint: one class COG per scene and a"
        + " Parquet summary (scene, status, error, pixels and area per class, seconds).",
    "Scene list: CSV with a header, JSON or Parquet; column 'raster' (alias 'scene'), optional 'output'.",
    "Or classify ONE region (--raster, repeatable, globs, lists; --bands-from; --crs/--resolution; --bbox/--aoi) into"
        + " one class COG (--out), split into --block-size blocks, one task each: the same pixels as the"
        + " single-machine 'geolightning predict' of the region."})
final class PredictJobCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "MODEL", description = "Checkpoint (.ckpt) from"
            + " train, or a TorchScript model (.pt) with its model card (<name>.json or model.json) beside it.")
    Path checkpoint;

    @Option(names = "--scenes", paramLabel = "LIST", description = "Scene list (.csv, .json, .parquet).")
    Path scenes;

    @Mixin
    RegionOptions region;

    @Option(names = "--out", paramLabel = "TIF", description = "With --raster: the region's class raster to write.")
    Path out;

    @Option(names = "--block-size", defaultValue = "4096", paramLabel = "PX",
            description = "With --raster: block side in pixels of the region's grid, one task per block."
                    + " Default: ${DEFAULT-VALUE}.")
    int blockSize;

    @Option(names = "--out-dir", paramLabel = "FOLDER",
            description = "Folder for the class rasters (<scene name>.tif) of rows without an 'output'.")
    Path outDir;

    @Option(names = "--summary", paramLabel = "TABLE",
            description = "Parquet summary folder to write (default: <out-dir>/summary.parquet).")
    Path summary;

    @Option(names = "--overwrite", description = "Replace class rasters that exist already.")
    boolean overwrite;

    @Mixin
    WindowingOptions windowing;

    @Option(names = "--format", defaultValue = "COG", paramLabel = "FORMAT", description = "COG or GTIFF.")
    RasterFormat format;

    @Option(names = "--tta", description = "Test-time augmentation: average each window over its 8 flips and quarter"
            + " turns (8x the compute).")
    boolean tta;

    @Option(names = "--polygons", description = "Also polygonize each class raster into <name>.gpkg beside it (one"
            + " feature per region with its class value, name and area).")
    boolean polygons;

    @Mixin
    PolygonOptions polygonShapes;

    @Mixin
    ColorOptions colors;

    @Option(names = "--torch-threads", defaultValue = "0", paramLabel = "N",
            description = "PyTorch threads per executor JVM (0 = PyTorch's default). Default: ${DEFAULT-VALUE}.")
    int torchThreads;

    @Mixin
    SparkOptions spark;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new OptionChecks(spec).atLeast("--torch-threads", torchThreads, 0, "1 (0: PyTorch's default)")
                .localOutput("--out-dir", outDir).localOutput("--summary", summary);
        if ((scenes == null) == !region.given()) {
            throw new ParameterException(spec.commandLine(), scenes == null ? "pass --scenes LIST (one output per"
                    + " scene) or --raster RASTER (one region into --out)" : "--scenes and --raster: pass one of them;"
                    + " --scenes classifies each listed scene, --raster one region");
        }
        if (scenes == null) {
            return region();
        }
        if (out != null) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": is for a region (--raster); a scene"
                    + " list writes into --out-dir or each row's 'output'");
        }
        if (summary == null && outDir == null) {
            throw new ParameterException(spec.commandLine(), "pass --out-dir or --summary (where the summary goes)");
        }
        windowing.validate(spec);
        Path table = summary != null ? summary : outDir.resolve("summary.parquet");
        PrintWriter w = spec.commandLine().getOut();
        PredictSettings settings = settings();
        PredictJob.Result r;
        try (Sessions.Opened s = Sessions.open("geolightning predict", spark.master, spark.conf)) {
            r = PredictJob.run(s.session(), new PredictJob.Config(checkpoint, scenes, outDir, table, settings,
                    torchThreads));
        }
        for (ScenePredictionOutcome o : r.scenes()) {
            if (o.status() == SceneStatus.OK) {
                w.printf(Locale.ROOT, "OK      %s -> %s (%d x %d px, %.1f s)%n", o.scene(), o.output(), o.width(),
                        o.height(), o.seconds());
            } else {
                w.printf(Locale.ROOT, "FAILED  %s%n", o.error());
            }
        }
        w.printf(Locale.ROOT, "classified %d of %d scene(s) in %.1f s (%.1f scenes/min); summary: %s%n",
                r.scenes().size() - r.failed().size(), r.scenes().size(), r.seconds(), r.scenesPerMinute(),
                r.summary().toAbsolutePath());
        w.flush();
        if (r.failed().size() == r.scenes().size()) {
            return SparkJobs.FAILURE;
        }
        return spark.failOnSceneError && !r.failed().isEmpty() ? SparkJobs.FAILURE : SparkJobs.OK;
    }

    private PredictSettings settings() {
        Polygonizer.Options shapes = polygonShapes.resolve(spec, polygons);
        PredictSettings settings;
        try {
            settings = new PredictSettings(windowing.window(), windowing.overlap(), windowing.batchSize(),
                    windowing.blending(), format, overwrite, tta, polygons ? shapes : null);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), OneLine.of(e.getMessage()), e);
        }
        if (colors.given()) { // a misspelt class is a usage error here, not one failed task per scene
            try (ModelCache.Lease lease = ModelCache.borrow(checkpoint, 0)) {
                settings = settings.withColors(colors.resolve(spec, lease.model().classNames()));
            }
        }
        return settings;
    }

    private int region() {
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "pass --out TIF: where the region's class raster goes");
        }
        if (outDir != null || summary != null) {
            throw new ParameterException(spec.commandLine(), (outDir != null ? "--out-dir" : "--summary") + ": is for"
                    + " a scene list (--scenes); a region writes one raster, --out");
        }
        if (blockSize < 1) {
            throw new ParameterException(spec.commandLine(), "--block-size " + blockSize + ": must be positive; pass"
                    + " e.g. 4096");
        }
        region.validate(spec);
        windowing.validate(spec);
        PredictSettings settings = settings();
        PrintWriter w = spec.commandLine().getOut();
        RegionPredictJob.Result r;
        try (Sessions.Opened s = Sessions.open("geolightning predict", spark.master, spark.conf)) {
            r = RegionPredictJob.run(s.session(), new RegionPredictJob.Config(checkpoint, region.raster(), region.area(), out,
                    blockSize, settings, torchThreads));
        }
        w.printf(Locale.ROOT, "classified %s (%d x %d px) in %d block(s), %d windows, %.1f s%n", region.describe(),
                r.width(), r.height(), r.blocks(), r.windows(), r.seconds());
        w.printf(Locale.ROOT, "classified GeoTIFF: %s%n", r.out());
        w.flush();
        return SparkJobs.OK;
    }
}
