package io.geolightning.trainer.loops;

import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.TrainerConfig;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.connectors.CheckpointConnector;

/**
 * A whole fit, like Lightning's fit loop: initialises the module from the first training batch, restores the
 * weights of {@code ckptPath} (if any), binds the optimizers, restores the rest of the checkpointed run, runs the
 * sanity validation, then training epochs until {@code maxEpochs}, {@code maxSteps} or a stop request (which ends
 * the running epoch early). Every fit starts its counters afresh; the module's weights carry over.
 */
public final class FitLoop {

    private final LoopContext ctx;
    private final TrainingEpochLoop epochLoop;
    private final EvaluationLoop validation;

    /** @param ctx the run */
    public FitLoop(LoopContext ctx) {
        this.ctx = ctx;
        this.validation = new EvaluationLoop(ctx);
        this.epochLoop = new TrainingEpochLoop(ctx, validation);
    }

    /**
     * Runs the fit.
     *
     * @param train training data
     * @param val validation data, or null
     */
    public void run(Dataset train, Dataset val) {
        ctx.progress().startFit(val != null);
        try {
            fit(train, val);
        } finally {
            ctx.progress().endFit();
        }
    }

    private void fit(Dataset train, Dataset val) {
        TrainerConfig config = ctx.config();
        RunProgress progress = ctx.progress();
        LightningModule module = ctx.module();
        int maxEpochs = LoopLimits.maxEpochs(config);
        ctx.devices().initialize(module, train);
        CheckpointIO.LoadedCheckpoint ckpt = ctx.checkpoints().restoreWeights(module, config.ckptPath());
        ctx.devices().newParameterStore(module);
        ctx.optimizers().bind(module);
        CheckpointConnector.ResumePoint resume = ckpt == null ? CheckpointConnector.ResumePoint.START
                : ctx.checkpoints().restoreRun(module, ckpt);
        ctx.logging().logHyperparams(module.getHyperparameters());
        ctx.logging().inClosedHook("onFitStart", () -> {
            module.onFitStart();
            ctx.callHooks(Callback::onFitStart);
        });
        if (val != null && config.numSanityValSteps() > 0 && config.fastDevRun() == 0 && ckpt == null) {
            progress.sanityChecking(true);
            try {
                validation.run(val, Stage.VALIDATE, config.numSanityValSteps());
            } finally {
                progress.sanityChecking(false);
            }
        }
        while (progress.currentEpoch() < maxEpochs && !progress.shouldStop()
                && !progress.maxStepsReached(config.maxSteps())) {
            epochLoop.run(train, val, resume);
            resume = CheckpointConnector.ResumePoint.START;
            progress.nextEpoch();
        }
        ctx.logging().inClosedHook("onFitEnd", () -> {
            module.onFitEnd();
            ctx.callHooks(Callback::onFitEnd);
        });
        ctx.logging().flush();
    }
}
