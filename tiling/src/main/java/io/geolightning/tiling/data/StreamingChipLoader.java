package io.geolightning.tiling.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.data.BatchAssembly.HostBatch;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.store.ChipCursor;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreReader.RowGroup;
import io.geolightning.tiling.store.ChipStoreSchema;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
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
    /** Stops the threads of iterators dropped without being closed. */
    private static final Cleaner CLEANER = Cleaner.create();
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
    record Shard(ChipStoreReader reader, RowGroup group, int taken, long firstKey) {
    }

    /** A decoded sample and its key (its position among the taken rows of the stores, in store order). */
    record Keyed(ChipSample sample, long key) {
    }

    /** What the producer thread hands the consumer: a batch, the end of the epoch or a failure. */
    record Item(HostBatch batch, RuntimeException failure) {
        static final Item END = new Item(null, null);
    }

    /**
     * A part file as the loader indexed it: its file key (the inode), size and modification time. A part replaced
     * ({@code tile --overwrite}) or rewritten while training reads it differs, even with the same number of rows.
     */
    record PartStamp(Object key, long size, FileTime modified) {
        static PartStamp of(Path part) {
            try {
                var a = Files.readAttributes(part, BasicFileAttributes.class);
                return new PartStamp(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (IOException e) {
                return null; // gone: differs from any stamp taken
            }
        }
    }

    private final List<Shard> shards;
    private final Map<Path, PartStamp> stamps;
    private final Set<Split> splits;
    private final LoaderConfig config;
    final BatchAssembly assembly;
    private final long size;
    private final AtomicInteger epoch = new AtomicInteger();

    private StreamingChipLoader(List<Shard> shards, Set<Split> splits, LoaderConfig config, BatchAssembly assembly) {
        this.shards = shards;
        Map<Path, PartStamp> m = new HashMap<>();
        shards.forEach(s -> m.computeIfAbsent(s.group().part(), PartStamp::of));
        this.stamps = m;
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
            // one pass over the store's split column; each row group takes the next g.rows() rows of it
            try (ChipCursor c = splits == null ? null : store.rows(List.of(ChipStoreSchema.SPLIT))) {
                for (RowGroup g : store.rowGroups()) {
                    int taken = 0;
                    if (splits == null) {
                        taken = Math.toIntExact(g.rows());
                    } else {
                        for (long i = 0; i < g.rows(); i++) {
                            if (wanted(splits, c.next())) {
                                taken++;
                            }
                        }
                    }
                    if (taken > 0) {
                        shards.add(new Shard(store, g, taken, key));
                        key += taken;
                    }
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
    public boolean streamed() {
        return true;
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

    /** @return the shards of one epoch, in visiting order */
    List<Shard> shardOrder(int ep) {
        List<Shard> order = new ArrayList<>(shards);
        if (config.shuffle()) {
            java.util.Collections.shuffle(order, new Random(config.seed() + ep));
        }
        return order;
    }

    /** Reads the taken rows of one shard (on a worker thread). */
    List<Keyed> read(Shard s) {
        PartStamp then = stamps.get(s.group().part());
        if (then == null || !then.equals(PartStamp.of(s.group().part()))) {
            throw new TilingException(s.group().part() + ": the chip store was replaced or changed since training"
                    + " started (a tile --overwrite?); its rows may no longer be the ones indexed, nor its classes the"
                    + " checkpoint's; restart the run on the new store");
        }
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
     * One epoch's batches, built ahead by a {@link ShardPipeline}. Close it to stop the pipeline's threads; an iterator
     * dropped unclosed stops them when it is garbage-collected.
     */
    public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final NDManager manager;
        private final long total;
        private final ShardPipeline pipeline;
        private final Cleaner.Cleanable cleanable;
        private long delivered;
        private long samplesDelivered;

        BatchIterator(NDManager manager, int ep, int fromBatch) {
            this.manager = manager;
            this.total = batchCount();
            this.delivered = Math.min(Math.max(0, fromBatch), total);
            this.samplesDelivered = Math.min(delivered * config.batchSize(), samplesPerEpoch());
            this.pipeline = new ShardPipeline(StreamingChipLoader.this, ep, delivered, total);
            ShardPipeline p = pipeline; // the cleaning action must not reach this iterator
            this.cleanable = CLEANER.register(this, p::stop);
            pipeline.start();
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
                item = pipeline.take();
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
            if (delivered == total) {
                cleanable.clean(); // the producer is done: let its threads go now
            }
            return assembly.toBatch(manager, item.batch(), samplesDelivered, samplesPerEpoch());
        }

        /** Stops the producer and the readers and drops the batches built ahead. */
        @Override
        public void close() {
            delivered = total;
            cleanable.clean();
        }

        /** @return true once the producer and every reader thread have ended */
        public boolean isTerminated() {
            return pipeline.isTerminated();
        }
    }
}
