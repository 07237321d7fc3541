package io.geolightning.trainer.loggers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lightning's {@code CSVLogger} layout: {@code <root>/<name>/version_<N>/metrics.csv} with columns
 * {@code step,epoch,<metrics in first-seen order>} (one row per logging call, empty cells for metrics not in that
 * call) and {@code hparams.yaml}. {@code N} is one more than the highest existing version unless given. Rows are
 * kept in memory and the file is rewritten atomically on {@link #flush()} (the trainer flushes after every epoch),
 * so a reader never sees a half-written file.
 */
public final class CsvLogger extends VersionedFolderLogger {

    private final Set<String> columns = new LinkedHashSet<>(List.of("step", "epoch"));
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private final Map<String, Object> hparams = new LinkedHashMap<>();
    private boolean dirty;

    /**
     * @param root the root folder (e.g. {@code lightning_logs}'s parent)
     * @param name the experiment name
     */
    public CsvLogger(Path root, String name) {
        this(root, name, null);
    }

    /**
     * @param root the root folder
     * @param name the experiment name
     * @param version the version folder name, or null for the next {@code version_N}
     */
    public CsvLogger(Path root, String name, String version) {
        super(root, name, version);
    }

    /** @return the metrics file path */
    public Path metricsFile() {
        return logDir().resolve("metrics.csv");
    }

    @Override
    public synchronized void logHyperparams(Map<String, Object> hyperparameters) {
        hparams.putAll(hyperparameters);
        LogFolders.writeAtomically(logDir().resolve("hparams.yaml"), Yaml.of(hparams));
    }

    @Override
    public synchronized void logMetrics(Map<String, Double> metrics, long step) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("step", (double) step);
        row.putAll(metrics);
        columns.addAll(row.keySet());
        rows.add(row);
        dirty = true;
    }

    @Override
    public synchronized void flush() {
        if (!dirty) {
            return;
        }
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Double> row : rows) {
            boolean first = true;
            for (String c : columns) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Double v = row.get(c);
                if (v != null) {
                    sb.append(format(c, v));
                }
            }
            sb.append('\n');
        }
        LogFolders.writeAtomically(metricsFile(), sb.toString());
        dirty = false;
    }

    private static String format(String column, double v) {
        if ((column.equals("step") || column.equals("epoch")) && v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return Double.isFinite(v) ? Double.toString(v) : String.valueOf(v).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        flush();
    }
}
