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

/** Prints what {@code info} knows about a chip store: its sidecar and, for classification, chips per class and split. */
final class ChipStoreDescriber {

    private final PrintWriter out;

    ChipStoreDescriber(PrintWriter out) {
        this.out = out;
    }

    void describe(Path store) {
        ChipStoreReader reader = ChipStoreReader.open(store);
        ChipStoreMetadata m = reader.requireMetadata();
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
        if (m.task() == LabelTask.CLASSIFICATION && m.classNames() != null) {
            classCounts(reader, m.classNames(), t);
        }
        if (m.nodata() != null) {
            t.row("nodata", m.nodata());
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

    private static void classCounts(ChipStoreReader reader, List<String> classes, Table t) {
        Map<String, long[]> perSplit = new TreeMap<>();
        try (ChipCursor c = reader.rows(List.of(ChipStoreSchema.SPLIT, ChipStoreSchema.LABEL))) {
            while (c.hasNext()) {
                ChipRow r = c.next();
                if (r.label() == null || r.label() < 0 || r.label() >= classes.size()) {
                    continue;
                }
                perSplit.computeIfAbsent(r.split().id(), k -> new long[classes.size()])[r.label()]++;
            }
        }
        perSplit.forEach((split, counts) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < counts.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(classes.get(i)).append(' ').append(counts[i]);
            }
            t.row("  " + split, sb.toString());
        });
    }
}
