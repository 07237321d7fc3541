package io.geolightning.tiling.labels;

import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.TilingException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where labels come from and how they become classes.
 *
 * @param vector vector file (Shapefile, GeoPackage, GeoJSON, ...), local or any path GDAL opens
 * @param layer layer name, or null for the first layer
 * @param attribute field holding the class (text or number), or null to burn every polygon as "foreground"
 * @param classNames the classes in id order; null derives them from the field's distinct values (sorted). Any value
 *                   found in the layer that is not a class (nor the ignore value) is an error.
 * @param background name of the class for chips/pixels no polygon labels; prepended to the classes when missing.
 *                   Segmentation always has one (default "background"); classification without one skips such chips.
 * @param ignoreValue mask value meaning "ignore" (segmentation; polygons whose value is this number burn it), or null
 * @param rule how a chip's class is chosen (classification)
 * @param allTouched burn every pixel a polygon touches rather than those whose centre it covers (segmentation)
 * @param task classification or segmentation
 */
public record LabelConfig(GdalPath vector, String layer, String attribute, List<String> classNames, String background,
                          Integer ignoreValue, ClassificationRule rule, boolean allTouched, LabelTask task) {

    /** Validates. */
    public LabelConfig {
        if (vector == null) {
            throw new TilingException("label config: no vector file; pass the labels' Shapefile/GeoPackage path");
        }
        if (task == null || task == LabelTask.NONE) {
            throw new TilingException("label config for " + vector.fileName() + ": task must be CLASSIFICATION or"
                    + " SEGMENTATION");
        }
        if (rule == null) {
            rule = ClassificationRule.majority();
        }
        if (task == LabelTask.SEGMENTATION && background == null) {
            background = "background";
        }
        if (ignoreValue != null && (ignoreValue < 0 || ignoreValue > 255)) {
            throw new TilingException("ignore value " + ignoreValue + ": masks are one byte per pixel; use 0..255");
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    /** Classification from {@code attribute} of {@code vector}, majority by area, no background. */
    public static LabelConfig classification(Path vector, String attribute) {
        return new LabelConfig(GdalPath.of(vector), null, attribute, null, null, null, ClassificationRule.majority(), false,
                LabelTask.CLASSIFICATION);
    }

    /** Segmentation from {@code attribute} (or null: every polygon is "foreground"), background "background". */
    public static LabelConfig segmentation(Path vector, String attribute) {
        return new LabelConfig(GdalPath.of(vector), null, attribute, null, "background", null, null, false, LabelTask.SEGMENTATION);
    }

    /** @return a copy with explicit class names */
    public LabelConfig withClassNames(List<String> names) {
        return new LabelConfig(vector, layer, attribute, names, background, ignoreValue, rule, allTouched, task);
    }

    /** @return a copy with a background class name (null: none, classification only) */
    public LabelConfig withBackground(String name) {
        return new LabelConfig(vector, layer, attribute, classNames, name, ignoreValue, rule, allTouched, task);
    }

    /** @return a copy with an ignore value */
    public LabelConfig withIgnoreValue(Integer v) {
        return new LabelConfig(vector, layer, attribute, classNames, background, v, rule, allTouched, task);
    }

    /** @return a copy with another classification rule */
    public LabelConfig withRule(ClassificationRule r) {
        return new LabelConfig(vector, layer, attribute, classNames, background, ignoreValue, r, allTouched, task);
    }

    /** @return a copy with a layer name */
    public LabelConfig withLayer(String name) {
        return new LabelConfig(vector, name, attribute, classNames, background, ignoreValue, rule, allTouched, task);
    }

    /** @return a copy with all-touched burning */
    public LabelConfig withAllTouched(boolean v) {
        return new LabelConfig(vector, layer, attribute, classNames, background, ignoreValue, rule, v, task);
    }
}
