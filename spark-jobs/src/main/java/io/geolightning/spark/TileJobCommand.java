package io.geolightning.spark;

import io.geolightning.app.cli.OptionChecks;
import io.geolightning.app.cli.RegionOptions;
import io.geolightning.app.cli.TilingOptions;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.store.ChipStoreMetadata;
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

/**
 * {@code tile}: the scenes of a list into one partitioned chip store. The options are those of
 * {@code geolightning tile} and give every scene's defaults; the list's columns of the same names override them per
 * scene (e.g. a {@code labels} column for per-scene label files).
 */
@Command(name = "tile", description = {"Tile a list of scenes (+ labels) into ONE partitioned Parquet chip store.",
    "Scene list: CSV with a header, JSON or Parquet; column 'raster' (alias 'scene') and optional columns named like"
        + " the options below (labels, layer, labelField, mode, classes, chipSize, stride, split, val, test, block,"
        + " seed, ...) that override them per scene. Relative paths resolve against the list's folder.",
    "Or tile ONE region (--raster, repeatable, globs, lists, or --bands-from; --crs/--resolution; --bbox/--aoi)"
        + " split into --block-size blocks, one task each: the same chips as the single-machine 'geolightning tile'"
        + " of the region."})
final class TileJobCommand implements Callable<Integer> {

    @Option(names = "--scenes", paramLabel = "LIST", description = "Scene list (.csv, .json, .parquet).")
    Path scenes;

    @Mixin
    RegionOptions region;

    @Option(names = "--block-size", defaultValue = "4096", paramLabel = "PX",
            description = "With --raster: block side in pixels of the region's grid, one task per block."
                    + " Default: ${DEFAULT-VALUE}.")
    int blockSize;

    @Option(names = "--out", required = true, paramLabel = "FOLDER",
            description = "Chip-store folder to write (on a file system all nodes share).")
    Path out;

    @Option(names = "--overwrite", description = "Replace a chip store already at --out (finished, or left by an"
            + " interrupted run).")
    boolean overwrite;

    @Option(names = "--labels", paramLabel = "VECTOR", description = "Label polygons for rows without a labels column.")
    String labels;

    @Mixin
    TilingOptions tiling;

    @Option(names = "--workers-per-task", defaultValue = "1", paramLabel = "N",
            description = "Reading threads inside each task. Default: ${DEFAULT-VALUE}.")
    int workersPerTask;

    @Mixin
    SparkOptions spark;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if ((scenes == null) == !region.given()) {
            throw new ParameterException(spec.commandLine(), scenes == null ? "pass --scenes LIST (scenes tiled one"
                    + " per task) or --raster RASTER (one region in blocks)" : "--scenes and --raster: pass one of"
                    + " them; --scenes tiles each listed scene, --raster one region");
        }
        tiling.validate(spec);
        new OptionChecks(spec).atLeast("--workers-per-task", workersPerTask, 1, "1").localOutput("--out", out);
        TilingSettings defaults = tiling.settings(labels);
        TileJob.Result r;
        if (scenes == null) {
            if (labels == null) {
                throw new ParameterException(spec.commandLine(), "pass --labels (label polygons or a label raster)");
            }
            if (blockSize < 1) {
                throw new ParameterException(spec.commandLine(), "--block-size " + blockSize + ": must be positive;"
                        + " pass e.g. 4096");
            }
            region.validate(spec);
        }
        try (Sessions.Opened s = Sessions.open("geolightning tile", spark.master, spark.conf)) {
            r = scenes != null ? TileJob.run(s.session(), new TileJob.Config(scenes, out, defaults, workersPerTask,
                    overwrite)) : TileJob.run(s.session(), new TileJob.RegionConfig(region.catalog().files().stream()
                    .map(io.geolightning.geo.GdalPath::text).toList(), region.grid(), region.area(), region.isStack(),
                    out, defaults, blockSize, workersPerTask, overwrite));
        }
        for (SceneTileOutcome o : r.scenes()) {
            if (o.status() == SceneStatus.OK) {
                w.printf(Locale.ROOT, "OK      %s: %d part(s), %.1f s%n", o.raster(), o.parts().size(), o.seconds());
            } else {
                w.printf(Locale.ROOT, "FAILED  %s%n", o.error());
            }
        }
        ChipStoreMetadata m = r.metadata();
        w.printf(Locale.ROOT, "chip store %s: %d chips (train %d, val %d, test %d) from %d of %d %s, classes %s,"
                        + " in %.1f s%n", r.store(), m.rows("total"), m.rows("train"), m.rows("val"), m.rows("test"),
                r.scenes().size() - r.failed().size(), r.scenes().size(), scenes != null ? "scene(s)" : "block(s)",
                m.classNames(), r.seconds());
        w.flush();
        return spark.failOnSceneError && !r.failed().isEmpty() ? SparkJobs.FAILURE : SparkJobs.OK;
    }
}
