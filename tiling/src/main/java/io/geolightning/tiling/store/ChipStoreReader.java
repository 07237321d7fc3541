package io.geolightning.tiling.store;

import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a chip store (a ".parquet" file or a folder of parts, see {@link ChipStoreLayout}). Opening checks every
 * file's footer, so a truncated or foreign file fails at once with a one-line {@link TilingException}. Rows are
 * streamed one row group at a time, optionally projected to a subset of columns (columns left out read as null/0).
 */
public final class ChipStoreReader {
    /** The fix for a damaged store, at the end of every message about one. */
    public static final String RETILE = "re-run tile with --overwrite to rebuild the store";
    private static final LocalCodecFactory CODECS = new LocalCodecFactory();

    private final ChipStoreLayout layout;
    private final ChipStoreMetadata metadata;
    private final List<Path> parts;
    private final List<RowGroup> rowGroups;
    private final long rowCount;

    /**
     * One row group of one file of a store: the unit a streaming loader reads and shuffles.
     *
     * @param part the Parquet file
     * @param index the row group's index in the file
     * @param rows its rows
     */
    public record RowGroup(Path part, int index, long rows) {
    }

    private ChipStoreReader(ChipStoreLayout layout, ChipStoreMetadata metadata, List<Path> parts,
            List<RowGroup> rowGroups) {
        this.layout = layout;
        this.metadata = metadata;
        this.parts = parts;
        this.rowGroups = rowGroups;
        this.rowCount = rowGroups.stream().mapToLong(RowGroup::rows).sum();
    }

    /**
     * Opens a store and validates its files' footers, and their row count against the sidecar's (a part replaced or
     * left out, a single file replaced without its sidecar).
     */
    public static ChipStoreReader open(Path store) {
        ChipStoreLayout layout = new ChipStoreLayout(store);
        if (!Files.exists(layout.root())) {
            throw new TilingException(layout.root() + ": no chip store here; tile a scene first "
                    + "(SatelliteDataModule.prepareData()) or pass the path of an existing store");
        }
        ChipStoreMetadata meta = SidecarJson.readIfExists(layout.sidecar());
        List<Path> parts = new ArrayList<>();
        if (layout.singleFile()) {
            parts.add(layout.root());
        } else if (meta != null && meta.parts() != null) {
            meta.parts().forEach(p -> parts.add(layout.folder().resolve(p)));
        } else {
            try (Stream<Path> s = Files.list(layout.folder())) {
                s.filter(p -> p.getFileName().toString().endsWith(".parquet")
                        && !p.getFileName().toString().startsWith(".")).sorted().forEach(parts::add);
            } catch (IOException e) {
                throw new TilingException(layout.root() + ": cannot list the chip-store folder (" + e.getMessage()
                        + "); check permissions", e);
            }
            if (parts.isEmpty()) {
                throw new TilingException(layout.root() + ": folder holds no .parquet chip files; tile a scene "
                        + "into it first or pass another folder");
            }
        }
        List<RowGroup> groups = new ArrayList<>();
        for (Path p : parts) {
            try (ParquetFileReader r = openFile(p)) {
                MessageType schema = r.getFooter().getFileMetaData().getSchema();
                if (!schema.containsField(ChipStoreSchema.PIXELS) || !schema.containsField(ChipStoreSchema.CHIP_ID)) {
                    throw new TilingException(p + ": a Parquet file but not a chip store (no " + ChipStoreSchema.PIXELS
                            + "/" + ChipStoreSchema.CHIP_ID + " columns); pass a store written by ChipStoreWriter");
                }
                for (int i = 0; i < r.getRowGroups().size(); i++) {
                    groups.add(new RowGroup(p, i, r.getRowGroups().get(i).getRowCount()));
                }
            } catch (IOException e) {
                throw corrupt(p, e);
            }
        }
        ChipStoreReader reader = new ChipStoreReader(layout, meta, List.copyOf(parts), List.copyOf(groups));
        reader.checkRowCount();
        return reader;
    }

    /** The footers' rows must be the sidecar's total: its parts are the ones tiling wrote with it. */
    private void checkRowCount() {
        Long total = metadata == null || metadata.rowCounts() == null ? null : metadata.rowCounts().get("total");
        if (total != null && total != rowCount) {
            throw new TilingException(layout.sidecar() + ": lists " + total + " chips, but " + (parts.size() == 1
                    ? parts.get(0).getFileName() + " holds " : "its " + parts.size() + " Parquet files hold ")
                    + rowCount + " (a file was replaced, or tiling stopped before its sidecar was written); "
                    + RETILE);
        }
    }

    private static ParquetFileReader openFile(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new TilingException(p + ": chip-store file is missing; " + RETILE);
        }
        try {
            // page CRCs (written by ChipStoreWriter) are verified: a flipped bit in a chip fails loudly, never silently
            ParquetReadOptions opts = ParquetReadOptions.builder(new PlainParquetConfiguration())
                    .withCodecFactory(CODECS).usePageChecksumVerification(true).build();
            return ParquetFileReader.open(new LocalInputFile(p), opts);
        } catch (RuntimeException e) {
            if (e instanceof TilingException t) {
                throw t;
            }
            throw corrupt(p, e);
        }
    }

    private static TilingException corrupt(Path p, Exception e) {
        if (e instanceof TilingException t) {
            return t;
        }
        String detail = SidecarJson.firstLine(e.getMessage()).replaceAll("\\S*LocalInputFile@\\w+ ", "");
        return new TilingException(p + ": not a readable Parquet chip store (" + detail
                + "); the file is truncated or corrupt, " + RETILE, e);
    }

    /**
     * Reads every page of every part (all columns, the pixels too) and checks its checksum, without decoding rows:
     * the whole store is read, as a training reads it, so a flipped bit anywhere fails here, naming its file.
     */
    public void verifyPages() {
        for (Path p : parts) {
            try (ParquetFileReader r = openFile(p)) {
                for (int i = 0; i < r.getRowGroups().size(); i++) {
                    if (r.readRowGroup(i) == null) {
                        throw new TilingException(p + ": row group " + i + " is missing; " + RETILE);
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw corrupt(p, e);
            }
        }
    }

    /** @return the store's layout */
    public ChipStoreLayout layout() {
        return layout;
    }

    /** @return the sidecar, or null when the store has none */
    public ChipStoreMetadata metadata() {
        return metadata;
    }

    /** @return the sidecar, failing with a one-line message when the store has none */
    public ChipStoreMetadata requireMetadata() {
        if (metadata == null) {
            throw new TilingException(layout.sidecar() + ": chip-store sidecar is missing (the store was not finished"
                    + " or was copied without it); " + RETILE);
        }
        return metadata;
    }

    /** @return the Parquet files of the store */
    public List<Path> parts() {
        return parts;
    }

    /** @return the row groups of all files, in file order, from the footers */
    public List<RowGroup> rowGroups() {
        return rowGroups;
    }

    /** @return rows in all files, from the footers */
    public long rowCount() {
        return rowCount;
    }

    /** Streams all columns. */
    public ChipCursor rows() {
        return rows(ChipStoreSchema.SCHEMA.getFields().stream().map(f -> f.getName()).toList());
    }

    /** Streams the given columns only (e.g. {@link ChipStoreSchema#METADATA_COLUMNS} to skip pixels). */
    public ChipCursor rows(Collection<String> columns) {
        return rows(rowGroups, columns);
    }

    /**
     * Streams the given columns of some row groups, in the order given.
     *
     * @param groups row groups of this store (from {@link #rowGroups()})
     * @param columns the columns to read
     * @return the cursor
     */
    public ChipCursor rows(List<RowGroup> groups, Collection<String> columns) {
        return new Cursor(List.copyOf(groups), ChipStoreSchema.project(Set.copyOf(columns)));
    }

    /** Calls {@code action} for every row (all columns). */
    public void forEach(Consumer<ChipRow> action) {
        try (ChipCursor c = rows()) {
            c.forEachRemaining(action);
        }
    }

    private static final class Cursor implements ChipCursor {
        private final List<RowGroup> groups;
        private final MessageType projection;
        private int groupIndex;
        private Path current;
        private ParquetFileReader file;
        private RecordReader<Group> records;
        private long left;

        Cursor(List<RowGroup> groups, MessageType projection) {
            this.groups = groups;
            this.projection = projection;
        }

        @Override
        public boolean hasNext() {
            try {
                while (left == 0) {
                    if (groupIndex >= groups.size()) {
                        closeFile();
                        return false;
                    }
                    RowGroup g = groups.get(groupIndex++);
                    if (file == null || !g.part().equals(current)) {
                        closeFile();
                        current = g.part();
                        file = openFile(current);
                        file.setRequestedSchema(projection);
                    }
                    PageReadStore pages = file.readRowGroup(g.index());
                    if (pages == null) {
                        throw new TilingException(current + ": row group " + g.index() + " is missing; the file"
                                + " changed since the store was opened, open it again");
                    }
                    MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection);
                    records = io.getRecordReader(pages, new GroupRecordConverter(projection));
                    left = pages.getRowCount();
                }
                return true;
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public ChipRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            left--;
            try {
                return toRow(records.read());
            } catch (RuntimeException e) {
                throw fail(e);
            }
        }

        /** Closes the cursor and names the part being read (closing forgets which one it was). */
        private TilingException fail(Exception e) {
            Path damaged = current;
            close();
            return corrupt(damaged, e);
        }

        @Override
        public void close() {
            closeFile();
            groupIndex = groups.size();
            left = 0;
        }

        private void closeFile() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // read-only file
                }
                file = null;
            }
        }
    }

    private static ChipRow toRow(Group g) {
        MessageType t = (MessageType) g.getType();
        ChipDataType dtype = has(g, t, ChipStoreSchema.DTYPE) ? ChipDataType.parse(g.getString(ChipStoreSchema.DTYPE, 0))
                : ChipDataType.UINT8;
        return new ChipRow(
                str(g, t, ChipStoreSchema.CHIP_ID), str(g, t, ChipStoreSchema.SCENE), str(g, t, ChipStoreSchema.CRS),
                integer(g, t, ChipStoreSchema.X), integer(g, t, ChipStoreSchema.Y),
                integer(g, t, ChipStoreSchema.WIDTH), integer(g, t, ChipStoreSchema.HEIGHT),
                dbl(g, t, ChipStoreSchema.MINX), dbl(g, t, ChipStoreSchema.MINY),
                dbl(g, t, ChipStoreSchema.MAXX), dbl(g, t, ChipStoreSchema.MAXY),
                has(g, t, ChipStoreSchema.SPLIT) ? Split.parse(g.getString(ChipStoreSchema.SPLIT, 0)) : null,
                has(g, t, ChipStoreSchema.LABEL) ? g.getInteger(ChipStoreSchema.LABEL, 0) : null,
                has(g, t, ChipStoreSchema.MASK) ? g.getBinary(ChipStoreSchema.MASK, 0).getBytes() : null,
                integer(g, t, ChipStoreSchema.BANDS), dtype,
                has(g, t, ChipStoreSchema.PIXELS) ? g.getBinary(ChipStoreSchema.PIXELS, 0).getBytes() : null);
    }

    private static boolean has(Group g, MessageType t, String f) {
        return t.containsField(f) && g.getFieldRepetitionCount(f) > 0;
    }

    private static String str(Group g, MessageType t, String f) {
        return has(g, t, f) ? g.getString(f, 0) : null;
    }

    private static int integer(Group g, MessageType t, String f) {
        return has(g, t, f) ? g.getInteger(f, 0) : 0;
    }

    private static double dbl(Group g, MessageType t, String f) {
        return has(g, t, f) ? g.getDouble(f, 0) : Double.NaN;
    }
}
