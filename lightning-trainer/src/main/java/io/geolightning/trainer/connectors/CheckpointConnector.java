package io.geolightning.trainer.connectors;

import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import io.geolightning.trainer.optim.LightningOptimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a running fit to a {@code .ckpt} and restores one, like Lightning's checkpoint connector: the weights, every
 * optimizer's state, the progress (the epoch and the training batches of it to skip on resume, the global step),
 * the callback metrics, every callback's {@link Callback#stateDict() state} and the module's own extra state. The
 * file format is {@link CheckpointIO}'s.
 */
public final class CheckpointConnector {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointConnector.class);

    private final Integer seed;
    private final List<Callback> callbacks;
    private final RunProgress progress;
    private final OptimizerConnector optimizers;
    private final DeviceConnector devices;

    /**
     * @param seed the run's base seed, recorded in the checkpoint (null = not seeded)
     * @param callbacks the callbacks whose states are saved and restored
     * @param progress the run's progress
     * @param optimizers the run's optimizers
     * @param devices the run's devices (optimizer state is restored onto the root manager)
     */
    public CheckpointConnector(Integer seed, List<Callback> callbacks, RunProgress progress,
                               OptimizerConnector optimizers, DeviceConnector devices) {
        this.seed = seed;
        this.callbacks = callbacks;
        this.progress = progress;
        this.optimizers = optimizers;
        this.devices = devices;
    }

    /**
     * Saves the running fit.
     *
     * @param module the running module, or null outside a run
     * @param path the .ckpt path, written atomically
     */
    public void save(LightningModule module, Path path) {
        if (module == null || !module.getBlock().isInitialized()) {
            throw new TrainerException(path + ": cannot save a checkpoint outside a running fit;"
                    + " call it from a callback or hook");
        }
        Map<String, Map<String, Object>> cbStates = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            Map<String, Object> s = c.stateDict();
            if (!s.isEmpty()) {
                cbStates.put(c.stateKey(), s);
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        module.onSaveCheckpoint(extra);
        List<CheckpointMeta.OptimizerInfo> opts = new ArrayList<>();
        for (LightningOptimizer o : optimizers.optimizers()) {
            opts.add(new CheckpointMeta.OptimizerInfo(o.getClass().getSimpleName(), o.stepCount(), o.parameterNames()));
        }
        CheckpointMeta meta = new CheckpointMeta(CheckpointMeta.FORMAT, CheckpointMeta.VERSION, progress.resumeEpoch(),
                progress.resumeBatch(), progress.globalStep(), seed, CheckpointIO.describe(module.getBlock()), opts,
                module.getHyperparameters(), cbStates, extra, new LinkedHashMap<>(progress.callbackMetrics()));
        CheckpointIO.write(path, meta, module.getBlock(), optimizers.optimizers());
        LOG.debug("saved checkpoint {}", path);
    }

    /**
     * Reads a checkpoint and loads its weights into the module (before the optimizers are bound to them).
     *
     * @param module the module, initialised
     * @param path the checkpoint, or null to start fresh
     * @return the checkpoint, for {@link #restoreRun}, or null when {@code path} is null
     */
    public CheckpointIO.LoadedCheckpoint restoreWeights(LightningModule module, Path path) {
        if (path == null) {
            return null;
        }
        CheckpointIO.LoadedCheckpoint ckpt = CheckpointIO.read(path);
        ckpt.restoreModel(module.getBlock(), module.getManager());
        return ckpt;
    }

    /**
     * Restores the rest of a run once its optimizers are bound: their state, the progress and metrics, the callbacks'
     * states and the module's extra state.
     *
     * @param module the module
     * @param ckpt what {@link #restoreWeights} read
     * @return the training batches of the resumed epoch to skip
     */
    public int restoreRun(LightningModule module, CheckpointIO.LoadedCheckpoint ckpt) {
        CheckpointMeta meta = ckpt.meta();
        List<LightningOptimizer> opts = optimizers.optimizers();
        for (int i = 0; i < opts.size(); i++) {
            ckpt.restoreOptimizer(i, opts.get(i), devices.rootManager());
        }
        progress.currentEpoch(meta.epoch());
        progress.globalStep(meta.globalStep());
        if (meta.metrics() != null) {
            progress.callbackMetrics().putAll(meta.metrics());
        }
        Map<String, Map<String, Object>> states = meta.callbacks() == null ? Map.of() : meta.callbacks();
        for (Callback c : callbacks) {
            Map<String, Object> s = states.get(c.stateKey());
            if (s != null) {
                c.loadStateDict(s, ckpt.path());
            }
        }
        module.onLoadCheckpoint(meta.module() == null ? Map.of() : meta.module());
        LOG.info("resumed from {} at epoch {}, global step {}", ckpt.path(), progress.currentEpoch(),
                progress.globalStep());
        return meta.batchInEpoch();
    }
}
