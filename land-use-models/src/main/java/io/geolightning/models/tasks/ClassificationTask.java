package io.geolightning.models.tasks;

import ai.djl.ndarray.NDArray;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.labels.LabelTask;

/**
 * Chip classification (one land-use class per chip), like TorchGeo's {@code ClassificationTask}: network output
 * N x C logits, labels N class values. See {@link LandUseTask} for the loss, metrics and optimizer.
 */
public class ClassificationTask extends LandUseTask {

    /** @param settings task settings whose model is a classifier (cnn, resnet18, resnet34, resnet50) */
    public ClassificationTask(TaskSettings settings) {
        super(requireKind(settings));
    }

    private static TaskSettings requireKind(TaskSettings settings) {
        if (settings.model().kind() != LabelTask.CLASSIFICATION) {
            throw new ModelException("architecture " + settings.model().architecture().id()
                    + " segments pixels, not chips; use SegmentationTask or a classifier (cnn, resnet18, resnet34,"
                    + " resnet50)");
        }
        return settings;
    }

    @Override
    protected void checkLabels(NDArray logits, NDArray labels) {
        long n = logits.getShape().get(0);
        if (labels.size() != n) {
            throw new ModelException("classification batch: labels of shape " + labels.getShape() + " for " + n
                    + " chips; a chip classifier needs one label per chip (use SegmentationTask for label masks)");
        }
    }
}
