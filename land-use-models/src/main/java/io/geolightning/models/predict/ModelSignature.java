package io.geolightning.models.predict;

import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.tiling.labels.LabelTask;

/**
 * What scene prediction needs to know about a network: what it outputs, its input bands, its classes and the chip
 * size it was trained on.
 *
 * @param architecture a name for metadata and messages (e.g. "resnet18", "torchscript")
 * @param kind one class per window (classification) or per pixel (segmentation)
 * @param bands input bands
 * @param classes output classes
 * @param chipSize training chip side in pixels (the default window)
 * @param minWindow the smallest window the network accepts
 */
public record ModelSignature(String architecture, LabelTask kind, int bands, int classes, int chipSize,
                             int minWindow) {

    /** Validates the values. */
    public ModelSignature {
        if (kind == null || kind == LabelTask.NONE) {
            throw new ModelException("model signature: kind is missing or none; pass CLASSIFICATION or SEGMENTATION");
        }
        if (bands < 1 || classes < 2 || chipSize < 1 || minWindow < 1) {
            throw new ModelException("model signature: bands " + bands + ", classes " + classes + ", chip size "
                    + chipSize + ", min window " + minWindow + " are not all valid; pass bands >= 1, classes >= 2 and "
                    + "positive sizes");
        }
    }

    /**
     * @param spec a GeoLightning network spec
     * @return its signature
     */
    public static ModelSignature of(ModelSpec spec) {
        return new ModelSignature(spec.architecture().id(), spec.kind(), spec.bands(), spec.classes(),
                spec.chipSize(), spec.architecture().minChipSize());
    }
}
