package io.geolightning.tiling.store;

import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Writes chips into a Parquet chip store (see {@link ChipStoreLayout}) without Hadoop on disk. Every Parquet file is
 * written under a temporary name and moved into place by {@link #commit}, after which the sidecar is written; closing
 * without committing deletes the temporary files and leaves any previous store untouched. {@link #write} is
 * thread-safe.
 */
public final class ChipStoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChipStoreWriter.class);

    private final ChipStoreLayout layout;
    private final ChipStoreOptions options;
    private final LocalCodecFactory codecs;
    private final SimpleGroupFactory groups = new SimpleGroupFactory(ChipStoreSchema.SCHEMA);
    private final List<Path> temps = new ArrayList<>();
    private final Map<Split, Long> counts = new EnumMap<>(Split.class);
    private ParquetWriter<Group> current;
    private long rowsInPart;
    private long rows;
    private boolean done;

    private ChipStoreWriter(ChipStoreLayout layout, ChipStoreOptions options) {
        this.layout = layout;
        this.options = options;
        this.codecs = new LocalCodecFactory(options.zstdLevel());
    }

    /** Opens a writer for a store at {@code target} (a ".parquet" file or a folder, created if needed). */
    public static ChipStoreWriter open(Path target, ChipStoreOptions options) {
        ChipStoreLayout layout = new ChipStoreLayout(target);
        try {
            Files.createDirectories(layout.folder());
        } catch (IOException e) {
            throw new TilingException(layout.folder() + ": cannot create the chip-store folder (" + e.getMessage()
                    + "); choose a writable location", e);
        }
        return new ChipStoreWriter(layout, options);
    }

    /** @return the layout being written */
    public ChipStoreLayout layout() {
        return layout;
    }

    /** Appends one chip. */
    public synchronized void write(ChipRow row) {
        if (done) {
            throw new IllegalStateException("chip store " + layout.root() + " is already committed or closed");
        }
        try {
            if (current == null || (!layout.singleFile() && rowsInPart >= options.rowsPerPart())) {
                rotate();
            }
            current.write(toGroup(row));
        } catch (IOException e) {
            throw new TilingException(layout.root() + ": cannot write chip " + row.chipId() + " (" + e.getMessage()
                    + "); check free space and permissions", e);
        }
        rowsInPart++;
        rows++;
        counts.merge(row.split(), 1L, Long::sum);
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

    private void rotate() throws IOException {
        closeCurrent();
        Path target = layout.folder().resolve(layout.partName(temps.size()));
        Path tmp = AtomicFiles.tempFor(target);
        temps.add(tmp);
        current = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                .withType(ChipStoreSchema.SCHEMA)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(codecs)
                .withCompressionCodec(options.codec())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withRowGroupSize(options.rowGroupBytes())
                .withPageSize(1 << 20)
                .withDictionaryEncoding(false)
                .withDictionaryEncoding(ChipStoreSchema.SCENE, true)
                .withDictionaryEncoding(ChipStoreSchema.CRS, true)
                .withDictionaryEncoding(ChipStoreSchema.SPLIT, true)
                .withDictionaryEncoding(ChipStoreSchema.DTYPE, true)
                .withExtraMetaData(Map.of("geolightning.schema_version", String.valueOf(ChipStoreSchema.VERSION)))
                .build();
        rowsInPart = 0;
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
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
     * Finishes the store: closes the last file, removes the previous sidecar, moves every file into place and writes
     * the sidecar, filling in its row counts, part list, schema version and codec.
     *
     * @return the sidecar as written
     */
    public synchronized ChipStoreMetadata commit(ChipStoreMetadata metadata) {
        if (done) {
            throw new IllegalStateException("chip store " + layout.root() + " is already committed or closed");
        }
        try {
            if (current == null) {
                rotate(); // an empty store still gets one valid (empty) file
            }
            closeCurrent();
            Files.deleteIfExists(layout.sidecar());
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < temps.size(); i++) {
                String name = layout.partName(i);
                AtomicFiles.commit(temps.get(i), layout.folder().resolve(name));
                parts.add(name);
            }
            temps.clear();
            if (!layout.singleFile()) {
                removeStaleParts(parts);
            }
            ChipStoreMetadata m = new ChipStoreMetadata(ChipStoreSchema.VERSION, metadata.task(),
                    metadata.classNames(), metadata.ignoreValue(), metadata.bands(), metadata.dtype(),
                    metadata.chipWidth(), metadata.chipHeight(), metadata.nodata(), metadata.bandStatistics(),
                    rowCounts(), parts, metadata.configHash(), metadata.tilingConfig(), metadata.inputs(),
                    options.codec().name());
            SidecarJson.write(layout.sidecar(), m);
            done = true;
            LOG.info("chip store {}: {} chips in {} file(s)", layout.root(), rows, parts.size());
            return m;
        } catch (IOException e) {
            throw new TilingException(layout.root() + ": cannot finish the chip store (" + e.getMessage()
                    + "); check free space and permissions", e);
        }
    }

    private void removeStaleParts(List<String> keep) throws IOException {
        try (var s = Files.list(layout.folder())) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("part-") && n.endsWith(".parquet") && !keep.contains(n)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Closes; without a prior {@link #commit} the temporary files are deleted and nothing is published. */
    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            closeCurrent();
        } catch (IOException | RuntimeException e) {
            LOG.warn("chip store {}: closing an abandoned part failed: {}", layout.root(), e.toString());
        }
        for (Path t : temps) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException e) {
                LOG.warn("cannot delete temporary file {}: {}", t, e.toString());
            }
        }
    }
}
