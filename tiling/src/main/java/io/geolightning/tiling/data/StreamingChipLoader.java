package io.geolightning.tiling.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Progress;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.data.BatchAssembly.HostBatch;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.store.ChipCursor;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreReader.RowGroup;
import io.geolightning.tiling.store.ChipStoreSchema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chip loader for chip stores larger than memory, in the WebDataset / TFRecord pattern: the row groups of one or
 * several stores are the shards; each epoch visits them in an order shuffled with {@code seed + epoch}, worker threads
 * read and decode the next shards ahead, and the samples pass through a shuffle buffer of bounded size from which they
 * are drawn at random (with the same seed) into batches, normalised and augmented as {@link ChipLoader} does. Memory
 * holds at most the shuffle buffer, the shards being read and {@code prefetch} batches, whatever the store's size.
 * Without shuffling, samples come in store order. The order is a function of the seed and the epoch only, so a run is
 * reproducible and a resumed epoch ({@link io.geolightning.trainer.EpochDataset}) draws the same samples, skipping the batches before the one
 * it resumes at without normalising them.
 */
public final class StreamingChipLoader implements ChipBatches {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Columns a training sample needs (no chip id, scene or bounds). */
    private static final List<String> SAMPLE_COLUMNS = List.of(ChipStoreSchema.SPLIT, ChipStoreSchema.LABEL,
            ChipStoreSchema.MASK, ChipStoreSchema.BANDS, ChipStoreSchema.DTYPE, ChipStoreSchema.WIDTH,
            ChipStoreSchema.HEIGHT, ChipStoreSchema.PIXELS);

    /**
     * One row group and how many of its rows the loader takes.
     *
     * @param reader the store it belongs to
     * @param group the row group
     * @param taken rows of the wanted splits in it
     * @param firstKey key of its first taken row: the number of taken rows before it, over all stores in order
     */
    private record Shard(ChipStoreReader reader, RowGroup group, int taken, long firstKey) {
    }

    /** A decoded sample and its key (its position among the taken rows of the stores, in store order). */
    private record Keyed(ChipSample sample, long key) {
    }

    /** What the producer thread hands the consumer: a batch, the end of the epoch or a failure. */
    private record Item(HostBatch batch, RuntimeException failure) {
        static final Item END = new Item(null, null);
    }

    private final List<Shard> shards;
    private final Set<Split> splits;
    private final LoaderConfig config;
    private final BatchAssembly assembly;
    private final long size;
    private final AtomicInteger epoch = new AtomicInteger();

    private StreamingChipLoader(List<Shard> shards, Set<Split> splits, LoaderConfig config, BatchAssembly assembly) {
        this.shards = shards;
        this.splits = splits;
        this.config = config;
        this.assembly = assembly;
        this.size = shards.stream().mapToLong(Shard::taken).sum();
    }

    /**
     * Indexes the stores (reading only their split column) and returns a loader over the rows of some splits.
     *
     * @param stores the stores, read in this order
     * @param splits the splits whose rows it delivers, or null for every row
     * @param normalization per-band normalisation
     * @param config batching, shuffle buffer and worker settings
     * @param labels what a batch's labels hold
     * @return the loader
     */
    public static StreamingChipLoader open(List<ChipStoreReader> stores, Set<Split> splits,
            BandNormalization normalization, LoaderConfig config, LabelTask labels) {
        List<Shard> shards = new ArrayList<>();
        long key = 0;
        for (ChipStoreReader store : stores) {
            for (RowGroup g : store.rowGroups()) {
                int taken = 0;
                if (splits == null) {
                    taken = Math.toIntExact(g.rows());
                } else {
                    try (ChipCursor c = store.rows(List.of(g), List.of(ChipStoreSchema.SPLIT))) {
                        while (c.hasNext()) {
                            if (wanted(splits, c.next())) {
                                taken++;
                            }
                        }
                    }
                }
                if (taken > 0) {
                    shards.add(new Shard(store, g, taken, key));
                    key += taken;
                }
            }
        }
        return new StreamingChipLoader(List.copyOf(shards), splits == null ? null : Set.copyOf(splits), config,
                new BatchAssembly(normalization, config, labels));
    }

    private static boolean wanted(Set<Split> splits, ChipRow r) {
        return splits == null || r.split() != null && splits.contains(r.split());
    }

    @Override
    public long size() {
        return size;
    }

    /** @return row groups holding at least one sample */
    public int shardCount() {
        return shards.size();
    }

    @Override
    public LoaderConfig config() {
        return config;
    }

    /** Each call is the next epoch; the trainer asks for its epoch by number instead. */
    @Override
    public Iterable<Batch> getData(NDManager manager) {
        return epochData(manager, epoch.getAndIncrement(), 0);
    }

    @Override
    public Iterable<Batch> epochData(NDManager manager, int ep, int fromBatch) {
        return () -> new BatchIterator(manager, ep, fromBatch);
    }

    @Override
    public void prepare(Progress progress) {
        // nothing to prepare: shards are read while iterating
    }

    /** @return the shards of one epoch, in visiting order */
    private List<Shard> shardOrder(int ep) {
        List<Shard> order = new ArrayList<>(shards);
        if (config.shuffle()) {
            java.util.Collections.shuffle(order, new Random(config.seed() + ep));
        }
        return order;
    }

    /** Reads the taken rows of one shard (on a worker thread). */
    private List<Keyed> read(Shard s) {
        List<Keyed> out = new ArrayList<>(s.taken());
        long key = s.firstKey();
        try (ChipCursor c = s.reader().rows(List.of(s.group()), SAMPLE_COLUMNS)) {
            while (c.hasNext()) {
                ChipRow r = c.next();
                if (wanted(splits, r)) {
                    out.add(new Keyed(new ChipSample(r.pixels(), r.dtype(), r.bands(), r.height(), r.width(), r.label(),
                            r.mask()), key++));
                }
            }
        }
        if (out.size() != s.taken()) {
            throw new TilingException(s.group().part() + ": row group " + s.group().index() + " now holds "
                    + out.size() + " rows of the split instead of " + s.taken() + "; the store changed while training,"
                    + " restart the run");
        }
        return out;
    }

    /**
     * One epoch's batches. A producer thread draws samples from the shuffle buffer and builds batches at most
     * {@code prefetch} ahead; worker threads read shards ahead of it. Close the iterator to stop both.
     */
    public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final NDManager manager;
        private final long total;
        private final BlockingQueue<Item> ready;
        private final ExecutorService readers;
        private final Thread producer;
        private long delivered;
        private long samplesDelivered;
        private volatile boolean stopped;

        BatchIterator(NDManager manager, int ep, int fromBatch) {
            this.manager = manager;
            this.total = batchCount();
            this.delivered = Math.min(Math.max(0, fromBatch), total);
            this.samplesDelivered = Math.min(delivered * config.batchSize(), samplesPerEpoch());
            this.ready = new ArrayBlockingQueue<>(config.prefetch() + 1);
            int id = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            this.readers = Executors.newFixedThreadPool(config.workers(), r -> {
                Thread t = new Thread(r, "chip-stream-" + id + "-reader-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long skip = delivered;
            this.producer = new Thread(() -> produce(ep, skip), "chip-stream-" + id);
            producer.setDaemon(true);
            if (delivered < total) {
                producer.start();
            } else {
                readers.shutdown();
            }
        }

        private void produce(int ep, long skip) {
            try {
                new Epoch(ep, skip).run();
                put(Item.END);
            } catch (InterruptedException e) {
                // closed by the consumer
            } catch (RuntimeException e) {
                offerFailure(e);
            } catch (Error e) {
                offerFailure(new TilingException("streaming chip loader: " + e, e));
            } finally {
                readers.shutdownNow();
            }
        }

        private void offerFailure(RuntimeException e) {
            try {
                put(new Item(null, e));
            } catch (InterruptedException ignored) {
                // closed by the consumer
            }
        }

        private void put(Item item) throws InterruptedException {
            if (!stopped) {
                ready.put(item);
            }
        }

        /** The producer's state for one epoch: shard reads in flight, the shuffle buffer, the batch being filled. */
        private final class Epoch {
            private final int ep;
            private final long skip;
            private final Iterator<Shard> next;
            private final ArrayDeque<Future<List<Keyed>>> reading = new ArrayDeque<>();
            private final List<Keyed> buffer = new ArrayList<>();
            private final Random draw;
            private final int capacity;
            private final List<Keyed> batch = new ArrayList<>();
            private long built;

            Epoch(int ep, long skip) {
                this.ep = ep;
                this.skip = skip;
                this.next = shardOrder(ep).iterator();
                this.draw = new Random((config.seed() + ep) * 0x9E3779B97F4A7C15L + 1);
                this.capacity = config.shuffle() ? config.shuffleBuffer() : 0;
            }

            void run() throws InterruptedException {
                // one shard per reader in flight, plus one: readers stay busy while the producer drains a shard
                while (reading.size() < config.workers() + 1 && next.hasNext()) {
                    submit(next.next());
                }
                while (!reading.isEmpty() && built < total) {
                    List<Keyed> shard = take(reading.poll());
                    if (next.hasNext()) {
                        submit(next.next());
                    }
                    for (Keyed k : shard) {
                        buffer.add(k);
                        if (buffer.size() > capacity) {
                            emit(removeAt(draw.nextInt(buffer.size())));
                        }
                    }
                }
                while (!buffer.isEmpty() && built < total) {
                    emit(removeAt(draw.nextInt(buffer.size())));
                }
                if (!batch.isEmpty() && built < total) {
                    flush();
                }
            }

            private void submit(Shard s) {
                reading.add(readers.submit(() -> read(s)));
            }

            private List<Keyed> take(Future<List<Keyed>> f) throws InterruptedException {
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new TilingException("streaming chip loader: reading a row group failed (" + c + ")", c);
                }
            }

            /** Removes in O(1): the last element takes the drawn one's place. */
            private Keyed removeAt(int i) {
                Keyed k = buffer.get(i);
                Keyed last = buffer.remove(buffer.size() - 1);
                if (i < buffer.size()) {
                    buffer.set(i, last);
                }
                return k;
            }

            private void emit(Keyed k) throws InterruptedException {
                batch.add(k);
                if (batch.size() == config.batchSize()) {
                    flush();
                }
            }

            private void flush() throws InterruptedException {
                if (built++ >= skip) {
                    ChipSample[] samples = new ChipSample[batch.size()];
                    long[] keys = new long[batch.size()];
                    for (int i = 0; i < samples.length; i++) {
                        samples[i] = batch.get(i).sample();
                        keys[i] = batch.get(i).key();
                    }
                    put(new Item(assembly.build(samples, keys, ep), null));
                }
                batch.clear();
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
            Item item;
            try {
                item = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new TilingException("streaming chip loader: interrupted while waiting for a batch", e);
            }
            if (item.failure() != null) {
                close();
                throw item.failure();
            }
            if (item.batch() == null) {
                close();
                throw new TilingException("streaming chip loader: the store ended after " + delivered + " of " + total
                        + " batches; it changed while training, restart the run");
            }
            delivered++;
            samplesDelivered += item.batch().n();
            return assembly.toBatch(manager, item.batch(), samplesDelivered, samplesPerEpoch());
        }

        /** Stops the producer and the readers and drops the batches built ahead. */
        @Override
        public void close() {
            stopped = true;
            delivered = total;
            producer.interrupt();
            readers.shutdownNow();
            ready.clear();
        }

        /** @return true once the producer and every reader thread have ended */
        public boolean isTerminated() {
            return !producer.isAlive() && readers.isTerminated();
        }
    }
}
