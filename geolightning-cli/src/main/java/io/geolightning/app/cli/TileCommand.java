package io.geolightning.app.cli;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.VectorLayerPath;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.TilingResult;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.store.ChipStoreLayout;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.StoreTarget;
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
 * {@code geolightning tile}: cuts a scene into labelled chips (classification: one class per chip from the polygons
 * by area; segmentation: a mask per chip), splits them into train/val/test (spatial blocks or at random) and writes a
 * Parquet chip store with a {@code chips.json} sidecar holding classes and train-split band statistics.
 */
@Command(name = "tile", description = "Cut a raster + vector labels into a Parquet chip store (train/val/test).")
final class TileCommand implements Callable<Integer> {

    @Mixin
    RegionOptions region;

    @Option(names = "--labels", required = true, paramLabel = "LABELS",
            description = "Label polygons (Shapefile, GeoPackage, GeoJSON, ..., also inside /vsizip/...) or a label"
                    + " raster (each value a class; read nearest-neighbour on the raster's grid); reprojected to the"
                    + " raster CRS.")
    GdalPath labels;

    @Mixin
    TilingOptions tiling;

    @Option(names = "--workers", defaultValue = "2", description = "Reading threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--out", required = true, paramLabel = "STORE",
            description = "Chip store: a .parquet file or a folder (created).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing chip store at --out.")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        checkOptions();
        StoreTarget.check(out, overwrite);
        return tile(w); // a failed run's writer removes its own files and the folders it created, nothing else
    }

    private int tile(PrintWriter w) {
        TilingSettings settings = tiling.settings(labels.text());
        TilingResult r;
        TilingConfig config;
        try {
            config = settings.toTilingConfig(region.catalog().files(), region.grid(), out,
                    settings.resolvedSeed(TilingSettings.DEFAULT_SEED), workers).withStackBands(region.isStack());
        } catch (TilingException e) {
            throw tiling.asUsage(e, spec);
        }
        if (region.area() != null) {
            config = config.withRegion(region.area());
        }
        // without --overwrite the store must be new: fail at the commit if another run published one meanwhile
        config = config.withStoreOptions(config.storeOptions().withExclusive(!overwrite));
        r = Tiler.run(config);
        ChipStoreMetadata m = r.metadata();
        w.printf(Locale.ROOT, "tiled %s with %s into %s in %.1f s (%.0f chips/s)%n", region.describe(),
                labels.fileName(), out, r.seconds(), r.chipsPerSecond());
        Table t = new Table(w, 12);
        t.row("chips", r.written() + " written of " + r.candidates() + " placed; skipped: " + r.skippedNodata()
                + " nodata, " + r.skippedUnlabelled() + " unlabelled, " + r.droppedNegatives() + " negatives, "
                + r.droppedBySplit() + " straddling splits");
        t.row("classes", m.classNames());
        StringBuilder sb = new StringBuilder();
        for (String s : List.of("train", "val", "test", "predict")) {
            if (m.rows(s) > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(s).append(' ').append(m.rows(s));
            }
        }
        t.row("splits", sb.length() == 0 ? "none" : sb.toString());
        w.flush();
        if (r.written() > 0 && m.classNames().size() < 2) {
            spec.commandLine().getErr().println("warning: " + out + " holds one class " + m.classNames() + "; a model"
                    + " needs two or more to train on: tile labels of more classes, or name a --background class for"
                    + " the chips no polygon labels");
        }
        if (r.written() == 0) {
            throw new CliException(out + ": no chip was written (every chip was skipped); check that the labels"
                    + " overlap the raster, lower --chip or raise --max-nodata");
        }
        return ExitCodes.OK;
    }

    /** Ranges and choices, as usage errors naming the flags (the YAML keys are checked by the run config). */
    private void checkOptions() {
        tiling.validate(spec);
        OptionChecks c = new OptionChecks(spec).atLeast("--workers", workers, 0, "2");
        region.check(c);
        c.localOutput("--out", out);
        Map<String, Path> inputs = new LinkedHashMap<>(region.localInputs());
        inputs.put("--labels", OptionChecks.local(VectorLayerPath.parse(labels.text(), null, "--layer").file()));
        c.notAnInput("--out", out, inputs);
        Path root = out.toAbsolutePath().normalize();
        for (Path in : inputs.values()) {
            if (in != null && Files.isDirectory(out) && in.toAbsolutePath().normalize().startsWith(root)) {
                throw c.usage("--out " + out + ": holds the input " + in + "; choose an empty or new folder for the"
                        + " chip store");
            }
        }
        ChipStoreLayout layout = new ChipStoreLayout(out);
        if (layout.singleFile()) {
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (in.getValue() != null && OptionChecks.same(layout.sidecar(), in.getValue())) {
                    throw c.usage("--out " + out + ": its sidecar " + layout.sidecar().getFileName() + " would replace"
                            + " the file given to " + in.getKey() + "; choose another --out name");
                }
            }
        }
    }
}
