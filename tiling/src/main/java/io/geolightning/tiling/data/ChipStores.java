package io.geolightning.tiling.data;

import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One or several chip stores read as one dataset (each a ".parquet" file or a folder of parts, such as a Spark tile
 * job writes): opened and validated together, they must agree on task, class names, bands, data type and chip size;
 * their row counts add up and their training statistics are pooled (count-weighted means and variances), which is
 * what one store tiled from all their scenes would hold.
 */
public final class ChipStores {
    private final List<Path> paths;
    private final List<ChipStoreReader> readers;
    private final ChipStoreMetadata metadata;
    private final long fileBytes;

    private ChipStores(List<Path> paths, List<ChipStoreReader> readers, ChipStoreMetadata metadata) {
        this.paths = paths;
        this.readers = readers;
        this.metadata = metadata;
        this.fileBytes = sizeOf(readers);
    }

    /**
     * Opens and checks the stores.
     *
     * @param paths the stores, at least one
     * @return the stores
     * @throws TilingException naming the store that cannot be read or disagrees with the first
     */
    public static ChipStores open(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no chip store");
        }
        List<ChipStoreReader> readers = new ArrayList<>();
        ChipStoreMetadata first = null;
        ChipStoreMetadata merged = null;
        for (Path p : paths) {
            ChipStoreReader r = ChipStoreReader.open(p);
            ChipStoreMetadata m = r.requireMetadata();
            if (first == null) {
                first = m;
                merged = m;
            } else {
                requireSame(p, paths.get(0), "task", m.task(), first.task());
                requireSame(p, paths.get(0), "class names", m.classNames(), first.classNames());
                requireSame(p, paths.get(0), "band count", m.bands(), first.bands());
                requireSame(p, paths.get(0), "data type", m.dtype(), first.dtype());
                requireSame(p, paths.get(0), "chip size", m.chipWidth() + "x" + m.chipHeight(),
                        first.chipWidth() + "x" + first.chipHeight());
                requireSame(p, paths.get(0), "ignore value", ignoreValue(m), ignoreValue(first));
                requireSame(p, paths.get(0), "nodata", nodata(m), nodata(first));
                merged = merge(merged, m);
            }
            readers.add(r);
        }
        return new ChipStores(List.copyOf(paths), List.copyOf(readers), merged);
    }

    private static void requireSame(Path store, Path firstStore, String what, Object value, Object expected) {
        if (!Objects.equals(value, expected)) {
            throw new TilingException(store + ": " + what + " " + value + ", but " + expected + " in " + firstStore
                    + "; chip stores read together must share task, classes, bands, data type, chip size, ignore"
                    + " value and nodata (tile them with the same settings)");
        }
    }

    /** @return the mask value of ignored pixels the store's chips carry (an unset one is tiling's default) */
    private static int ignoreValue(ChipStoreMetadata m) {
        return m.ignoreValue() == null ? LabelConfig.DEFAULT_IGNORE_VALUE : m.ignoreValue();
    }

    /** @return the nodata value per band, "none" for a band without one */
    private static List<String> nodata(ChipStoreMetadata m) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < m.bands(); b++) {
            Double v = m.nodata() == null || b >= m.nodata().size() ? null : m.nodata().get(b);
            out.add(v == null ? "none" : String.valueOf(v));
        }
        return out;
    }

    private static ChipStoreMetadata merge(ChipStoreMetadata a, ChipStoreMetadata b) {
        Map<String, Long> rows = new TreeMap<>();
        if (a.rowCounts() != null) {
            rows.putAll(a.rowCounts());
        }
        if (b.rowCounts() != null) {
            b.rowCounts().forEach((k, v) -> rows.merge(k, v, Long::sum));
        }
        return new ChipStoreMetadata(a.schemaVersion(), a.task(), a.classNames(),
                a.ignoreValue() != null ? a.ignoreValue() : b.ignoreValue(), a.bands(), a.dtype(),
                a.chipWidth(), a.chipHeight(), a.nodata(), pool(a.bandStatistics(), b.bandStatistics()), rows, null,
                null, a.tilingConfig(), null, a.codec());
    }

    /** @return statistics of the union of both pixel sets (either may be null: a store without a train split) */
    static BandStatistics pool(BandStatistics a, BandStatistics b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        int n = a.bands();
        long[] count = new long[n];
        double[] mean = new double[n];
        double[] std = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            long c = a.count()[i] + b.count()[i];
            count[i] = c;
            if (a.count()[i] == 0 || b.count()[i] == 0) { // a store without training pixels in the band (NaN mean)
                BandStatistics only = a.count()[i] == 0 && c > 0 ? b : a;
                mean[i] = only.mean()[i];
                std[i] = only.std()[i];
                min[i] = only.min()[i];
                max[i] = only.max()[i];
                continue;
            }
            double wa = (double) a.count()[i] / c;
            double wb = (double) b.count()[i] / c;
            mean[i] = wa * a.mean()[i] + wb * b.mean()[i];
            double da = a.mean()[i] - mean[i];
            double db = b.mean()[i] - mean[i];
            double var = wa * (a.std()[i] * a.std()[i] + da * da) + wb * (b.std()[i] * b.std()[i] + db * db);
            std[i] = Math.sqrt(Math.max(0, var));
            min[i] = Math.min(a.min()[i], b.min()[i]);
            max[i] = Math.max(a.max()[i], b.max()[i]);
        }
        return new BandStatistics(count, mean, std, min, max);
    }

    /** @return the stores' paths, in reading order */
    public List<Path> paths() {
        return paths;
    }

    /** @return one reader per store, in reading order */
    public List<ChipStoreReader> readers() {
        return readers;
    }

    /** @return the first store's sidecar with the row counts summed and the training statistics pooled */
    public ChipStoreMetadata metadata() {
        return metadata;
    }

    /** @return bytes of all the stores' Parquet files when they were opened */
    public long fileBytes() {
        return fileBytes;
    }

    private static long sizeOf(List<ChipStoreReader> readers) {
        long bytes = 0;
        for (ChipStoreReader r : readers) {
            for (Path p : r.parts()) {
                try {
                    bytes += Files.size(p);
                } catch (IOException e) {
                    throw new TilingException(p + ": cannot read the file's size (" + e.getMessage() + "); check the"
                            + " store is complete and readable", e);
                }
            }
        }
        return bytes;
    }

    /**
     * @param mode the loader's streaming setting
     * @return whether to stream: always with {@code ON}, never with {@code OFF}, and with {@code AUTO} when the files
     *         are larger than a quarter of the maximum Java heap (decoded chips take more room than compressed ones)
     */
    public boolean streams(LoaderConfig.Streaming mode) {
        return switch (mode) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> fileBytes() > Runtime.getRuntime().maxMemory() / 4;
        };
    }

    /** @return a name for messages: the store, or the first one and how many more */
    public String describe() {
        return paths.size() == 1 ? paths.get(0).toString() : paths.get(0) + " (+" + (paths.size() - 1) + " stores)";
    }
}
