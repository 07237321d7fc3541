package io.geolightning.app.cli;

import io.geolightning.app.report.Numbers;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipCursor;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreSchema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints what {@code info} knows about a chip store, after checking its files against its sidecar: the sidecar and,
 * for classification, chips per class and split.
 */
final class ChipStoreDescriber {

    private final PrintWriter out;

    ChipStoreDescriber(PrintWriter out) {
        this.out = out;
    }

    /**
     * Opens the store (every part's footer, their rows against the sidecar's), reads its split and label columns
     * (their page checksums, and rows per split against the sidecar's), then prints it.
     *
     * @param verify also read every page of the store and check its checksum
     */
    void describe(Path store, boolean verify) {
        ChipStoreReader reader = ChipStoreReader.open(store);
        ChipStoreMetadata m = reader.requireMetadata();
        if (verify) {
            reader.verifyPages();
        }
        List<String> classes = m.task() == LabelTask.CLASSIFICATION ? m.classNames() : null;
        Map<String, long[]> perSplit = countRows(reader, classes == null ? 0 : classes.size());
        checkSplits(reader, m, perSplit);
        Table t = new Table(out, 14);
        t.title("chip store " + reader.layout().root());
        t.row("task", m.task().id());
        t.row("classes", m.classNames() == null ? "none" : m.classNames().size() + " " + m.classNames());
        if (m.ignoreValue() != null) {
            t.row("ignore value", m.ignoreValue());
        } else if (m.task() == LabelTask.SEGMENTATION) {
            t.row("ignore value", m.maskIgnoreValue() + " (the default: mask pixels without image data or labels)");
        }
        t.row("chips", m.chipWidth() + " x " + m.chipHeight() + " pixels, " + m.bands() + " bands, " + m.dtype());
        t.row("rows", reader.rowCount() + " in " + reader.parts().size() + " file(s), codec " + m.codec());
        if (m.rowCounts() != null) {
            StringBuilder sb = new StringBuilder();
            m.rowCounts().forEach((k, v) -> {
                if (!k.equals("total")) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
                }
            });
            t.row("splits", sb.length() == 0 ? "none" : sb.toString());
        }
        if (classes != null) {
            perSplit.forEach((split, counts) -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i < counts.length; i++) {
                    sb.append(i == 1 ? "" : ", ").append(classes.get(i - 1)).append(' ').append(counts[i]);
                }
                t.row("  " + split, sb.toString());
            });
        }
        if (m.nodata() != null && m.nodata().stream().anyMatch(v -> v != null)) {
            t.row("nodata", m.nodata().stream().map(v -> v == null ? "none" : Numbers.num(v)).toList());
        }
        BandStatistics s = m.bandStatistics();
        if (s == null) {
            t.row("band stats", "none (no train split)");
        } else {
            t.row("band stats", "computed on the train split (normalisation)");
            for (int b = 0; b < s.bands(); b++) {
                t.row("  band " + (b + 1), "mean " + Numbers.num(s.mean()[b]) + ", std " + Numbers.num(s.std()[b])
                        + ", min " + Numbers.num(s.min()[b]) + ", max " + Numbers.num(s.max()[b]));
            }
        }
        if (m.tilingConfig() != null && m.tilingConfig().get("scenes") != null) {
            t.row("scenes", m.tilingConfig().get("scenes"));
        }
    }

    /**
     * @return per split id: its rows, then its chips per class (classification; labels out of range not counted)
     */
    private static Map<String, long[]> countRows(ChipStoreReader reader, int classes) {
        Map<String, long[]> perSplit = new TreeMap<>();
        List<String> columns = classes == 0 ? List.of(ChipStoreSchema.SPLIT)
                : List.of(ChipStoreSchema.SPLIT, ChipStoreSchema.LABEL);
        try (ChipCursor c = reader.rows(columns)) {
            while (c.hasNext()) {
                ChipRow r = c.next();
                long[] counts = perSplit.computeIfAbsent(r.split() == null ? "none" : r.split().id(),
                        k -> new long[classes + 1]);
                counts[0]++;
                if (classes > 0 && r.label() != null && r.label() >= 0 && r.label() < classes) {
                    counts[r.label() + 1]++;
                }
            }
        }
        return perSplit;
    }

    /** The rows of each split must be the sidecar's: a part of another tiling can hold as many rows in all. */
    private static void checkSplits(ChipStoreReader reader, ChipStoreMetadata m, Map<String, long[]> perSplit) {
        if (m.rowCounts() == null) {
            return;
        }
        Map<String, Long> found = new TreeMap<>();
        perSplit.forEach((split, counts) -> found.put(split, counts[0]));
        Map<String, Long> listed = new TreeMap<>();
        m.rowCounts().forEach((split, n) -> {
            if (!split.equals("total") && n > 0) {
                listed.put(split, n);
            }
        });
        if (!found.equals(listed)) {
            throw new CliException(reader.layout().sidecar() + ": lists chips per split " + listed + ", but the"
                    + " Parquet files hold " + found + " (a file was replaced); " + ChipStoreReader.RETILE);
        }
    }
}
