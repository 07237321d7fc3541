package io.geolightning.trainer;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import java.util.Map;

/**
 * A dataset whose batch order is a function of the epoch (for example shuffled with {@code seed + epoch}), like a
 * PyTorch sampler with {@code set_epoch} and a stateful data loader in one. The trainer asks it for the batches of the
 * epoch it runs, so every run with the same seed sees the same order, and a run resumed from a mid-epoch checkpoint
 * starts at the batch where the checkpoint stopped without producing the batches before it.
 */
public interface EpochDataset extends Dataset {

    /**
     * @param manager the manager the batches are created on (each batch in its own sub-manager: closing it frees it)
     * @param epoch the epoch, 0-based
     * @param fromBatch the first batch to deliver; 0 for the whole epoch
     * @return the epoch's batches from {@code fromBatch} on, in the same order as a full iteration delivers them
     */
    Iterable<Batch> epochData(NDManager manager, int epoch, int fromBatch);

    /**
     * What decides the batch order besides the epoch (a seed, a shuffle mode, a shuffle buffer...), as names and
     * values. Checkpoints record it, and a run resumed from a checkpoint saved in the middle of an epoch must have the
     * same: another order would train some of the epoch's samples twice and skip others.
     *
     * @return the order's settings, or null when unknown (nothing is checked)
     */
    default Map<String, String> order() {
        return null;
    }
}
