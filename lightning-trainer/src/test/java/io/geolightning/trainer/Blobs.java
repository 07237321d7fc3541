package io.geolightning.trainer;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Random;

/** Two Gaussian blobs in {@code dims} dimensions, centred at -1 and +1 per axis: a small learnable task. */
final class Blobs {

    private Blobs() {}

    static ArrayDataset make(NDManager manager, int n, int dims, double sigma, long seed, int batchSize, boolean shuffle) {
        Random r = new Random(seed);
        float[] x = new float[n * dims];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            y[i] = cls;
            for (int d = 0; d < dims; d++) {
                x[i * dims + d] = (float) ((cls == 0 ? -1 : 1) + sigma * r.nextGaussian());
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new ai.djl.ndarray.types.Shape(n, dims)))
                .optLabels(manager.create(y))
                .setSampling(batchSize, shuffle)
                .build();
    }
}
