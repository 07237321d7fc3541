package io.geolightning.spark;

import io.geolightning.app.config.DataSection;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How one scene is tiled: the keys of the single-machine {@code geolightning tile} command / the run config's
 * {@code data} section, each null for "the CLI's default". The job's command-line options give defaults; a scene
 * list's columns of the same names (any case, '_' or '-' ignored) override them per scene. Serializable: it travels
 * to the executors.
 *
 * @param labels vector labels file
 * @param layer vector layer
 * @param labelField attribute holding the class
 * @param mode classification or segmentation
 * @param classes class names in id order
 * @param background class of chips/pixels no polygon covers
 * @param ignoreValue mask value meaning "ignore"
 * @param minCoverage share of a chip its class must cover (classification)
 * @param allTouched burn every touched pixel (segmentation)
 * @param chipSize chip side in pixels
 * @param stride grid step in pixels
 * @param edge drop, shift or pad
 * @param maxNodata skip chips with more nodata than this fraction
 * @param split spatial, random or none
 * @param val validation fraction
 * @param test test fraction
 * @param block spatial block size (chips, or map units with an m suffix)
 * @param seed split seed
 */
public record TileSettings(String labels, String layer, String labelField, String mode, List<String> classes,
                           String background, Integer ignoreValue, Double minCoverage, Boolean allTouched,
                           Integer chipSize, Integer stride, String edge, Double maxNodata, String split, Double val,
                           Double test, String block, Long seed) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The seed of the single-machine CLI when none is given. */
    public static final long DEFAULT_SEED = 42;

    /** Scene-list columns (besides {@code raster}) in canonical spelling. */
    public static final List<String> COLUMNS = List.of("labels", "layer", "labelField", "mode", "classes",
            "background", "ignoreValue", "minCoverage", "allTouched", "chipSize", "stride", "edge", "maxNodata",
            "split", "val", "test", "block", "seed");

    /** Other spellings accepted in a scene list. */
    public static final Map<String, String> ALIASES = Map.of("chip", "chipSize", "vector", "labels",
            "field", "labelField", "ignore", "ignoreValue", "valFraction", "val", "testFraction", "test");

    /** Copies the class list. */
    public TileSettings {
        classes = classes == null ? null : List.copyOf(classes);
    }

    /** @return settings with every value left to the CLI's defaults */
    public static TileSettings defaults() {
        return new TileSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /**
     * @param e a scene-list row
     * @return these settings with the row's non-empty cells in place of the defaults
     */
    public TileSettings overriddenBy(SceneList.Entry e) {
        Long ignore = e.integer("ignoreValue");
        Long chip = e.integer("chipSize");
        Long step = e.integer("stride");
        return new TileSettings(
                e.has("labels") ? e.path("labels").toString() : labels,
                e.has("layer") ? e.string("layer") : layer,
                e.has("labelField") ? e.string("labelField") : labelField,
                e.has("mode") ? e.string("mode") : mode,
                e.has("classes") ? e.list("classes") : classes,
                e.has("background") ? e.string("background") : background,
                ignore != null ? Integer.valueOf(ignore.intValue()) : ignoreValue,
                e.has("minCoverage") ? e.number("minCoverage") : minCoverage,
                e.has("allTouched") ? e.bool("allTouched") : allTouched,
                chip != null ? Integer.valueOf(chip.intValue()) : chipSize,
                step != null ? Integer.valueOf(step.intValue()) : stride,
                e.has("edge") ? e.string("edge") : edge,
                e.has("maxNodata") ? e.number("maxNodata") : maxNodata,
                e.has("split") ? e.string("split") : split,
                e.has("val") ? e.number("val") : val,
                e.has("test") ? e.number("test") : test,
                e.has("block") ? e.string("block") : block,
                e.has("seed") ? e.integer("seed") : seed);
    }

    /** @return the split seed: the given one or the CLI's default, 42 */
    public long resolvedSeed() {
        return seed != null ? seed : DEFAULT_SEED;
    }

    /**
     * @param raster the scene
     * @param workers reading threads inside the task
     * @return the equivalent {@code data} section of the single-machine CLI (its defaults fill the gaps)
     */
    public DataSection toDataSection(String raster, int workers) {
        return new DataSection(null, raster, labels, layer, labelField, mode, classes, background, ignoreValue,
                minCoverage, allTouched, chipSize, stride, edge, maxNodata, split, val, test, block, seed, null, null,
                null, workers, null);
    }
}
