package io.geolightning.models.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import io.geolightning.tiling.data.ChipLoader;
import java.io.IOException;
import java.util.Iterator;

/**
 * A {@link ChipLoader} whose batches report progress the way DJL's own datasets do, in samples: {@code progress} =
 * samples delivered so far including this batch, {@code progressTotal} = samples in the epoch. The tiling loader
 * counts batches instead, and the trainer (like DJL's {@code DataIterable}) divides {@code progressTotal} by the batch
 * size to know how many batches an epoch has, so without this translation it would stop every epoch after one batch.
 * The batches are re-wrapped around the same arrays and manager: closing one frees the loader's sub-manager.
 */
public final class SampleProgressDataset implements Dataset {

    private final ChipLoader loader;

    /** @param loader the tiling loader */
    public SampleProgressDataset(ChipLoader loader) {
        this.loader = loader;
    }

    /** @return the wrapped loader */
    public ChipLoader loader() {
        return loader;
    }

    /** @return samples per epoch */
    public int size() {
        return loader.size();
    }

    @Override
    public Iterable<Batch> getData(NDManager manager) throws IOException, ai.djl.translate.TranslateException {
        Iterable<Batch> batches = loader.getData(manager);
        long total = loader.size();
        int batchSize = loader.config().batchSize();
        return () -> new Iterator<>() {
            private final Iterator<Batch> it = batches.iterator();
            private long delivered;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Batch next() {
                Batch b = it.next();
                delivered = Math.min(total, delivered + b.getSize());
                return new Batch(b.getManager(), b.getData(), b.getLabels(), b.getSize(), Batchifier.STACK,
                        Batchifier.STACK, delivered, total, b.getIndices());
            }
        };
    }

    @Override
    public void prepare(Progress progress) throws IOException, ai.djl.translate.TranslateException {
        loader.prepare(progress);
    }

    /**
     * @param loader a tiling loader, or null
     * @return it wrapped, or null
     */
    static Dataset wrap(ChipLoader loader) {
        return loader == null ? null : new SampleProgressDataset(loader);
    }
}
