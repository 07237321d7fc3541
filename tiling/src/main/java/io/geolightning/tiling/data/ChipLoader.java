package io.geolightning.tiling.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.labels.LabelTask;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
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
 * batch frees it. Every call of {@link #getData} is one epoch: shuffling uses {@code seed + epoch}. An iteration
 * that is abandoned early stops its workers when {@link BatchIterator#close()} is called or, at the latest, when its
 * idle threads time out (they are daemons).
 */
public final class ChipLoader implements Dataset {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ChipSource source;
    private final BandNormalization normalization;
    private final LoaderConfig config;
    private final LabelTask labels;
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
    }

    /** @return number of samples */
    public int size() {
        return source.size();
    }

    /** @return number of batches per epoch */
    public long batchCount() {
        int n = source.size();
        return config.dropLast() ? n / config.batchSize() : (n + config.batchSize() - 1) / config.batchSize();
    }

    /**
     * @return samples delivered per epoch: all of them, or only whole batches with {@code dropLast}. This is what every
     *         batch reports as {@link Batch#getProgressTotal()}, in samples as DJL's own datasets do (the trainer
     *         divides it by the batch size to know how many batches an epoch has)
     */
    public long samplesPerEpoch() {
        return config.dropLast() ? batchCount() * config.batchSize() : source.size();
    }

    /** @return the configuration */
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

    @Override
    public Iterable<Batch> getData(NDManager manager) {
        int ep = epoch.getAndIncrement();
        return () -> new BatchIterator(manager, ep);
    }

    @Override
    public void prepare(Progress progress) {
        // samples are ready; nothing to prepare
    }

    /** Host-side batch produced by a worker. */
    private record HostBatch(float[] images, long[] labels, int n, int bands, int h, int w) {
    }

    private HostBatch build(int[] order, int batch, int ep) {
        int start = batch * config.batchSize();
        int n = Math.min(config.batchSize(), order.length - start);
        ChipSample first = source.get(order[start]);
        int bands = first.bands();
        int h = first.height();
        int w = first.width();
        if (bands != normalization.bands()) {
            throw new TilingException("sample " + order[start] + ": " + bands + " bands but the normalisation has "
                    + normalization.bands() + "; use band statistics of the same chip store");
        }
        int plane = bands * h * w;
        float[] images = new float[n * plane];
        long[] lab = switch (labels) {
            case CLASSIFICATION -> new long[n];
            case SEGMENTATION -> new long[n * h * w];
            case NONE -> null;
        };
        for (int i = 0; i < n; i++) {
            int index = order[start + i];
            ChipSample s = i == 0 ? first : source.get(index);
            if (s.bands() != bands || s.height() != h || s.width() != w) {
                throw new TilingException("sample " + index + ": " + s.bands() + "x" + s.height() + "x" + s.width()
                        + " differs from " + bands + "x" + h + "x" + w + " of its batch; chips of one loader must share"
                        + " a size (resize them or tile with one chip size)");
            }
            normalization.apply(s, images, i * plane);
            if (labels == LabelTask.CLASSIFICATION) {
                if (s.label() == null) {
                    throw new TilingException("sample " + index + ": has no class label; tile in classification mode"
                            + " or load it for prediction");
                }
                lab[i] = s.label();
            } else if (labels == LabelTask.SEGMENTATION) {
                if (s.mask() == null) {
                    throw new TilingException("sample " + index + ": has no mask; tile in segmentation mode or load it"
                            + " for prediction");
                }
                for (int p = 0; p < h * w; p++) {
                    lab[i * h * w + p] = s.mask()[p] & 0xFF;
                }
            }
            if (!config.augmentation().isNone()) {
                SplittableRandom r = new SplittableRandom(config.seed() * 1_000_003L + ep * 65_537L + index);
                config.augmentation().apply(r, images, i * plane, bands, h, w,
                        labels == LabelTask.SEGMENTATION ? lab : null, i * h * w);
            }
        }
        return new HostBatch(images, lab, n, bands, h, w);
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

        BatchIterator(NDManager manager, int ep) {
            this.manager = manager;
            this.ep = ep;
            this.order = order(ep);
            this.total = batchCount();
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
            NDManager sub = manager.newSubManager();
            NDArray x = sub.create(hb.images(), new Shape(hb.n(), hb.bands(), hb.h(), hb.w()));
            NDList labelList = new NDList();
            if (labels == LabelTask.CLASSIFICATION) {
                labelList.add(sub.create(hb.labels(), new Shape(hb.n())));
            } else if (labels == LabelTask.SEGMENTATION) {
                labelList.add(sub.create(hb.labels(), new Shape(hb.n(), hb.h(), hb.w())));
            }
            delivered++;
            samplesDelivered += hb.n();
            return new Batch(sub, new NDList(x), labelList, hb.n(), Batchifier.STACK, Batchifier.STACK,
                    samplesDelivered, samplesPerEpoch());
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
