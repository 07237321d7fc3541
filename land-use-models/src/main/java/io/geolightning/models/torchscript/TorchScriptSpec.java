package io.geolightning.models.torchscript;

import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.models.predict.ModelSignature;
import io.geolightning.models.tasks.TaskSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a TorchScript file does not record about itself, given by the user: output kind, input bands, classes, chip
 * size, class names, the band normalisation used in training, and whether the network already ends in a softmax.
 *
 * @param kind CLASSIFICATION (output N x C) or SEGMENTATION (output N x C x H x W)
 * @param bands input bands
 * @param classes output classes
 * @param chipSize training chip side (the default prediction window; also the size of the load-time check)
 * @param classNames one name per class (null = "class 0", "class 1", ...)
 * @param normalization per-band mean/std applied before the network (null = identity)
 * @param outputsProbabilities true when the network's output is already a probability (softmax applied)
 * @param classColors the class raster's colours ({@code #rrggbb} by class name or value; null or empty = defaults)
 */
public record TorchScriptSpec(LabelTask kind, int bands, int classes, int chipSize, List<String> classNames,
                              BandNormalization normalization, boolean outputsProbabilities,
                              Map<String, String> classColors) {

    /**
     * A spec without class colours.
     *
     * @param kind CLASSIFICATION or SEGMENTATION
     * @param bands input bands
     * @param classes output classes
     * @param chipSize training chip side
     * @param classNames one name per class (null = defaults)
     * @param normalization per-band mean/std (null = identity)
     * @param outputsProbabilities true when the output is already a probability
     */
    public TorchScriptSpec(LabelTask kind, int bands, int classes, int chipSize, List<String> classNames,
                           BandNormalization normalization, boolean outputsProbabilities) {
        this(kind, bands, classes, chipSize, classNames, normalization, outputsProbabilities, null);
    }

    /** Fills defaults and validates. */
    public TorchScriptSpec {
        if (kind == null || kind == LabelTask.NONE) {
            throw new ModelException("TorchScript spec: kind is missing or none; pass CLASSIFICATION (N x C output) or "
                    + "SEGMENTATION (N x C x H x W output)");
        }
        if (bands < 1 || classes < 2 || chipSize < 1) {
            throw new ModelException("TorchScript spec: bands " + bands + ", classes " + classes + ", chipSize "
                    + chipSize + "; pass bands >= 1, classes >= 2 and a positive chip size");
        }
        if (classNames == null || classNames.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                names.add("class " + c);
            }
            classNames = names;
        }
        if (classNames.size() != classes) {
            throw new ModelException("TorchScript spec: " + classNames.size() + " class names for " + classes
                    + " classes; pass one name per class");
        }
        classNames = List.copyOf(classNames);
        if (normalization == null) {
            normalization = BandNormalization.identity(bands);
        }
        if (normalization.bands() != bands) {
            throw new ModelException("TorchScript spec: normalisation for " + normalization.bands() + " bands but "
                    + bands + " input bands; pass one mean and std per band");
        }
        classColors = TaskSettings.canonicalColors(classColors, classNames);
    }

    /** @return the signature scene prediction uses */
    public ModelSignature signature() {
        return new ModelSignature("torchscript", kind, bands, classes, chipSize, 1);
    }
}
