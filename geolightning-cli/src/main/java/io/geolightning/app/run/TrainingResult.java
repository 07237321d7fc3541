package io.geolightning.app.run;

import io.geolightning.app.report.RunFolder;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param folder the run folder
 * @param bestCheckpoint the best checkpoint (by the monitored metric), or the last one without a monitor
 * @param lastCheckpoint {@code last.ckpt}, or null
 * @param evaluation metrics of the final evaluation (test split, else validation split), may be empty
 * @param evaluatedOn which data {@code evaluation} comes from
 * @param epochs epochs trained
 * @param seconds training wall time
 */
public record TrainingResult(RunFolder folder, Path bestCheckpoint, Path lastCheckpoint, Map<String, Double> evaluation,
                             String evaluatedOn, int epochs, double seconds) {
}
