package io.geolightning.tiling.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Progress;
import io.geolightning.trainer.EpochDataset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batches of one split, what a {@link ChipDataModule}'s loaders return: held in memory ({@link ChipLoader}) or
 * streamed from the chip store ({@link StreamingChipLoader}).
 */
public interface ChipBatches extends EpochDataset {

    /** Each call is the next epoch (from 0); reads nothing up front, so it throws no checked exception. */
    @Override
    Iterable<Batch> getData(NDManager manager);

    /** Nothing to prepare: samples are in memory or read while iterating. */
    @Override
    default void prepare(Progress progress) {
    }

    /** @return samples per epoch before batching */
    long size();

    /** @return batches per epoch */
    default long batchCount() {
        long n = size();
        int b = config().batchSize();
        return config().dropLast() || dropsLoneSample() ? n / b : (n + b - 1) / b;
    }

    /**
     * @return whether a shuffled (training) epoch leaves out a last batch of one sample: batch norm cannot train on a
     *     single sample when a network's deepest maps are 1x1 (libtorch: "Expected more than 1 value per channel");
     *     being shuffled, another sample sits out each epoch
     */
    default boolean dropsLoneSample() {
        return config().shuffle() && config().batchSize() > 1 && size() > 1 && size() % config().batchSize() == 1;
    }

    /**
     * @return samples delivered per epoch: all of them, or only whole batches with {@code dropLast}. This is what every
     *         batch reports as {@link Batch#getProgressTotal()}, in samples as DJL's own datasets do (the trainer
     *         divides it by the batch size to know how many batches an epoch has)
     */
    default long samplesPerEpoch() {
        return config().dropLast() || dropsLoneSample() ? batchCount() * config().batchSize() : size();
    }

    /**
     * @return whether the batches are streamed from the chip store ({@link StreamingChipLoader}, which draws another
     *     order than the in-memory loader for the same seed)
     */
    boolean streamed();

    /**
     * The settings a shuffled epoch's order depends on: whether it is shuffled, the seed, whether it is streamed and,
     * streamed, the shuffle buffer's size (the batch size is checked on its own).
     */
    @Override
    default Map<String, String> order() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("shuffle", String.valueOf(config().shuffle()));
        m.put("streaming", String.valueOf(streamed()));
        if (config().shuffle()) {
            m.put("seed", String.valueOf(config().seed()));
            if (streamed()) {
                m.put("shuffleBuffer", String.valueOf(config().shuffleBuffer()));
            }
        }
        return m;
    }

    /** @return the batching configuration */
    LoaderConfig config();
}
