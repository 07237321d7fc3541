package io.geolightning.trainer;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A class-level fixture of {@link Blobs} train and val sets on one shared manager, for
 * {@code @RegisterExtension static final BlobsData BLOBS = new BlobsData(dims, sigma).trainSplit(...).valSplit(...)}.
 * The data sets are made before the class's first test (train shuffled, val not) and freed after its last.
 */
final class BlobsData implements BeforeAllCallback, AfterAllCallback {

    private final int dims;
    private final double sigma;
    private int trainSize, trainBatch, valSize, valBatch;
    private long trainSeed, valSeed;

    private NDManager manager;
    private ArrayDataset train;
    private ArrayDataset val;

    BlobsData(int dims, double sigma) {
        this.dims = dims;
        this.sigma = sigma;
    }

    /** The training split: {@code size} samples from {@code seed}, shuffled batches of {@code batchSize}. */
    BlobsData trainSplit(int size, long seed, int batchSize) {
        trainSize = size;
        trainSeed = seed;
        trainBatch = batchSize;
        return this;
    }

    /** The validation split: {@code size} samples from {@code seed}, unshuffled batches of {@code batchSize}. */
    BlobsData valSplit(int size, long seed, int batchSize) {
        valSize = size;
        valSeed = seed;
        valBatch = batchSize;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (trainSize <= 0 || valSize <= 0) {
            throw new IllegalStateException("BlobsData needs both trainSplit(...) and valSplit(...)");
        }
        manager = NDManager.newBaseManager();
        train = Blobs.make(manager, trainSize, dims, sigma, trainSeed, trainBatch, true);
        val = Blobs.make(manager, valSize, dims, sigma, valSeed, valBatch, false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (manager != null) {
            manager.close();
        }
        manager = null;
        train = null;
        val = null;
    }

    ArrayDataset train() {
        return live(train);
    }

    ArrayDataset val() {
        return live(val);
    }

    private static ArrayDataset live(ArrayDataset d) {
        if (d == null) {
            throw new IllegalStateException("BlobsData is only available between beforeAll and afterAll");
        }
        return d;
    }
}
