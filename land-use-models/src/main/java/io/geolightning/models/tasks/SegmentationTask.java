package io.geolightning.models.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.labels.LabelTask;

/**
 * Semantic segmentation (one land-use class per pixel), like TorchGeo's {@code SemanticSegmentationTask}: network
 * output N x C x H x W logits, labels N x H x W (or N x 1 x H x W) with the ignore label for unlabelled pixels.
 * See {@link LandUseTask} for the loss, metrics and optimizer.
 */
public class SegmentationTask extends LandUseTask {

    /** @param settings task settings whose model is a segmenter (unet) */
    public SegmentationTask(TaskSettings settings) {
        super(requireKind(settings));
    }

    private static TaskSettings requireKind(TaskSettings settings) {
        if (settings.model().kind() != LabelTask.SEGMENTATION) {
            throw new ModelException("architecture " + settings.model().architecture().id()
                    + " classifies whole chips; use ClassificationTask or a segmenter (unet)");
        }
        return settings;
    }

    @Override
    protected void checkLabels(NDArray logits, NDArray labels) {
        Shape l = logits.getShape();
        long expected = l.get(0) * l.get(2) * l.get(3);
        if (labels.size() != expected) {
            throw new ModelException("segmentation batch: label mask of shape " + labels.getShape()
                    + " does not match logits " + l + "; labels must be N x H x W with the chip's height and width");
        }
    }
}
