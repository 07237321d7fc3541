package io.geolightning.app.cli;

import io.geolightning.app.config.DataSection;
import io.geolightning.app.data.DataModuleFactory;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingResult;
import io.geolightning.tiling.store.ChipStoreMetadata;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--raster", required = true, paramLabel = "RASTER", description = "Scene to tile (any GDAL raster).")
    Path raster;

    @Option(names = "--labels", required = true, paramLabel = "VECTOR",
            description = "Label polygons (Shapefile, GeoPackage, GeoJSON, ...); reprojected to the raster CRS.")
    Path labels;

    @Option(names = "--layer", paramLabel = "LAYER", description = "Vector layer (default: the first).")
    String layer;

    @Option(names = "--label-field", paramLabel = "FIELD",
            description = "Attribute holding the class (required for classification).")
    String labelField;

    @Option(names = "--mode", defaultValue = "classification", paramLabel = "MODE",
            description = "classification (a class per chip) or segmentation (a mask per chip). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--chip", defaultValue = "64", paramLabel = "PIXELS", description = "Chip side. Default: ${DEFAULT-VALUE}.")
    int chip;

    @Option(names = "--stride", paramLabel = "PIXELS", description = "Grid step (default: the chip side).")
    Integer stride;

    @Option(names = "--edge", defaultValue = "drop", paramLabel = "MODE",
            description = "Chips at the right/bottom edges: drop, shift or pad. Default: ${DEFAULT-VALUE}.")
    String edge;

    @Option(names = "--max-nodata", defaultValue = "0.5", paramLabel = "FRACTION",
            description = "Skip chips with more nodata than this. Default: ${DEFAULT-VALUE}.")
    double maxNodata;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Class names in id order (default: the field's values, sorted).")
    List<String> classes;

    @Option(names = "--background", paramLabel = "NAME",
            description = "Class of unlabelled chips/pixels (segmentation default: background; classification: skip).")
    String background;

    @Option(names = "--ignore-value", paramLabel = "N", description = "Mask value meaning 'ignore' (segmentation).")
    Integer ignoreValue;

    @Option(names = "--min-coverage", defaultValue = "0", paramLabel = "FRACTION",
            description = "Share of a chip its class must cover (classification). Default: ${DEFAULT-VALUE}.")
    double minCoverage;

    @Option(names = "--all-touched", description = "Burn every pixel a polygon touches (segmentation).")
    boolean allTouched;

    @Option(names = "--split", defaultValue = "spatial", paramLabel = "KIND",
            description = "spatial (blocks), random or none. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--val", defaultValue = "0.2", paramLabel = "FRACTION", description = "Default: ${DEFAULT-VALUE}.")
    double val;

    @Option(names = "--test", defaultValue = "0.1", paramLabel = "FRACTION", description = "Default: ${DEFAULT-VALUE}.")
    double test;

    @Option(names = "--block", defaultValue = "4", paramLabel = "SIZE",
            description = "Spatial block: 4 = 4 chips, 5000m = 5000 map units. Default: ${DEFAULT-VALUE}.")
    String block;

    @Option(names = "--seed", defaultValue = "42", description = "Split seed. Default: ${DEFAULT-VALUE}.")
    long seed;

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
        boolean created = !Files.exists(out);
        try {
            return tile(w);
        } catch (RuntimeException | Error e) {
            if (created) {
                StoreTarget.removeFailed(out); // nothing of a failed run stays at --out
            }
            throw e;
        }
    }

    private int tile(PrintWriter w) {
        DataSection data = new DataSection(out.toString(), raster.toString(), labels.toString(), layer, labelField,
                mode, classes, background, ignoreValue, minCoverage, allTouched, chip, stride, edge, maxNodata, split,
                val, test, block, seed, null, null, null, workers, null);
        TilingConfig config = DataModuleFactory.tilingConfig(data, out, seed);
        TilingResult r = Tiler.run(config);
        ChipStoreMetadata m = r.metadata();
        w.printf(Locale.ROOT, "tiled %s with %s into %s in %.1f s (%.0f chips/s)%n", raster.getFileName(),
                labels.getFileName(), out, r.seconds(), r.chipsPerSecond());
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
        if (r.written() == 0) {
            throw new CliException(out + ": no chip was written (every chip was skipped); check that the labels"
                    + " overlap the raster, lower --chip or raise --max-nodata");
        }
        return ExitCodes.OK;
    }

    /** Ranges and choices, as usage errors naming the flags (the YAML keys are checked by the run config). */
    private void checkOptions() {
        OptionChecks c = new OptionChecks(spec).atLeast("--chip", chip, 1, "64").fraction("--max-nodata", maxNodata)
                .fraction("--min-coverage", minCoverage).fraction("--val", val).fraction("--test", test)
                .atLeast("--workers", workers, 0, "2");
        if (stride != null) {
            c.atLeast("--stride", stride, 1, String.valueOf(chip));
        }
        c.choice("--mode", mode, Map.of("classification", 1, "segmentation", 2), "classification or segmentation");
        c.choice("--edge", edge, Map.of("drop", 1, "shift", 2, "pad", 3), "drop, shift or pad");
        c.choice("--split", split, Map.of("spatial", 1, "random", 2, "none", 3), "spatial, random or none");
        if (val + test >= 1) {
            throw c.usage("--val " + val + " --test " + test + ": together they must stay below 1 so that chips are"
                    + " left for training, e.g. --val 0.2 --test 0.1");
        }
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--raster", raster);
        inputs.put("--labels", labels);
        c.notAnInput("--out", out, inputs);
        for (Path in : inputs.values()) {
            if (Files.isDirectory(out) && in.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())) {
                throw c.usage("--out " + out + ": holds the input " + in + "; choose an empty or new folder for the chip"
                        + " store");
            }
        }
    }
}
