package io.geolightning.trainer.loggers;

import java.nio.file.Path;
import java.util.Map;

/**
 * Receives metrics and hyperparameters from the {@code Trainer}, like Lightning's {@code Logger}: implementations
 * write CSV ({@link CsvLogger}) or TensorBoard event files ({@link TensorBoardLogger}).
 */
public interface ExperimentLogger extends AutoCloseable {

    /** @return the experiment name */
    String name();

    /** @return the version, e.g. {@code version_0} */
    String version();

    /** @return the folder this logger writes to ({@code <root>/<name>/<version>}) */
    Path logDir();

    /**
     * Records hyperparameters (written once; later calls merge).
     *
     * @param hyperparameters name to value
     */
    void logHyperparams(Map<String, Object> hyperparameters);

    /**
     * Records metric values at a global step.
     *
     * @param metrics metric name to value (also holds {@code epoch})
     * @param step the global step
     */
    void logMetrics(Map<String, Double> metrics, long step);

    /**
     * Records an image at a global step, like a TensorBoard image summary; loggers that hold no images ignore it.
     *
     * @param tag the image's name, e.g. {@code val_predictions}
     * @param png the image, PNG-encoded
     * @param width its width in pixels
     * @param height its height in pixels
     * @param step the global step
     */
    default void logImage(String tag, byte[] png, int width, int height, long step) {}

    /** Writes buffered data to disk. */
    default void flush() {}

    /** Flushes and releases files. */
    @Override
    void close();
}
