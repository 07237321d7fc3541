package io.geolightning.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.torchscript.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM (per-executor) cache of restored checkpoints, keyed by the checkpoint's path, size and modification time.
 * A model is not thread-safe, and an executor runs several tasks at once, so the cache is a pool: a task borrows a
 * model for its partition and returns it when done; a model is loaded only when every cached one is in use. An
 * executor with N task slots thus loads a checkpoint at most N times, however many scenes it predicts. A checkpoint
 * replaced on disk gets a new key; the models of its old key are closed when the new one is first borrowed.
 */
public final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final Map<Key, Deque<InferenceModel>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final ThreadLocal<Integer> THREADS = new ThreadLocal<>();

    private ModelCache() {
    }

    private record Key(String path, long size, long modified) {
    }

    /** A borrowed model; closing returns it to the pool. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final InferenceModel model;
        private boolean returned;

        private Lease(Key key, InferenceModel model) {
            this.key = key;
            this.model = model;
        }

        /** @return the model, for this task only */
        public InferenceModel model() {
            return model;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(model);
            }
        }
    }

    /**
     * Borrows a model restored from {@code checkpoint}, loading it only when no idle one is cached.
     *
     * @param checkpoint the .ckpt file
     * @param torchThreads PyTorch intra-op threads of the calling (task) thread (0 = leave the default)
     * @return the lease; close it when the partition is done
     * @throws RuntimeException the models module's one-line error when the checkpoint cannot be restored
     */
    public static Lease borrow(Path checkpoint, int torchThreads) {
        Path abs = checkpoint.toAbsolutePath().normalize();
        Key key;
        try {
            key = new Key(abs.toString(), Files.size(abs), Files.getLastModifiedTime(abs).toMillis());
        } catch (IOException e) {
            throw new SparkJobException(checkpoint + ": checkpoint not readable on this node (" + e.getMessage()
                    + "); put it on a file system every executor sees, or ship it with --files", e);
        }
        setThreads(torchThreads);
        evictStale(key);
        Deque<InferenceModel> idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        InferenceModel m = idle.poll();
        if (m == null) {
            long t0 = System.nanoTime();
            m = ModelFiles.open(abs, null);
            int n = LOADS.incrementAndGet();
            LOG.info("loaded {} in {} ms ({} load(s) in this JVM)", abs.getFileName(),
                    (System.nanoTime() - t0) / 1_000_000, n);
        }
        return new Lease(key, m);
    }

    /**
     * Sets PyTorch's intra-op threads for the calling thread. With PyTorch's OpenMP build the setting is per thread
     * (OpenMP's nthreads is a per-thread variable), and Spark runs each task on a pooled executor thread, so every
     * task thread sets it, once.
     */
    private static void setThreads(int n) {
        if (n > 0 && !Integer.valueOf(n).equals(THREADS.get())) {
            Engine.getEngine("PyTorch"); // loads the native library first
            JniUtils.setNumThreads(n);
            THREADS.set(n);
        }
    }

    private static void evictStale(Key current) {
        for (Key k : IDLE.keySet()) {
            if (k.path().equals(current.path()) && !k.equals(current)) {
                Deque<InferenceModel> old = IDLE.remove(k);
                if (old != null) {
                    old.forEach(InferenceModel::close);
                }
            }
        }
    }

    /** @return checkpoint loads in this JVM since start (or the last {@link #clear()}) */
    public static int loads() {
        return LOADS.get();
    }

    /** Closes every idle model and resets the load counter (tests, benchmarks). */
    public static synchronized void clear() {
        for (Key k : IDLE.keySet()) {
            Deque<InferenceModel> d = IDLE.remove(k);
            if (d != null) {
                d.forEach(InferenceModel::close);
            }
        }
        LOADS.set(0);
    }
}
