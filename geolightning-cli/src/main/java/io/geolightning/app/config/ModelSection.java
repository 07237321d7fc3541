package io.geolightning.app.config;

import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.SegmentationLoss;
import io.geolightning.tiling.data.BandNormalization;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} section: which network and how its loss weighs classes. Bands, classes and chip size come from the
 * data, so they are not configured here.
 *
 * @param architecture {@code cnn}, {@code resnet18}, {@code resnet34}, {@code resnet50}, {@code unet} or
 *     {@code unet_resnet18}, {@code unet_resnet34}, {@code unet_resnet50} (default {@code cnn})
 * @param options architecture options, e.g. {@code {width: 16, stages: 3}} (see the models' ModelSpec)
 * @param classWeights one loss weight per class, or empty for equal weights
 * @param ignoreIndex label value excluded from loss and metrics (default 255)
 * @param weights weights to start from, as .safetensors, .npz or .pth: a torchvision/timm ResNet state dict for the
 *     ResNets and the ResNet U-Nets' encoders, or what {@code geolightning export} wrote for a network of the same
 *     architecture and options (any architecture; perhaps trained further in Python); null trains from scratch
 * @param weightsPrefix the prefix of the weights' names ({@code backbone.}), or null to detect it
 * @param normalization the input normalisation the weights expect, instead of the chips' band statistics:
 *     {@code {mean: [...], std: [...], scale: 255}} means {@code (x / scale - mean) / std} per band (one value for
 *     every band, or one per band; scale default 1), e.g. ImageNet's, or {@code {scale: 10000}} for TorchGeo's
 *     Sentinel-2 weights; stored in the checkpoint and used at prediction
 * @param classColors the classes' colours by class name or value ({@code {URBANO: "#d62728", 0: "#2ca02c"}}),
 *     stored in the checkpoint: predictions use them for the palette, legend and QGIS style (a {@code --colors}
 *     wins); classes not listed keep the default palette
 */
public record ModelSection(String architecture, Map<String, Object> options, List<Double> classWeights,
                           Integer ignoreIndex, String weights, String weightsPrefix,
                           Map<String, Object> normalization, Map<String, String> classColors) {

    /**
     * @return the entries given a value, in the file's order (the resolved configuration keeps it); a key left empty
     *     ({@code width:}, {@code --set model.options.width=}) takes its default, as any other key does
     */
    private static Map<String, Object> given(Map<String, Object> map) {
        Map<String, Object> kept = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                kept.put(k, v);
            }
        });
        return java.util.Collections.unmodifiableMap(kept);
    }

    /** Fills defaults. */
    public ModelSection {
        if (architecture == null || architecture.isBlank()) {
            architecture = "cnn";
        }
        options = options == null ? Map.of() : given(options);
        classColors = classColors == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(classColors));
        classColors.forEach((k, v) -> {
            if (v == null) {
                throw new ConfigException("model.classColors." + k + ": no colour (an unquoted #... is a YAML"
                        + " comment); quote it, e.g. \"#d62728\"");
            }
            try {
                io.geolightning.geo.ClassLegend.parseHex(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("model.classColors." + k + ": " + e.getMessage());
            }
        });
        classWeights = classWeights == null ? List.of() : List.copyOf(classWeights);
        for (Double w : classWeights) {
            if (w == null || !(w >= 0) || w.isInfinite()) {
                throw new ConfigException("model.classWeights " + classWeights + ": a weight is missing, negative or"
                        + " not finite; pass finite weights >= 0, one per class");
            }
        }
        if (ignoreIndex == null) {
            ignoreIndex = 255;
        }
        normalization = normalization == null ? null : given(normalization);
        if (normalization != null) {
            normalization(normalization, 0); // checks the values now (the band count is the data's, known later)
        }
        Architecture arch = network(architecture);
        for (String key : options.keySet()) {
            if (!arch.options().contains(key)) {
                throw new ConfigException("model.options." + key + ": not an option of " + arch.id() + "; "
                        + (arch.options().isEmpty() ? arch.id() + " takes no options" : "valid options: "
                        + String.join(", ", arch.options())));
            }
        }
        checkOptionValues(arch, options);
    }

    /**
     * The options' values, checked as the network and its loss read them (on a nominal spec: the data's bands,
     * classes and chip size are checked when they are known), so that --print-config and the config refuse a bad value
     * (exit 2).
     * The error names the option the models module says is bad ({@link ModelException#option()}).
     */
    private static void checkOptionValues(Architecture arch, Map<String, Object> options) {
        Map<String, String> text = new java.util.TreeMap<>();
        options.forEach((k, v) -> text.put(k, String.valueOf(v)));
        ModelSpec spec = new ModelSpec(arch, 3, 2, 1 << 20, text);
        try {
            ModelFactory.resolvedOptions(spec);
            SegmentationLoss.checkOptions(spec);
        } catch (ModelException e) {
            if (e.option() == null) {
                throw new ConfigException("model.options", "model.options: " + e.getMessage(), e);
            }
            String key = "model.options." + e.option();
            throw new ConfigException(key, key + " " + e.value() + ": " + e.problem(), e);
        }
    }

    /**
     * @param bands the data's band count (0: any, to check the values alone)
     * @return {@code model.normalization} as the per-band (mean, std) applied to raw pixels, or null when unset
     * @throws ConfigException naming the key for unknown keys, non-numbers, a non-positive std or scale, or a count
     *     that is neither 1 nor {@code bands}
     */
    public BandNormalization normalization(int bands) {
        return normalization(normalization, bands);
    }

    private static BandNormalization normalization(Map<String, Object> normalization, int bands) {
        if (normalization == null) {
            return null;
        }
        for (String k : normalization.keySet()) {
            if (!List.of("mean", "std", "scale").contains(k)) {
                throw new ConfigException("model.normalization." + k + ": unknown key; use mean, std and scale");
            }
        }
        double scale = number("scale", normalization.getOrDefault("scale", 1));
        if (!(scale > 0)) {
            throw new ConfigException("model.normalization.scale " + scale + ": must be positive, e.g. 255 or 10000");
        }
        Object meanValue = normalization.getOrDefault("mean", List.of(0));
        Object stdValue = normalization.getOrDefault("std", List.of(1));
        int n = bands > 0 ? bands : Math.max(count(meanValue), count(stdValue));
        double[] mean = perBand("mean", meanValue, n);
        double[] std = perBand("std", stdValue, n);
        for (int b = 0; b < mean.length; b++) {
            if (!(std[b] > 0)) {
                throw new ConfigException("model.normalization.std " + std[b] + ": must be positive");
            }
            mean[b] *= scale;
            std[b] *= scale;
        }
        return new BandNormalization(mean, std);
    }

    private static double number(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ConfigException("model.normalization." + key + " '" + v + "': not a number");
    }

    private static int count(Object v) {
        return v instanceof List<?> l ? l.size() : 1;
    }

    private static double[] perBand(String key, Object v, int bands) {
        List<?> values = v instanceof List<?> l ? l : List.of(v);
        if (values.isEmpty() || values.size() != 1 && values.size() != bands) {
            throw new ConfigException("model.normalization." + key + " has " + values.size() + " values but the data"
                    + " has " + bands + " bands; give one value for every band or one per band");
        }
        double[] out = new double[bands];
        for (int b = 0; b < bands; b++) {
            out[b] = number(key, values.get(values.size() == 1 ? 0 : b));
        }
        return out;
    }

    /** @return the network {@code architecture} names */
    public Architecture network() {
        return network(architecture);
    }

    private static Architecture network(String architecture) {
        try {
            return Architecture.parse(architecture);
        } catch (ModelException e) {
            throw new ConfigException("model.architecture", "model." + e.getMessage(), e);
        }
    }

    /** @return the defaults: a small CNN, equal class weights, ignore 255 */
    public static ModelSection defaults() {
        return new ModelSection(null, null, null, null, null, null, null, null);
    }
}
