package io.geolightning.app.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics of a run as read back from {@code metrics.csv} (columns {@code step,epoch,<metric...>}, empty cells
 * where a row does not hold a metric), with per-epoch series for plotting.
 */
public final class MetricsHistory {

    private final List<String> columns;
    private final List<Map<String, Double>> rows;

    private MetricsHistory(List<String> columns, List<Map<String, Double>> rows) {
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
    }

    /**
     * @param csv a {@code metrics.csv}; a missing file reads as an empty history
     * @return the history
     */
    public static MetricsHistory read(Path csv) {
        if (!Files.exists(csv)) {
            return new MetricsHistory(List.of(), List.of());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException(csv + ": cannot read metrics (" + e.getMessage() + "); check permissions", e);
        }
        if (lines.isEmpty()) {
            return new MetricsHistory(List.of(), List.of());
        }
        List<String> cols = List.of(lines.get(0).split(",", -1));
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < Math.min(cells.length, cols.size()); c++) {
                if (!cells[c].isEmpty()) {
                    try {
                        row.put(cols.get(c), Double.parseDouble(cells[c]));
                    } catch (NumberFormatException e) {
                        throw new ReportException(csv + ": line " + (i + 1) + ", column " + cols.get(c) + " holds '"
                                + cells[c] + "', not a number; the file is damaged, rerun training");
                    }
                }
            }
            rows.add(row);
        }
        return new MetricsHistory(cols, rows);
    }

    /** @return metric columns (without step and epoch) */
    public List<String> metricNames() {
        return columns.stream().filter(c -> !c.equals("step") && !c.equals("epoch")).toList();
    }

    /** @return true when a metric has at least one value */
    public boolean has(String metric) {
        return rows.stream().anyMatch(r -> r.containsKey(metric));
    }

    /** @return number of rows */
    public int size() {
        return rows.size();
    }

    /**
     * The per-epoch series of a metric: the mean of its values in each epoch (step metrics are averaged, epoch metrics
     * have one value per epoch).
     *
     * @param metric the metric name
     * @return {x = epochs, y = values}, both empty when the metric was never logged
     */
    public double[][] perEpoch(String metric) {
        TreeMap<Integer, double[]> acc = new TreeMap<>();
        for (Map<String, Double> r : rows) {
            Double v = r.get(metric);
            Double e = r.get("epoch");
            if (v == null || e == null || !Double.isFinite(v)) {
                continue;
            }
            double[] s = acc.computeIfAbsent(e.intValue(), k -> new double[2]);
            s[0] += v;
            s[1]++;
        }
        double[] x = new double[acc.size()];
        double[] y = new double[acc.size()];
        int i = 0;
        for (Map.Entry<Integer, double[]> en : acc.entrySet()) {
            x[i] = en.getKey();
            y[i++] = en.getValue()[0] / en.getValue()[1];
        }
        return new double[][] {x, y};
    }

    /**
     * @param metric the metric name
     * @return its last logged value, or NaN
     */
    public double last(String metric) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            Double v = rows.get(i).get(metric);
            if (v != null) {
                return v;
            }
        }
        return Double.NaN;
    }

    /**
     * The value of every metric at the latest logging of its group (its stage prefix, {@code val}, {@code train},
     * ..., step metrics apart), in column order: a metric the latest validation did not log (a class's precision once
     * none of the class is predicted) is left out rather than shown with an earlier validation's value.
     *
     * @return metric to value
     */
    public Map<String, Double> lastValues() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String c : metricNames()) {
            for (int i = rows.size() - 1; i >= 0; i--) {
                Map<String, Double> row = rows.get(i);
                Double v = row.get(c);
                if (v != null) {
                    if (!Double.isNaN(v)) {
                        m.put(c, v);
                    }
                    break;
                }
                if (row.keySet().stream().anyMatch(k -> !k.equals("step") && !k.equals("epoch")
                        && group(k).equals(group(c)))) {
                    break; // its group was logged later without it: stale
                }
            }
        }
        return m;
    }

    private static String group(String metric) {
        int cut = metric.indexOf('_');
        return (cut < 0 ? "" : metric.substring(0, cut)) + (metric.endsWith("_step") ? "/step" : "");
    }
}
