package io.geolightning.tiling.data;

import io.geolightning.tiling.TilingException;

/**
 * How a {@link ChipLoader} batches samples.
 *
 * @param batchSize samples per batch
 * @param shuffle shuffle every epoch (with seed + epoch)
 * @param seed base seed for shuffling and augmentation
 * @param dropLast drop the last incomplete batch
 * @param workers decoding threads (at least 1)
 * @param prefetch batches decoded ahead of the consumer (bounded queue)
 * @param augmentation geometric augmentation (image and mask together)
 */
public record LoaderConfig(int batchSize, boolean shuffle, long seed, boolean dropLast, int workers, int prefetch,
                           Augmentation augmentation) {

    /** Validates values. */
    public LoaderConfig {
        if (batchSize < 1) {
            throw new TilingException("batch size " + batchSize + ": must be at least 1");
        }
        if (workers < 1 || prefetch < 1) {
            throw new TilingException("loader workers " + workers + " / prefetch " + prefetch + ": both must be at least 1");
        }
        if (augmentation == null) {
            augmentation = Augmentation.none();
        }
    }

    /** @return a builder with batch size 32, no shuffle, seed 42, 2 workers, prefetch 4, no augmentation */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised from this configuration */
    public Builder toBuilder() {
        return new Builder().batchSize(batchSize).shuffle(shuffle).seed(seed).dropLast(dropLast).workers(workers)
                .prefetch(prefetch).augmentation(augmentation);
    }

    /** Builder of {@link LoaderConfig}. */
    public static final class Builder {
        private int batchSize = 32;
        private boolean shuffle;
        private long seed = 42;
        private boolean dropLast;
        private int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int prefetch = 4;
        private Augmentation augmentation = Augmentation.none();

        /** @param v samples per batch */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** @param v shuffle each epoch */
        public Builder shuffle(boolean v) {
            shuffle = v;
            return this;
        }

        /** @param v base seed */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v drop the last incomplete batch */
        public Builder dropLast(boolean v) {
            dropLast = v;
            return this;
        }

        /** @param v decoding threads */
        public Builder workers(int v) {
            workers = v;
            return this;
        }

        /** @param v batches decoded ahead */
        public Builder prefetch(int v) {
            prefetch = v;
            return this;
        }

        /** @param v augmentation */
        public Builder augmentation(Augmentation v) {
            augmentation = v;
            return this;
        }

        /** @return the configuration */
        public LoaderConfig build() {
            return new LoaderConfig(batchSize, shuffle, seed, dropLast, workers, prefetch, augmentation);
        }
    }
}
