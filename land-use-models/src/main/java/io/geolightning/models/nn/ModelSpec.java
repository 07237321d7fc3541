package io.geolightning.models.nn;

import io.geolightning.tiling.labels.LabelTask;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to rebuild a network: architecture, input bands, output classes, training chip size and
 * architecture options (e.g. {@code width}, {@code depth}, {@code upsampling}). Stored in a checkpoint's
 * hyperparameters so prediction can rebuild the exact network before loading its weights.
 *
 * <p>Options understood by {@link ModelFactory}:
 * <ul>
 *   <li>cnn: {@code width} (first-stage channels, default 32), {@code stages} (default 4),
 *       {@code convsPerStage} (default 1), {@code dropout} (default 0.2)</li>
 *   <li>resnet18 / resnet50: none</li>
 *   <li>unet: {@code width} (default 32), {@code depth} (number of 2x downsamplings, default 4),
 *       {@code upsampling} ({@code bilinear} default, {@code nearest}, {@code pixelshuffle})</li>
 * </ul>
 *
 * @param architecture the network
 * @param bands number of input bands (channels), at least 1
 * @param classes number of output classes, at least 2
 * @param chipSize the side of the square chips the network was trained on, in pixels
 * @param options architecture options, string-valued; never null (copied, sorted)
 */
public record ModelSpec(Architecture architecture, int bands, int classes, int chipSize, Map<String, String> options) {

    /** Validates every field and copies the options. */
    public ModelSpec {
        if (architecture == null) {
            throw new ModelException("model spec: architecture is missing; set one of cnn, resnet18, resnet34, resnet50, unet");
        }
        if (bands < 1) {
            throw new ModelException("model spec: bands = " + bands + " is not a band count; pass 1 or more");
        }
        if (classes < 2) {
            throw new ModelException("model spec: classes = " + classes + " is too few; a classifier needs 2 or more");
        }
        if (chipSize < architecture.minChipSize()) {
            throw new ModelException("chips of " + chipSize + " px are too small for " + architecture.id()
                    + "; tile chips of at least " + architecture.minChipSize() + " px (--chip, data.chipSize)");
        }
        options = options == null ? Map.of() : Map.copyOf(new TreeMap<>(options));
    }

    /**
     * @param architecture the network
     * @param bands input bands
     * @param classes output classes
     * @param chipSize chip side in pixels
     * @return a spec with default options
     */
    public static ModelSpec of(Architecture architecture, int bands, int classes, int chipSize) {
        return new ModelSpec(architecture, bands, classes, chipSize, Map.of());
    }

    /**
     * @param key option name
     * @param value option value
     * @return a copy with that option set
     */
    public ModelSpec withOption(String key, Object value) {
        Map<String, String> copy = new TreeMap<>(options);
        copy.put(key, String.valueOf(value));
        return new ModelSpec(architecture, bands, classes, chipSize, copy);
    }

    /** @return whether the network classifies chips or segments pixels */
    public LabelTask kind() {
        return architecture.kind();
    }

    /**
     * @param key option name
     * @param fallback value when absent
     * @return the integer option
     * @throws ModelException when the option is not an integer
     */
    public int intOption(String key, int fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ModelException.badOption("model option", key, "'" + v + "'", " is ",
                    "not an integer; pass a whole number");
        }
    }

    /**
     * @param key option name
     * @param fallback value when absent
     * @return the floating-point option
     * @throws ModelException when the option is not a number
     */
    public double doubleOption(String key, double fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw ModelException.badOption("model option", key, "'" + v + "'", " is ", "not a number; pass e.g. 0.5");
        }
    }

    /**
     * @param key option name
     * @param fallback value when absent
     * @return the string option
     */
    public String stringOption(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** @return a plain map (architecture, bands, classes, chipSize, options) for JSON/YAML hyperparameters */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture.id());
        m.put("bands", bands);
        m.put("classes", classes);
        m.put("chipSize", chipSize);
        m.put("options", new TreeMap<>(options));
        return m;
    }

    /**
     * Reads a spec written by {@link #toMap()} (numbers may arrive as any {@link Number} or string).
     *
     * @param m the map
     * @return the spec
     * @throws ModelException naming the missing or malformed key
     */
    public static ModelSpec fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new ModelException("model spec: missing; the checkpoint has no 'model' hyperparameters, retrain or "
                    + "pass a checkpoint written by GeoLightning");
        }
        Map<String, String> opts = new TreeMap<>();
        Object o = m.get("options");
        if (o instanceof Map<?, ?> om) {
            om.forEach((k, v) -> opts.put(String.valueOf(k), String.valueOf(v)));
        }
        return new ModelSpec(Architecture.parse(String.valueOf(m.get("architecture"))), intValue(m, "bands"),
                intValue(m, "classes"), intValue(m, "chipSize"), opts);
    }

    private static int intValue(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v != null) {
            try {
                return Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new ModelException("model spec: '" + key + "' = " + v + " is not an integer; write it as a whole number");
    }
}
