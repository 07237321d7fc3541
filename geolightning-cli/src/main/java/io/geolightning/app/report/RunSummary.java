package io.geolightning.app.report;

import java.util.List;
import java.util.Map;

/**
 * What a run report shows besides the metrics file.
 *
 * @param title page title, e.g. "olinda / version_0"
 * @param configYaml the resolved configuration
 * @param data data facts in display order (source, classes, chips per split, bands, chip size, ...)
 * @param classNames class names in id order
 * @param confusion confusion matrix counts[truth][predicted] of the evaluation below, or null
 * @param confusionLabel which data the confusion matrix and {@code evaluation} come from, e.g. "test split, best
 *                       checkpoint"
 * @param evaluation final metrics on that data (e.g. test_acc, test_miou)
 * @param bestCheckpoint best checkpoint path relative to the run folder, or null
 * @param lastCheckpoint last checkpoint path relative to the run folder, or null
 * @param epochs epochs trained
 * @param seconds training wall time
 * @param stopReason why training stopped early, or null
 */
public record RunSummary(String title, String configYaml, Map<String, Object> data, List<String> classNames,
                         long[][] confusion, String confusionLabel, Map<String, Double> evaluation,
                         String bestCheckpoint, String lastCheckpoint, int epochs, double seconds, String stopReason) {

    /** Copies collections. */
    public RunSummary {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        evaluation = evaluation == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evaluation));
    }
}
