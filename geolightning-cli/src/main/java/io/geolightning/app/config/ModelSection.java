package io.geolightning.app.config;

import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelException;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} section: which network and how its loss weighs classes. Bands, classes and chip size come from the
 * data, so they are not configured here.
 *
 * @param architecture {@code cnn}, {@code resnet18}, {@code resnet50} or {@code unet} (default {@code cnn})
 * @param options architecture options, e.g. {@code {width: 16, stages: 3}} (see the models' ModelSpec)
 * @param classWeights one loss weight per class, or empty for equal weights
 * @param ignoreIndex label value excluded from loss and metrics (default 255)
 * @param weights pretrained weights to start from (a torchvision/timm ResNet state dict as .safetensors or .npz;
 *     resnet18, resnet34 and resnet50), or null to train from scratch
 * @param weightsPrefix the prefix of the weights' names ({@code backbone.}), or null to detect it
 */
public record ModelSection(String architecture, Map<String, Object> options, List<Double> classWeights,
                           Integer ignoreIndex, String weights, String weightsPrefix) {

    /** Fills defaults. */
    public ModelSection {
        if (architecture == null || architecture.isBlank()) {
            architecture = "cnn";
        }
        options = options == null ? Map.of() : Map.copyOf(options);
        classWeights = classWeights == null ? List.of() : List.copyOf(classWeights);
        if (ignoreIndex == null) {
            ignoreIndex = 255;
        }
        Architecture arch = network(architecture);
        if (weights != null && !weights.isBlank() && !arch.id().startsWith("resnet")) {
            throw new ConfigException("model.weights: pretrained weights load into resnet18, resnet34 and resnet50,"
                    + " not "
                    + arch.id() + "; set model.architecture to a ResNet or remove model.weights");
        }
        for (String key : options.keySet()) {
            if (!arch.options().contains(key)) {
                throw new ConfigException("model.options." + key + ": not an option of " + arch.id() + "; "
                        + (arch.options().isEmpty() ? arch.id() + " takes no options" : "valid options: "
                        + String.join(", ", arch.options())));
            }
        }
    }

    /** @return the network {@code architecture} names */
    public Architecture network() {
        return network(architecture);
    }

    private static Architecture network(String architecture) {
        try {
            return Architecture.parse(architecture);
        } catch (ModelException e) {
            throw new ConfigException("model." + e.getMessage(), e);
        }
    }

    /** @return the defaults: a small CNN, equal class weights, ignore 255 */
    public static ModelSection defaults() {
        return new ModelSection(null, null, null, null, null, null);
    }
}
