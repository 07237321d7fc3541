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
 * @param streaming whether a chip store is read into memory or streamed ({@link StreamingChipLoader})
 * @param shuffleBuffer samples held by a streaming loader's shuffle buffer
 */
public record LoaderConfig(int batchSize, boolean shuffle, long seed, boolean dropLast, int workers, int prefetch,
                           Augmentation augmentation, Streaming streaming, int shuffleBuffer) {

    /** Default {@link #shuffleBuffer}: about 50 MB of 64 x 64 RGB chips. */
    public static final int DEFAULT_SHUFFLE_BUFFER = 4096;

    /** How a data module reads a chip store. */
    public enum Streaming {
        /** Stream a store whose files are larger than a quarter of the maximum Java heap; read smaller ones at once. */
        AUTO,
        /** Always stream, whatever the store's size. */
        ON,
        /** Always read the splits a stage needs into memory. */
        OFF
    }

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
        if (streaming == null) {
            streaming = Streaming.AUTO;
        }
        if (shuffleBuffer < 1) {
            throw new TilingException("shuffle buffer " + shuffleBuffer + ": must be at least 1 sample");
        }
    }

    /**
     * @return a builder with batch size 32, no shuffle, seed 42, up to 4 workers, prefetch 4, no augmentation,
     *         automatic streaming and a shuffle buffer of {@value #DEFAULT_SHUFFLE_BUFFER} samples
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised from this configuration */
    public Builder toBuilder() {
        return new Builder().batchSize(batchSize).shuffle(shuffle).seed(seed).dropLast(dropLast).workers(workers)
                .prefetch(prefetch).augmentation(augmentation).streaming(streaming).shuffleBuffer(shuffleBuffer);
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
        private Streaming streaming = Streaming.AUTO;
        private int shuffleBuffer = DEFAULT_SHUFFLE_BUFFER;

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

        /** @param v whether a chip store is streamed */
        public Builder streaming(Streaming v) {
            streaming = v;
            return this;
        }

        /** @param v samples in a streaming loader's shuffle buffer */
        public Builder shuffleBuffer(int v) {
            shuffleBuffer = v;
            return this;
        }

        /** @return the configuration */
        public LoaderConfig build() {
            return new LoaderConfig(batchSize, shuffle, seed, dropLast, workers, prefetch, augmentation, streaming,
                    shuffleBuffer);
        }
    }
}
