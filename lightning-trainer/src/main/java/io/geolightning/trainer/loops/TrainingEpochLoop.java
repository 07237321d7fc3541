package io.geolightning.trainer.loops;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.EpochDataset;
import io.geolightning.trainer.GraphScalars;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.Seeding;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.TrainerConfig;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.connectors.CheckpointConnector;
import io.geolightning.trainer.connectors.DeviceConnector;
import io.geolightning.trainer.connectors.OptimizerConnector;
import java.util.Iterator;
import java.util.Map;

/**
 * One training epoch, like Lightning's training-epoch loop. Per batch it opens an {@code NDScope} and a sub-manager,
 * calls {@link LightningModule#trainingStep} (on each device's slice of the batch), back-propagates the loss divided
 * by {@code accumulateGradBatches}, and every {@code accumulateGradBatches} batches (and at the epoch's last batch)
 * clips gradients by global norm, steps and zeroes every optimizer; then it closes the scope and the batch so native
 * memory stays flat. A NaN or infinite loss stops training with a message naming the epoch and step. Validation runs
 * every {@code valCheckInterval} batches and at the epoch's end; a resumed epoch skips the batches its checkpoint had
 * done. A stop request ends the epoch after the batch or validation that made it, as Lightning's {@code should_stop}:
 * a request from a training batch first validates (when the epoch validates), and a cut epoch neither steps a partly
 * accumulated gradient nor validates at its end; its end hooks still run.
 */
final class TrainingEpochLoop {

    private final LoopContext ctx;
    private final EvaluationLoop validation;

    TrainingEpochLoop(LoopContext ctx, EvaluationLoop validation) {
        this.ctx = ctx;
        this.validation = validation;
    }

    /**
     * Runs the current epoch.
     *
     * @param train training data
     * @param val validation data, or null
     * @param resume where the epoch starts: the batches already done by the run a checkpoint resumes
     */
    void run(Dataset train, Dataset val, CheckpointConnector.ResumePoint resume) {
        int skipBatches = resume.batch();
        TrainerConfig config = ctx.config();
        RunProgress progress = ctx.progress();
        LightningModule module = ctx.module();
        if (config.deterministic()) {
            Seeding.seedEpoch(config.seed(), progress.currentEpoch());
        }
        ctx.optimizers().setEpoch(progress.currentEpoch());
        progress.epochDone(false);
        ctx.logging().startTrainEpoch();
        progress.stage(Stage.FIT);
        ctx.logging().inEpochHook("onTrainEpochStart", () -> {
            module.onTrainEpochStart();
            ctx.callHooks(Callback::onTrainEpochStart);
        });
        boolean valThisEpoch = val != null && (progress.currentEpoch() + 1) % config.checkValEveryNEpoch() == 0;
        int accum = config.accumulateGradBatches();
        int limit = LoopLimits.ALL;
        int valEvery = LoopLimits.ALL;
        boolean pendingGrads = false;
        // an EpochDataset starts at the resumed batch itself; another dataset's skipped batches are produced and dropped
        boolean seeks = train instanceof EpochDataset;
        Map<String, String> order = seeks ? ((EpochDataset) train).order() : null;
        resume.requireSameOrder(progress.currentEpoch(), order);
        progress.trainOrder(order);
        Iterator<Batch> it = ctx.devices().iterate(train, progress.currentEpoch(), seeks ? skipBatches : 0).iterator();
        int idx = seeks ? skipBatches : 0;
        boolean first = true;
        boolean cut = false;
        progress.batchesDoneInEpoch(idx);
        progress.validatesWithinEpoch(false);
        try {
            while (idx < limit && it.hasNext() && !progress.maxStepsReached(config.maxSteps())) {
                Batch raw = it.next();
                if (first) {
                    first = false;
                    limit = LoopLimits.train(config, raw);
                    progress.numTrainingBatches(limit == LoopLimits.ALL ? -1 : limit);
                    valEvery = LoopLimits.validationInterval(config, limit);
                    progress.validatesWithinEpoch(valThisEpoch && valEvery < limit);
                    // the first batch delivered (the resumed one) has the batch size, unless it is the epoch's last
                    boolean full = idx + 1 < limit && it.hasNext();
                    int size = (int) raw.getSize();
                    try {
                        resume.requireSameBatches(progress.currentEpoch(), limit == LoopLimits.ALL ? -1 : limit,
                                full ? size : 0);
                    } catch (TrainerException e) {
                        raw.close();
                        throw e;
                    }
                    progress.trainBatchSize(full || resume.batchSize() == null ? size : resume.batchSize());
                }
                if (idx < skipBatches) {
                    raw.close();
                    idx++;
                    progress.batchesDoneInEpoch(idx);
                    continue;
                }
                progress.batchIdx(idx);
                boolean last = idx + 1 >= limit || !it.hasNext();
                boolean stepNow = (idx + 1) % accum == 0 || last;
                trainBatch(raw, idx, stepNow);
                pendingGrads = !stepNow;
                idx++;
                progress.batchesDoneInEpoch(idx);
                if (last) {
                    break; // the epoch-end validation follows
                }
                if (valThisEpoch && (idx % valEvery == 0 || progress.shouldStop())) {
                    validate(val);
                }
                if (progress.shouldStop()) {
                    cut = true;
                    break;
                }
            }
        } finally {
            DeviceConnector.closeIterator(it); // a loader stopped early (limits, maxSteps) stops reading ahead
        }
        if (first) {
            throw new TrainerException("the training loader produced no batch in epoch " + progress.currentEpoch()
                    + "; check the dataset is not empty (and that limitTrainBatches/overfitBatches are > 0)");
        }
        if (!cut) {
            if (pendingGrads && module.automaticOptimization()) {
                ctx.optimizers().step(ctx.devices(), config.gradientClipNorm());
            }
            progress.epochDone(true);
            if (valThisEpoch) {
                validate(val);
            }
        }
        // as Lightning: the epoch's means are current in every end hook, and what the hooks log is the epoch's
        ctx.logging().publishTrainEpoch();
        ctx.logging().inEpochHook("onTrainEpochEnd", () -> {
            ctx.callHooks(Callback::onTrainEpochEnd, false);
            module.onTrainEpochEnd();
            ctx.callHooks(Callback::onTrainEpochEnd, true);
        });
        ctx.logging().endTrainEpoch();
        ctx.logging().flush();
    }

    private void validate(Dataset val) {
        validation.run(val, Stage.VALIDATE, LoopLimits.validationInFit(ctx.config()));
        ctx.progress().stage(Stage.FIT);
    }

    private void trainBatch(Batch raw, int idx, boolean stepNow) {
        DeviceConnector devices = ctx.devices();
        LightningModule module = ctx.module();
        Batch batch = devices.onDevice(raw);
        try {
            ctx.callHooks((c, t, m) -> c.onTrainBatchStart(t, m, batch, idx));
            double loss = devices.inStep(() -> {
                double value = forwardBackward(batch, idx);
                if (module.automaticOptimization() && stepNow) {
                    ctx.optimizers().step(devices, ctx.config().gradientClipNorm());
                } else if (!module.automaticOptimization()) {
                    ctx.progress().stepDone();
                }
                return value;
            });
            ctx.progress().lastLoss(loss);
            if (stepNow) {
                ctx.logging().stepDone(ctx.config().logEveryNSteps());
            }
            // the batch is done before its end hooks run: a checkpoint saved there resumes after it
            ctx.progress().batchesDoneInEpoch(idx + 1);
            ctx.callHooks((c, t, m) -> c.onTrainBatchEnd(t, m, loss, idx));
        } finally {
            DeviceConnector.closeBatch(raw, batch);
        }
    }

    /** @return the batch's loss (slices weighted by size), or NaN when the module returned none */
    private double forwardBackward(Batch batch, int idx) {
        LightningModule module = ctx.module();
        DeviceConnector devices = ctx.devices();
        OptimizerConnector optimizers = ctx.optimizers();
        boolean automatic = module.automaticOptimization();
        if (!automatic && devices.deviceCount() > 1) {
            throw new TrainerException("manual optimisation runs on one device but " + devices.deviceCount()
                    + " devices are configured; pass one device or use automatic optimisation");
        }
        Batch[] pieces = devices.split(batch);
        double lossValue = 0;
        boolean anyLoss = false;
        GradientCollector gc = optimizers.startGradients();
        try {
            for (Batch piece : pieces) {
                ctx.progress().currentBatchSize(piece.getSize());
                NDArray loss = module.trainingStep(piece, idx);
                double weight = pieces.length == 1 ? 1.0 : (double) piece.getSize() / batch.getSize();
                if (loss == null) {
                    if (automatic) {
                        throw new TrainerException("trainingStep returned null at epoch "
                                + ctx.progress().currentEpoch() + ", batch " + idx + "; return the scalar loss, or override automaticOptimization()"
                                + " to return false");
                    }
                    continue;
                }
                if (loss.size() != 1) {
                    throw new TrainerException("trainingStep returned a loss of shape " + loss.getShape() + " at epoch "
                            + ctx.progress().currentEpoch() + ", batch " + idx
                            + "; reduce it to a scalar (e.g. loss.mean())");
                }
                double value = OptimizerConnector.scalar(loss);
                optimizers.checkFinite(value);
                lossValue += value * weight;
                anyLoss = true;
                if (automatic) {
                    double scale = weight / ctx.config().accumulateGradBatches();
                    NDArray scaled = scale == 1.0 ? loss : GraphScalars.mul(loss, scale);
                    optimizers.backward(gc, scaled, "trainingStep's loss");
                }
            }
        } finally {
            optimizers.endGradients();
        }
        return anyLoss ? lossValue : Double.NaN;
    }
}
