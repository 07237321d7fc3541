package io.geolightning.tiling.labels;

import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.TilingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param valueNames names of label values (a field's values, or a label raster's), e.g. {@code 1 -> wetland}: a value
 *                   is read as its name, so {@code classNames} name classes by these names; null = values are names
 *                   (a label raster's own category names still apply)
 * @param ignoreUnknown label values that are not classes are ignored (their pixels and polygons burn the ignore
 *                      value; classification leaves their polygons out) instead of being an error
 */
public record LabelConfig(GdalPath vector, String layer, String attribute, List<String> classNames, String background,
                          Integer ignoreValue, ClassificationRule rule, boolean allTouched, LabelTask task,
                          Map<String, String> valueNames, boolean ignoreUnknown) {

    /** Labels whose values are their class names; other values are an error. */
    public LabelConfig(GdalPath vector, String layer, String attribute, List<String> classNames, String background,
                       Integer ignoreValue, ClassificationRule rule, boolean allTouched, LabelTask task) {
        this(vector, layer, attribute, classNames, background, ignoreValue, rule, allTouched, task, null, false);
    }

    /** Labels with named values; other values are an error. */
    public LabelConfig(GdalPath vector, String layer, String attribute, List<String> classNames, String background,
                       Integer ignoreValue, ClassificationRule rule, boolean allTouched, LabelTask task,
                       Map<String, String> valueNames) {
        this(vector, layer, attribute, classNames, background, ignoreValue, rule, allTouched, task, valueNames, false);
    }

    /**
     * The mask value of pixels nothing is known about when no ignore value is given: where a label raster does not
     * reach, label values ignored with {@code --unknown ignore}, and pixels the image has no data for. Losses and
     * metrics skip it by default ({@code model.ignoreIndex} is 255).
     */
    public static final int DEFAULT_IGNORE_VALUE = 255;

    /** @return the mask value of ignored pixels: {@link #ignoreValue()}, else {@link #DEFAULT_IGNORE_VALUE} */
    public int maskIgnoreValue() {
        return ignoreValue != null ? ignoreValue : DEFAULT_IGNORE_VALUE;
    }

    /** @return a copy that ignores label values that are not classes (or, with false, refuses them) */
    public LabelConfig withIgnoreUnknown(boolean v) {
        return new LabelConfig(vector, layer, attribute, classNames, background, ignoreValue, rule, allTouched, task,
                valueNames, v);
    }

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
        // names as the labels' text values are read (NFC): the same name typed or stored in another Unicode form
        background = nfc(background);
        classNames = classNames == null ? null : List.copyOf(classNames.stream().map(LabelConfig::nfc).toList());
        if (valueNames != null && !valueNames.isEmpty()) {
            Map<String, String> m = new LinkedHashMap<>();
            valueNames.forEach((k, v) -> m.put(nfc(k), nfc(v)));
            valueNames = Collections.unmodifiableMap(m);
        } else {
            valueNames = null;
        }
    }

    private static String nfc(String s) {
        return s == null ? null : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
    }

    /**
     * The classes as given on the command line or in YAML: names ({@code wetland,forest}), or values with their names
     * ({@code 1=wetland,2=forest}, a YAML map {@code {1: wetland, 2: forest}}), never a mix.
     *
     * @param names the class names in id order, null for the labels' own
     * @param valueNames value to name, null when the classes are names
     */
    public record Classes(List<String> names, Map<String, String> valueNames) {

        /**
         * @param entries the classes setting, or null
         * @return the names (in order, first appearance) and the value names
         * @throws TilingException (setting {@code classes}) for a mix of both forms, an empty value or name, a value
         *     given twice, or a name given twice in the list of names
         */
        public static Classes parse(List<String> entries) {
            if (entries == null || entries.stream().noneMatch(e -> e.contains("="))) {
                String twice = entries == null ? null : entries.stream()
                        .filter(n -> entries.indexOf(n) != entries.lastIndexOf(n)).findFirst().orElse(null);
                if (twice != null) {
                    String problem = "class " + twice + " is named twice; name each class once";
                    throw new TilingException("classes", String.join(",", entries), problem, "classes: " + problem);
                }
                return new Classes(entries, null);
            }
            Map<String, String> map = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (String e : entries) {
                int eq = e.indexOf('=');
                String value = eq < 0 ? "" : e.substring(0, eq).trim();
                String name = eq < 0 ? "" : e.substring(eq + 1).trim();
                if (value.isEmpty() || name.isEmpty()) {
                    String problem = "'" + e + "' is not value=name; write every class as value=name"
                            + " (1=wetland,2=forest) or every class as a name";
                    throw new TilingException("classes", String.join(",", entries), problem, "classes: " + problem);
                }
                if (map.put(value, name) != null) {
                    String problem = "value " + value + " is named twice; name each value once";
                    throw new TilingException("classes", String.join(",", entries), problem, "classes: " + problem);
                }
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            return new Classes(List.copyOf(names), map);
        }
    }

    /**
     * @param value a label value as text ("1", "URBANO")
     * @return its name from {@link #valueNames()}, or the value itself
     */
    public String nameOf(String value) {
        return valueNames == null ? value : valueNames.getOrDefault(value, value);
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
        return new LabelConfig(vector, layer, attribute, names, background, ignoreValue, rule, allTouched, task,
                valueNames, ignoreUnknown);
    }

    /** @return a copy with a background class name (null: none, classification only) */
    public LabelConfig withBackground(String name) {
        return new LabelConfig(vector, layer, attribute, classNames, name, ignoreValue, rule, allTouched, task,
                valueNames, ignoreUnknown);
    }

    /** @return a copy with an ignore value */
    public LabelConfig withIgnoreValue(Integer v) {
        return new LabelConfig(vector, layer, attribute, classNames, background, v, rule, allTouched, task,
                valueNames, ignoreUnknown);
    }

    /** @return a copy with another classification rule */
    public LabelConfig withRule(ClassificationRule r) {
        return new LabelConfig(vector, layer, attribute, classNames, background, ignoreValue, r, allTouched, task,
                valueNames, ignoreUnknown);
    }

    /** @return a copy with a layer name */
    public LabelConfig withLayer(String name) {
        return new LabelConfig(vector, name, attribute, classNames, background, ignoreValue, rule, allTouched, task,
                valueNames, ignoreUnknown);
    }

    /** @return a copy with all-touched burning */
    public LabelConfig withAllTouched(boolean v) {
        return new LabelConfig(vector, layer, attribute, classNames, background, ignoreValue, rule, v, task,
                valueNames, ignoreUnknown);
    }
}
