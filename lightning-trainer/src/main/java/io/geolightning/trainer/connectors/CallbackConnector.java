package io.geolightning.trainer.connectors;

import io.geolightning.trainer.TrainerConfig;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.callbacks.ProgressBar;
import io.geolightning.trainer.loggers.ExperimentLogger;
import java.util.ArrayList;
import java.util.List;

/**
 * Which callbacks and loggers a trainer actually runs, like Lightning's callback connector: the configured ones, plus
 * a {@link ProgressBar} when enabled and none is given, with the {@link ModelCheckpoint}s moved last (as Lightning
 * does), so that a checkpoint holds the other callbacks' state of the same epoch (early stopping's patience counter
 * included); with {@code fastDevRun}, no checkpointing, no early stopping and no loggers.
 */
public final class CallbackConnector {

    private CallbackConnector() {
    }

    /**
     * @param config the trainer's settings
     * @return the callbacks to run, in call order
     */
    public static List<Callback> callbacks(TrainerConfig config) {
        List<Callback> cbs = new ArrayList<>(config.callbacks());
        if (config.enableProgressBar() && cbs.stream().noneMatch(c -> c instanceof ProgressBar)) {
            cbs.add(new ProgressBar());
        }
        if (config.fastDevRun() > 0) {
            cbs.removeIf(c -> c instanceof ModelCheckpoint || c instanceof EarlyStopping);
        }
        List<Callback> checkpoints = cbs.stream().filter(c -> c instanceof ModelCheckpoint).toList();
        cbs.removeAll(checkpoints);
        cbs.addAll(checkpoints);
        return List.copyOf(cbs);
    }

    /**
     * @param config the trainer's settings
     * @return the loggers to write to
     */
    public static List<ExperimentLogger> loggers(TrainerConfig config) {
        return config.fastDevRun() > 0 ? List.of() : config.loggers();
    }
}
