package io.geolightning.app.cli;

import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.TilingSettings;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The tiling options, shared as a picocli mixin by {@code geolightning tile} and the Spark tile job so both read them
 * the same way; {@link #settings(String)} makes them a {@link TilingSettings}, where the defaults live.
 */
public final class TilingOptions {

    @Option(names = "--layer", paramLabel = "LAYER", description = "Vector layer (default: the first).")
    String layer;

    @Option(names = "--label-field", paramLabel = "FIELD",
            description = "Attribute holding the class (required for classification).")
    String labelField;

    @Option(names = "--mode", defaultValue = TilingSettings.DEFAULT_MODE, paramLabel = "MODE",
            description = "classification (a class per chip) or segmentation (a mask per chip). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--chip", defaultValue = "" + TilingSettings.DEFAULT_CHIP_SIZE, paramLabel = "PIXELS",
            description = "Chip side. Default: ${DEFAULT-VALUE}.")
    int chip;

    @Option(names = "--stride", paramLabel = "PIXELS", description = "Grid step (default: the chip side).")
    Integer stride;

    @Option(names = "--edge", defaultValue = TilingSettings.DEFAULT_EDGE, paramLabel = "MODE",
            description = "Chips at the right/bottom edges: drop, shift or pad. Default: ${DEFAULT-VALUE}.")
    String edge;

    @Option(names = "--max-nodata", defaultValue = "" + TilingSettings.DEFAULT_MAX_NODATA, paramLabel = "FRACTION",
            description = "Skip chips with more nodata than this. Default: ${DEFAULT-VALUE}.")
    double maxNodata;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Class names in id order, or VALUE=NAME pairs naming label values (1=wetland,2=forest)."
                    + " Default: a field's values in natural order (2 before 10); a label raster's named values and"
                    + " any other value found.")
    List<String> classes;

    @Option(names = "--background", paramLabel = "NAME",
            description = "Class of unlabelled chips/pixels (segmentation default: background; classification: skip).")
    String background;

    @Option(names = "--ignore-value", paramLabel = "N",
            description = "Mask value meaning 'ignore' (above the last class id, e.g. 255); polygons whose label"
                    + " field is empty or holds N are ignored too.")
    Integer ignoreValue;

    @Option(names = "--min-coverage", defaultValue = "" + TilingSettings.DEFAULT_MIN_COVERAGE, paramLabel = "FRACTION",
            description = "Share of a chip its class must cover (classification). Default: ${DEFAULT-VALUE}.")
    double minCoverage;

    @Option(names = "--all-touched", description = "Burn every pixel a polygon touches (segmentation).")
    boolean allTouched;

    @Option(names = "--split", defaultValue = TilingSettings.DEFAULT_SPLIT, paramLabel = "KIND",
            description = "spatial (blocks), random or none. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--val", defaultValue = "" + TilingSettings.DEFAULT_VAL, paramLabel = "FRACTION",
            description = "Default: ${DEFAULT-VALUE}.")
    double val;

    @Option(names = "--test", defaultValue = "" + TilingSettings.DEFAULT_TEST, paramLabel = "FRACTION",
            description = "Default: ${DEFAULT-VALUE}.")
    double test;

    @Option(names = "--block", defaultValue = TilingSettings.DEFAULT_BLOCK, paramLabel = "SIZE",
            description = "Spatial block: 4 = 4 chips, 5000m = 5000 metres (also in a CRS in feet or"
                    + " degrees). Default: ${DEFAULT-VALUE}.")
    String block;

    @Option(names = "--seed", defaultValue = "" + TilingSettings.DEFAULT_SEED,
            description = "Split seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--unknown", defaultValue = TilingSettings.DEFAULT_UNKNOWN, paramLabel = "WHAT",
            description = "Label values that are not classes: error (listing them) or ignore (their pixels and"
                    + " polygons become the ignore value). Default: ${DEFAULT-VALUE}.")
    String unknown;

    /** The flag of each tiling setting whose value is checked. */
    private static final Map<String, String> FLAGS = Map.ofEntries(Map.entry("chipSize", "--chip"),
            Map.entry("stride", "--stride"), Map.entry("minCoverage", "--min-coverage"),
            Map.entry("maxNodata", "--max-nodata"), Map.entry("mode", "--mode"), Map.entry("edge", "--edge"),
            Map.entry("split", "--split"), Map.entry("val", "--val"), Map.entry("block", "--block"),
            Map.entry("classes", "--classes"), Map.entry("unknown", "--unknown"),
            Map.entry("labelField", "--label-field"), Map.entry("ignoreValue", "--ignore-value"));

    /**
     * Checks ranges and choices ({@link TilingSettings#check()}, their one home) as usage errors naming the flag.
     *
     * @param spec the command (CLI tile or the Spark tile job)
     */
    public void validate(CommandSpec spec) {
        try {
            settings(null).check();
        } catch (TilingException e) {
            throw asUsage(e, spec);
        }
    }

    /**
     * @param e a tiling failure
     * @param spec the command
     * @return the failure as a usage error naming the flag when it is about one setting, else {@code e} itself
     */
    public RuntimeException asUsage(TilingException e, CommandSpec spec) {
        if (e.setting() == null || !FLAGS.containsKey(e.setting())) {
            return e;
        }
        String flag = FLAGS.get(e.setting());
        if (e.value() == null) {
            return new OptionChecks(spec).usage(flag + " is not set: " + e.problem());
        }
        String named = e.setting().equals("val") ? "--val " + val + " --test " + test : flag + " " + e.value();
        return new OptionChecks(spec).usage(named + ": " + e.problem());
    }

    /**
     * @param labels the label polygons (may be null where each scene names its own)
     * @return the options as tiling settings
     */
    public TilingSettings settings(String labels) {
        return TilingSettings.builder().labels(labels).layer(layer).labelField(labelField).mode(mode).classes(classes)
                .background(background).ignoreValue(ignoreValue).minCoverage(minCoverage).allTouched(allTouched)
                .chipSize(chip).stride(stride).edge(edge).maxNodata(maxNodata).split(split).val(val).test(test)
                .block(block).seed(seed).unknown(unknown).build();
    }
}
