package io.geolightning.tiling.data;

import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.data.StreamingChipLoader.Item;
import io.geolightning.tiling.data.StreamingChipLoader.Keyed;
import io.geolightning.tiling.data.StreamingChipLoader.Shard;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The producer side of one epoch of a {@link StreamingChipLoader}, kept apart from its iterator so that an iterator
 * dropped without {@code close()} can be collected, and its cleaner then stops these threads: a producer thread
 * drawing samples from the shuffle buffer and building batches at most {@code prefetch} ahead, and worker threads
 * reading shards ahead of it.
 */
final class ShardPipeline implements Runnable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final StreamingChipLoader loader;
    private final LoaderConfig config;
    private final BlockingQueue<Item> ready;
    private final ExecutorService readers;
    private final Thread producer;
    private final int ep;
    private final long skip;
    private final long total;
    private volatile boolean stopped;

    ShardPipeline(StreamingChipLoader loader, int ep, long skip, long total) {
        this.loader = loader;
        this.config = loader.config();
        this.ready = new ArrayBlockingQueue<>(config.prefetch() + 1);
        this.ep = ep;
        this.skip = skip;
        this.total = total;
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "chip-stream-" + id + "-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.producer = new Thread(this, "chip-stream-" + id);
        producer.setDaemon(true);
    }

    void start() {
        if (skip < total) {
            producer.start();
        } else {
            readers.shutdown();
        }
    }

    @Override
    public void run() {
        try {
            new Epoch().run();
            put(Item.END);
        } catch (InterruptedException e) {
            // stopped by the consumer
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
            // stopped by the consumer
        }
    }

    private void put(Item item) throws InterruptedException {
        if (!stopped) {
            ready.put(item);
        }
    }

    Item take() throws InterruptedException {
        return ready.take();
    }

    /** Stops the producer and the readers and drops the batches built ahead. */
    void stop() {
        stopped = true;
        producer.interrupt();
        readers.shutdownNow();
        ready.clear();
    }

    boolean isTerminated() {
        return !producer.isAlive() && readers.isTerminated();
    }

    /** The producer's state: shard reads in flight, the shuffle buffer, the batch being filled. */
    private final class Epoch {
        private final Iterator<Shard> next = loader.shardOrder(ep).iterator();
        private final ArrayDeque<Future<List<Keyed>>> reading = new ArrayDeque<>();
        private final List<Keyed> buffer = new ArrayList<>();
        private final Random draw = new Random((config.seed() + ep) * 0x9E3779B97F4A7C15L + 1);
        private final int capacity = config.shuffle() ? config.shuffleBuffer() : 0;
        private final List<Keyed> batch = new ArrayList<>();
        private long built;

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
            reading.add(readers.submit(() -> loader.read(s)));
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
                put(new Item(loader.assembly.build(samples, keys, ep), null));
            }
            batch.clear();
        }
    }
}
