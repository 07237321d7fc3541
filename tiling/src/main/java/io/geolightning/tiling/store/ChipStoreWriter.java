package io.geolightning.tiling.store;

import io.geolightning.foundation.TempFiles;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes chips into a Parquet chip store (see {@link ChipStoreLayout}) without Hadoop on disk. Rows go either through
 * {@link #write} (sequential, thread-safe, rotating parts of {@code rowsPerPart} rows in a folder store) or through
 * {@link #openPart()} (a folder store's parts written concurrently, one thread per part; part order = opening order).
 * Every Parquet file is written under a temporary name and published with the sidecar by {@link #commit} (see
 * {@link StoreCommit}); closing without committing deletes the temporary files and leaves any previous store
 * untouched.
 */
public final class ChipStoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChipStoreWriter.class);
    /**
     * Held while a store is published. The JVM's shutdown (Ctrl-C, SIGTERM) waits for a commit in progress to finish
     * or be undone (up to a minute), then keeps it so that no commit starts while the JVM ends, and removes what the
     * writers not committed created: their temporaries and their folders, when that leaves them empty.
     */
    private static final ReentrantLock COMMITS = new ReentrantLock();
    /** Writers opened and neither committed nor closed. */
    private static final Set<ChipStoreWriter> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (COMMITS.tryLock(60, TimeUnit.SECONDS)) {
                    OPEN.forEach(ChipStoreWriter::abandon);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "geolightning-chip-store-commit"));
    }

    private final ChipStoreLayout layout;
    private final ChipStoreOptions options;
    private final LocalCodecFactory codecs;
    private final SimpleGroupFactory groups = new SimpleGroupFactory(ChipStoreSchema.SCHEMA);
    private final List<Part> parts = new ArrayList<>();
    private final Map<Split, Long> counts = new EnumMap<>(Split.class);
    /** The folders {@link #open} created, deepest first: removed again (when empty) if nothing is committed. */
    private final List<Path> createdFolders;
    private Part current;
    private long rows;
    private boolean done;

    private ChipStoreWriter(ChipStoreLayout layout, ChipStoreOptions options, List<Path> createdFolders) {
        this.layout = layout;
        this.options = options;
        this.createdFolders = createdFolders;
        this.codecs = new LocalCodecFactory(options.zstdLevel());
    }

    /** Opens a writer for a store at {@code target} (a ".parquet" file or a folder, created if needed). */
    public static ChipStoreWriter open(Path target, ChipStoreOptions options) {
        ChipStoreLayout layout = new ChipStoreLayout(target);
        List<Path> created = new ArrayList<>();
        for (Path f = layout.folder(); f != null && !Files.exists(f, LinkOption.NOFOLLOW_LINKS); f = f.getParent()) {
            created.add(f);
        }
        try {
            Files.createDirectories(layout.folder());
        } catch (IOException e) {
            removeEmpty(created);
            throw new TilingException(layout.folder() + ": cannot create the chip-store folder (" + e.getMessage()
                    + "); choose a writable location", e);
        }
        // temporaries a run killed with SIGKILL left (dead processes only), swept once rather than per part:
        // a folder store owns its folder; a single-file store shares its folder with other files
        if (layout.singleFile()) {
            TempFiles.removeStale(layout.root());
        } else {
            TempFiles.removeStaleIn(layout.folder());
        }
        ChipStoreWriter w = new ChipStoreWriter(layout, options, List.copyOf(created));
        OPEN.add(w);
        return w;
    }

    /** @return the layout being written */
    public ChipStoreLayout layout() {
        return layout;
    }

    /** @return the options */
    public ChipStoreOptions options() {
        return options;
    }

    /** Appends one chip (sequential API). */
    public synchronized void write(ChipRow row) {
        checkOpen();
        if (current == null || (!layout.singleFile() && current.rows >= options.rowsPerPart())) {
            if (current != null) {
                current.close();
            }
            current = openPart();
        }
        current.write(row);
    }

    /**
     * Opens the next part of a folder store for one thread to fill; parts may be filled concurrently and are ordered
     * by opening. A single-file store has exactly one part.
     */
    public synchronized Part openPart() {
        checkOpen();
        if (layout.singleFile() && !parts.isEmpty()) {
            throw new IllegalStateException(layout.root() + ": a single-file chip store has one part only");
        }
        Part p = new Part(parts.size());
        parts.add(p);
        return p;
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("chip store " + layout.root() + " is already committed or closed");
        }
    }

    private synchronized void counted(Split s) {
        rows++;
        counts.merge(s, 1L, Long::sum);
    }

    /** @return rows written so far */
    public synchronized long rows() {
        return rows;
    }

    /** @return rows written so far per split id, plus "total" */
    public synchronized Map<String, Long> rowCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            m.put(s.id(), counts.getOrDefault(s, 0L));
        }
        m.put("total", rows);
        return m;
    }

    /** One Parquet file of the store, filled by one thread; close it when done. */
    public final class Part implements AutoCloseable {
        private final int index;
        private Path temp;
        private ParquetWriter<Group> writer;
        private long rows;
        private boolean closed;

        Part(int index) {
            this.index = index;
        }

        /** Appends one chip to this part. */
        public void write(ChipRow row) {
            if (closed) {
                throw new IllegalStateException("part " + index + " of " + layout.root() + " is closed");
            }
            try {
                if (writer == null) {
                    Path target = layout.folder().resolve(layout.partName(index));
                    temp = TempFiles.reserve(target, ".tmp");
                    writer = newWriter(temp);
                }
                writer.write(toGroup(row));
            } catch (IOException e) {
                throw new TilingException(layout.root() + ": cannot write chip " + row.chipId() + " ("
                        + e.getMessage() + "); check free space and permissions", e);
            }
            rows++;
            counted(row.split());
        }

        /** @return rows in this part */
        public long rows() {
            return rows;
        }

        /** Finishes the part's file (still under its temporary name until commit). */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    throw new TilingException(layout.root() + ": cannot finish part " + index + " ("
                            + e.getMessage() + "); check free space and permissions", e);
                }
            }
        }

        private void discard() {
            try {
                if (!closed && writer != null) {
                    closed = true;
                    writer.close();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing an abandoned part failed: {}", e.toString());
            }
            TempFiles.discard(temp);
        }
    }

    private ParquetWriter<Group> newWriter(Path tmp) throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                .withType(ChipStoreSchema.SCHEMA)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(codecs)
                .withCompressionCodec(options.codec())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withRowGroupSize(options.rowGroupBytes())
                .withPageSize(1 << 20)
                .withPageWriteChecksumEnabled(true)
                .withDictionaryEncoding(false)
                .withDictionaryEncoding(ChipStoreSchema.SCENE, true)
                .withDictionaryEncoding(ChipStoreSchema.CRS, true)
                .withDictionaryEncoding(ChipStoreSchema.SPLIT, true)
                .withDictionaryEncoding(ChipStoreSchema.DTYPE, true)
                .withStatisticsEnabled(ChipStoreSchema.PIXELS, false)
                .withStatisticsEnabled(ChipStoreSchema.MASK, false)
                .withSizeStatisticsEnabled(false)
                .withExtraMetaData(Map.of("geolightning.schema_version", String.valueOf(ChipStoreSchema.VERSION)))
                .build();
    }

    private Group toGroup(ChipRow r) {
        Group g = groups.newGroup()
                .append(ChipStoreSchema.CHIP_ID, r.chipId())
                .append(ChipStoreSchema.SCENE, r.scene())
                .append(ChipStoreSchema.CRS, r.crs())
                .append(ChipStoreSchema.X, r.x())
                .append(ChipStoreSchema.Y, r.y())
                .append(ChipStoreSchema.WIDTH, r.width())
                .append(ChipStoreSchema.HEIGHT, r.height())
                .append(ChipStoreSchema.MINX, r.minx())
                .append(ChipStoreSchema.MINY, r.miny())
                .append(ChipStoreSchema.MAXX, r.maxx())
                .append(ChipStoreSchema.MAXY, r.maxy())
                .append(ChipStoreSchema.SPLIT, r.split().id());
        if (r.label() != null) {
            g.append(ChipStoreSchema.LABEL, r.label().intValue());
        }
        if (r.mask() != null) {
            g.append(ChipStoreSchema.MASK, Binary.fromConstantByteArray(r.mask()));
        }
        return g.append(ChipStoreSchema.BANDS, r.bands())
                .append(ChipStoreSchema.DTYPE, r.dtype().id())
                .append(ChipStoreSchema.PIXELS, Binary.fromConstantByteArray(r.pixels()));
    }

    /**
     * Finishes the store: closes the parts and publishes them with the sidecar, filling in its row counts, part list,
     * schema version and codec (see {@link StoreCommit}: a reader finds the previous store or this one, whole). A
     * Ctrl-C during the commit waits for it to finish or to be undone.
     *
     * @return the sidecar as written
     */
    public synchronized ChipStoreMetadata commit(ChipStoreMetadata metadata) {
        checkOpen();
        COMMITS.lock();
        try {
            if (current != null) {
                current.close();
            }
            for (Part p : parts) {
                if (!p.closed) {
                    throw new IllegalStateException("part " + p.index + " of " + layout.root() + " is still open");
                }
            }
            List<Part> nonEmpty = parts.stream().filter(p -> p.temp != null).toList();
            if (nonEmpty.isEmpty()) { // an empty store still gets one valid (empty) file
                Part p = new Part(0);
                p.temp = TempFiles.reserve(layout.folder().resolve(layout.partName(0)), ".tmp");
                p.writer = newWriter(p.temp);
                p.close();
                nonEmpty = List.of(p);
                parts.add(p);
            }
            ChipStoreMetadata m = StoreCommit.publish(layout, nonEmpty.stream().map(p -> p.temp).toList(),
                    names -> new ChipStoreMetadata(ChipStoreSchema.VERSION, metadata.task(), metadata.classNames(),
                            metadata.ignoreValue(), metadata.bands(), metadata.dtype(), metadata.chipWidth(),
                            metadata.chipHeight(), metadata.nodata(), metadata.bandStatistics(), rowCounts(), names,
                            metadata.configHash(), metadata.tilingConfig(), metadata.inputs(),
                            options.codec().name()), options.exclusive());
            nonEmpty.forEach(p -> p.temp = null);
            done = true;
            OPEN.remove(this);
            LOG.info("chip store {}: {} chips in {} file(s)", layout.root(), rows, m.parts().size());
            return m;
        } catch (IOException e) {
            throw StoreCommit.failed(layout, e);
        } finally {
            COMMITS.unlock();
        }
    }

    /**
     * Closes; without a prior {@link #commit} the temporary files are deleted, and so are the folders {@link #open}
     * created when nothing else is in them: nothing is published and nothing that was there before is touched.
     */
    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        OPEN.remove(this);
        parts.forEach(Part::discard);
        removeEmpty(createdFolders);
    }

    /**
     * At the JVM's end (the threads still running): deletes this process's temporaries in the folder (the shutdown
     * hook of {@link TempFiles} may not have yet) and the folders {@link #open} created, when then empty.
     */
    private void abandon() {
        if (createdFolders.isEmpty()) {
            return;
        }
        for (Path t : TempFiles.live()) {
            if (layout.folder().equals(t.getParent())) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException e) {
                    LOG.debug("cannot delete {} ({})", t, e.toString());
                }
            }
        }
        removeEmpty(createdFolders);
    }

    /** Deletes the folders, deepest first, as long as they are empty. */
    private static void removeEmpty(List<Path> folders) {
        for (Path f : folders) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) { // not empty (another writer's files), or not ours to delete any more
                LOG.debug("keeping the folder {} ({})", f, e.toString());
                return;
            }
        }
    }
}
