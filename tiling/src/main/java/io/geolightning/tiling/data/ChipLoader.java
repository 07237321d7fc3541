package io.geolightning.tiling.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.data.BatchAssembly.HostBatch;
import io.geolightning.tiling.labels.LabelTask;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DJL {@link Dataset} of chips: batches of NCHW float32 images normalised with the training statistics, with int64
 * labels (N) for classification or int64 masks (N x H x W) for segmentation. Samples are decoded, normalised and
 * augmented by a pool of worker threads, at most {@code prefetch} batches ahead (in order); NDArrays are created on
 * the consuming thread, each batch in its own sub-manager of the manager passed to {@link #getData}, so closing the
 * batch frees it. Shuffling uses {@code seed + epoch}; the trainer asks for its epoch by number ({@link io.geolightning.trainer.EpochDataset}),
 * and every call of {@link #getData} is the next epoch. An iteration
 * that is abandoned early stops its workers when {@link BatchIterator#close()} is called or, at the latest, when its
 * idle threads time out (they are daemons).
 */
public final class ChipLoader implements ChipBatches {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ChipSource source;
    private final BandNormalization normalization;
    private final LoaderConfig config;
    private final LabelTask labels;
    private final BatchAssembly assembly;
    private final AtomicInteger epoch = new AtomicInteger();

    /**
     * @param source samples
     * @param normalization per-band normalisation
     * @param config batching configuration
     * @param labels what the loader puts in a batch's labels: one int64 class id per sample, shape (N)
     *     (classification), one per pixel, shape (N, H, W) (segmentation), or none (prediction)
     */
    public ChipLoader(ChipSource source, BandNormalization normalization, LoaderConfig config, LabelTask labels) {
        this.source = source;
        this.normalization = normalization;
        this.config = config;
        this.labels = labels;
        this.assembly = new BatchAssembly(normalization, config, labels);
    }

    @Override
    public long size() {
        return source.size();
    }

    @Override
    public boolean streamed() {
        return false;
    }

    @Override
    public LoaderConfig config() {
        return config;
    }

    /** @return the sample source */
    public ChipSource source() {
        return source;
    }

    /** Sets the epoch the next {@link #getData} call uses (it then counts up by one per call). */
    public void setEpoch(int e) {
        epoch.set(e);
    }

    /** @return sample order of one epoch (identity without shuffle; seeded with seed + epoch otherwise) */
    public int[] order(int ep) {
        int n = source.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (config.shuffle()) {
            Random r = new Random(config.seed() + ep);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** Each call is the next epoch (see {@link #setEpoch}); the trainer asks for its epoch by number instead. */
    @Override
    public Iterable<Batch> getData(NDManager manager) {
        return epochData(manager, epoch.getAndIncrement(), 0);
    }

    @Override
    public Iterable<Batch> epochData(NDManager manager, int ep, int fromBatch) {
        return () -> new BatchIterator(manager, ep, fromBatch);
    }

    private HostBatch build(int[] order, int batch, int ep) {
        int start = batch * config.batchSize();
        int n = Math.min(config.batchSize(), order.length - start);
        ChipSample[] samples = new ChipSample[n];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = order[start + i];
            samples[i] = source.get(order[start + i]);
        }
        return assembly.build(samples, keys, ep);
    }

    /**
     * Iterator over one epoch's batches; workers decode ahead. Close it to stop the workers of an abandoned epoch.
     */
    public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final NDManager manager;
        private final int ep;
        private final int[] order;
        private final long total;
        private final ThreadPoolExecutor pool;
        private final ArrayDeque<Future<HostBatch>> pending = new ArrayDeque<>();
        private long submitted;
        private long delivered;
        private long samplesDelivered;

        BatchIterator(NDManager manager, int ep, int fromBatch) {
            this.manager = manager;
            this.ep = ep;
            this.order = order(ep);
            this.total = batchCount();
            this.submitted = Math.min(Math.max(0, fromBatch), total);
            this.delivered = submitted;
            this.samplesDelivered = Math.min(submitted * config.batchSize(), samplesPerEpoch());
            int id = POOLS.incrementAndGet();
            AtomicInteger thread = new AtomicInteger();
            this.pool = new ThreadPoolExecutor(config.workers(), config.workers(), 2, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "chip-loader-" + id + "-" + thread.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            fill();
        }

        private void fill() {
            while (submitted < total && pending.size() < config.prefetch()) {
                int b = (int) submitted++;
                pending.add(pool.submit(() -> build(order, b, ep)));
            }
            if (submitted >= total) {
                pool.shutdown();
            }
        }

        @Override
        public boolean hasNext() {
            return delivered < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Future<HostBatch> f = pending.poll();
            HostBatch hb;
            try {
                hb = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new TilingException("chip loader: interrupted while waiting for a batch", e);
            } catch (ExecutionException e) {
                close();
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new TilingException("chip loader: decoding a batch failed (" + c + ")", c);
            }
            fill();
            delivered++;
            samplesDelivered += hb.n();
            return assembly.toBatch(manager, hb, samplesDelivered, samplesPerEpoch());
        }

        /** Stops the workers and drops batches decoded ahead. */
        @Override
        public void close() {
            pending.forEach(f -> f.cancel(true));
            pending.clear();
            submitted = total;
            delivered = total;
            pool.shutdownNow();
        }

        /** @return true once every worker thread has ended */
        public boolean isTerminated() {
            return pool.isTerminated();
        }
    }
}
