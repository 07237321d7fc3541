package io.geolightning.trainer.loops;

import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.TrainerConfig;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.connectors.CheckpointConnector;
import io.geolightning.trainer.connectors.DeviceConnector;
import io.geolightning.trainer.connectors.LoggerConnector;
import io.geolightning.trainer.connectors.OptimizerConnector;
import java.util.List;

/**
 * What the loops of one run share: the trainer (handed to callbacks), the running module, the configuration, the
 * callbacks, the progress and the trainer's connectors. The {@link Trainer} builds one when an entry point starts.
 *
 * @param trainer the trainer running the loops
 * @param module the module being run
 * @param config the trainer's configuration
 * @param callbacks the callbacks, in call order
 * @param progress the run's progress
 * @param devices devices, memory and batch placement
 * @param optimizers optimizers and the optimisation step
 * @param logging logged metrics and experiment loggers
 * @param checkpoints checkpoint save and restore
 */
public record LoopContext(Trainer trainer, LightningModule module, TrainerConfig config, List<Callback> callbacks,
                          RunProgress progress, DeviceConnector devices, OptimizerConnector optimizers,
                          LoggerConnector logging, CheckpointConnector checkpoints) {

    /** A callback hook with the trainer and module it receives. */
    @FunctionalInterface
    public interface Hook {
        /**
         * @param callback the callback
         * @param trainer the trainer
         * @param module the module
         */
        void call(Callback callback, Trainer trainer, LightningModule module);
    }

    /**
     * Calls a hook on every callback, in order, e.g. {@code callHooks(Callback::onFitStart)}.
     *
     * @param hook the hook
     */
    public void callHooks(Hook hook) {
        for (Callback c : callbacks) {
            hook.call(c, trainer, module);
        }
    }

    /**
     * Calls a hook on the callbacks that monitor a metric ({@link ModelCheckpoint}, {@link EarlyStopping}) or on the
     * others, in order: Lightning calls a training epoch's end on the others, then on the module, then on these, so
     * that they see what the others and the module logged there.
     *
     * @param hook the hook
     * @param monitoring true for the monitoring callbacks, false for the others
     */
    public void callHooks(Hook hook, boolean monitoring) {
        for (Callback c : callbacks) {
            if ((c instanceof ModelCheckpoint || c instanceof EarlyStopping) == monitoring) {
                hook.call(c, trainer, module);
            }
        }
    }

    /**
     * Tells every callback that the run failed ({@code onException}), as Lightning does before re-raising: a callback
     * that fails there too is added to the failure (suppressed) instead of replacing it, and the others still hear it.
     *
     * @param failure the run's failure
     */
    public void callOnException(Throwable failure) {
        for (Callback c : callbacks) {
            try {
                c.onException(trainer, module, failure);
            } catch (RuntimeException | Error e) {
                failure.addSuppressed(e);
            }
        }
    }
}
