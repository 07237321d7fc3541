package io.geolightning.app.config;

import java.util.List;

/**
 * The {@code callbacks} section.
 *
 * @param checkpoint which checkpoints to keep
 * @param earlyStopping early stopping (off unless given)
 * @param lrMonitor log the learning rate every epoch (default false)
 * @param unfreezeBackboneAtEpoch Lightning's BackboneFinetuning: the backbone (every layer but the classifier) is
 *     frozen before this epoch (0-based) and trained from it on; unset = never frozen
 * @param imagePredictions validation chips drawn with their predicted and true classes (or masks) after every
 *     validation, into TensorBoard and the report's gallery (Lightning users' ImagePredictionLogger; default 8, 0 =
 *     off)
 * @param imageBands the chip bands those drawings show, 1-based: three (red, green, blue) or one (grey); default the
 *     first three
 */
public record CallbacksSection(CheckpointSection checkpoint, EarlyStoppingSection earlyStopping, Boolean lrMonitor,
                               Integer unfreezeBackboneAtEpoch, Integer imagePredictions, List<Integer> imageBands) {

    /** Fills defaults. */
    public CallbacksSection {
        checkpoint = checkpoint == null ? CheckpointSection.defaults() : checkpoint;
        earlyStopping = earlyStopping == null ? EarlyStoppingSection.off() : earlyStopping;
        lrMonitor = lrMonitor == null ? Boolean.FALSE : lrMonitor;
        imagePredictions = imagePredictions == null ? 8 : imagePredictions;
        if (imageBands != null && imageBands.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ConfigException("callbacks.imageBands " + imageBands + ": a band is empty; give band numbers,"
                    + " e.g. [3, 2, 1]");
        }
        imageBands = imageBands == null ? List.of() : List.copyOf(imageBands);
        if (imagePredictions < 0) {
            throw new ConfigException("callbacks.imagePredictions " + imagePredictions + ": must be at least 0 (0 draws"
                    + " none), e.g. 8");
        }
        if (imageBands.size() != 0 && imageBands.size() != 1 && imageBands.size() != 3) {
            throw new ConfigException("callbacks.imageBands " + imageBands + ": give three bands (red, green, blue,"
                    + " e.g. [3, 2, 1]) or one (grey)");
        }
        if (imageBands.stream().anyMatch(b -> b == null || b < 1)) {
            throw new ConfigException("callbacks.imageBands " + imageBands + ": bands are numbered from 1");
        }
        if (unfreezeBackboneAtEpoch != null && unfreezeBackboneAtEpoch < 0) {
            throw new ConfigException("callbacks.unfreezeBackboneAtEpoch " + unfreezeBackboneAtEpoch + ": must be at"
                    + " least 0 (the first epoch that trains the backbone), e.g. 2");
        }
    }

    /** @return best-by-val_loss checkpoints, no early stopping, no learning-rate monitor */
    public static CallbacksSection defaults() {
        return new CallbacksSection(null, null, null, null, null, null);
    }
}
