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
                progress.resumeBatch(), progress.numTrainingBatches() < 0 ? null : progress.numTrainingBatches(),
                progress.trainBatchSize() <= 0 ? null : progress.trainBatchSize(), progress.trainOrder(),
                progress.globalStep(), seed,
                CheckpointIO.describe(module.getBlock()), opts, module.getHyperparameters(), cbStates, extra,
                new LinkedHashMap<>(progress.callbackMetrics()));
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
     * @return where the resumed epoch starts
     */
    public ResumePoint restoreRun(LightningModule module, CheckpointIO.LoadedCheckpoint ckpt) {
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
        return new ResumePoint(ckpt.path(), meta.batchInEpoch(), meta.batchesPerEpoch(), meta.batchSize(),
                meta.dataOrder());
    }

    /**
     * Where a resumed epoch starts: the training batches its checkpoint had done, and the batches the run that saved it
     * had per epoch and in each batch (null when unknown), which a resumed epoch must share to skip exactly the samples
     * that run trained on.
     *
     * @param checkpoint the checkpoint, for messages (null for a fresh start)
     * @param batch training batches of the epoch already done; 0 = the epoch's start
     * @param batchesPerEpoch the saving run's training batches per epoch, or null
     * @param batchSize the saving run's samples per training batch, or null
     * @param order what decided the saving run's batch order besides the epoch, or null
     */
    public record ResumePoint(Path checkpoint, int batch, Integer batchesPerEpoch, Integer batchSize,
                              Map<String, String> order) {
        /** An epoch started afresh. */
        public static final ResumePoint START = new ResumePoint(null, 0, null, null, null);

        /**
         * Fails when a mid-epoch resume would draw the rest of its epoch in another order than the run that saved it
         * (another seed, shuffle mode or shuffle buffer): it would train some of the epoch's samples twice and skip
         * others. Settings either side does not know are not compared.
         *
         * @param epoch the resumed epoch
         * @param now what decides this run's batch order besides the epoch, or null when unknown
         * @throws TrainerException (setting {@code ckptPath}) naming each setting that differs and both values
         */
        public void requireSameOrder(int epoch, Map<String, String> now) {
            List<String> diffs = orderDiffs(order, now);
            if (batch > 0 && !diffs.isEmpty()) {
                throw new TrainerException("ckptPath", "ckptPath " + checkpoint + ": saved after batch " + batch
                        + " of epoch " + epoch + ", whose batch order this run's data would change ("
                        + String.join(", ", diffs) + "): resuming there would train some of the epoch's samples twice"
                        + " and skip others; resume with the data settings that saved it, or from a checkpoint saved"
                        + " at an epoch's end", null);
            }
        }

        /**
         * Fails when a mid-epoch resume would not skip exactly the samples its checkpoint trained on: this run's
         * epoch has another number of batches, or batches of another size (another batch size, or other data).
         *
         * @param epoch the resumed epoch
         * @param batches this run's training batches in the epoch
         * @param firstSize samples in the first batch this run delivers, or 0 when it is the epoch's last (which may
         *                  be smaller)
         * @throws TrainerException (setting {@code ckptPath}) naming both
         */
        public void requireSameBatches(int epoch, int batches, int firstSize) {
            if (batch == 0) {
                return;
            }
            boolean count = batchesPerEpoch != null && batches >= 0 && batchesPerEpoch != batches;
            boolean size = batchSize != null && firstSize > 0 && batchSize != firstSize;
            if (count || size) {
                throw new TrainerException("ckptPath", "ckptPath " + checkpoint + ": saved after batch " + batch
                        + " of the " + (batchesPerEpoch == null ? "" : batchesPerEpoch + " ") + "batches"
                        + (batchSize == null ? "" : " of " + batchSize + " samples") + " of epoch " + epoch
                        + ", but this run's epoch has " + (batches < 0 ? "" : batches + " ") + "batches"
                        + (firstSize > 0 ? " of " + firstSize : "") + ": resuming there would train some of the epoch's"
                        + " samples twice and skip others; resume with the batch size and data that saved it, or from"
                        + " a checkpoint saved at an epoch's end", null);
            }
        }
    }

    /**
     * @param saved what decided a checkpoint's batch order, or null
     * @param now what decides this run's, or null
     * @return the settings both know with other values, in the checkpoint's order
     */
    public static List<String> changedOrderSettings(Map<String, String> saved, Map<String, String> now) {
        if (saved == null || now == null) {
            return List.of();
        }
        return saved.keySet().stream().filter(k -> now.get(k) != null && !now.get(k).equals(saved.get(k))).toList();
    }

    /** @return {@code name saved -> now} for each of {@link #changedOrderSettings} */
    private static List<String> orderDiffs(Map<String, String> saved, Map<String, String> now) {
        return changedOrderSettings(saved, now).stream().map(k -> k + " " + saved.get(k) + " -> " + now.get(k))
                .toList();
    }
}
