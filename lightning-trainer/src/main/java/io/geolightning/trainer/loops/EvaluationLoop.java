package io.geolightning.trainer.loops;

import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.connectors.DeviceConnector;
import java.util.Iterator;
import java.util.Map;

/**
 * A validation or test run, like Lightning's evaluation loop: {@code validationStep}/{@code testStep} on each batch
 * (up to a limit) in a step scope of its own, between the module's epoch hooks and the callbacks' start/end hooks;
 * what the module logs is averaged over the run and published. Within a fit it validates, and before training runs
 * the sanity check (of which callbacks and metrics hear nothing); on its own it serves {@code Trainer.validate} and
 * {@code Trainer.test}.
 */
public final class EvaluationLoop {

    private final LoopContext ctx;

    /** @param ctx the run */
    public EvaluationLoop(LoopContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs outside a fit: initialises the module from the first batch when needed, then runs every batch the
     * configuration's limit allows.
     *
     * @param data the data
     * @param stage {@link Stage#VALIDATE} or {@link Stage#TEST}
     * @return the epoch-level metrics
     */
    public Map<String, Double> runStandalone(Dataset data, Stage stage) {
        DeviceConnector devices = ctx.devices();
        Iterator<Batch> peek = devices.iterate(data).iterator();
        try {
            if (peek.hasNext()) {
                Batch first = peek.next();
                devices.initialize(ctx.module(), first);
                first.close();
            }
        } finally {
            DeviceConnector.closeIterator(peek);
        }
        devices.newParameterStore(ctx.module());
        Map<String, Double> out = run(data, stage, LoopLimits.ALL);
        ctx.logging().flush();
        return out;
    }

    /**
     * Runs one validation or test pass.
     *
     * @param data the data
     * @param stage {@link Stage#VALIDATE} or {@link Stage#TEST}
     * @param limit batches to run, or {@link LoopLimits#ALL} for the configured {@code limitValBatches} /
     *     {@code limitTestBatches} (all during the sanity check)
     * @return the epoch-level metrics
     */
    Map<String, Double> run(Dataset data, Stage stage, int limit) {
        RunProgress progress = ctx.progress();
        LightningModule module = ctx.module();
        Stage previous = progress.stage();
        progress.stage(stage);
        ctx.logging().startEvaluation();
        boolean validation = stage == Stage.VALIDATE;
        if (validation) {
            module.onValidationEpochStart();
        } else {
            module.onTestEpochStart();
        }
        if (!progress.isSanityChecking()) {
            ctx.callHooks(validation ? Callback::onValidationStart : Callback::onTestStart);
        }
        Iterator<Batch> it = ctx.devices().iterate(data).iterator();
        try {
            evaluate(it, stage, limit);
        } finally {
            DeviceConnector.closeIterator(it);
        }
        progress.currentBatchSize(0);
        if (validation) {
            module.onValidationEpochEnd();
        } else {
            module.onTestEpochEnd();
        }
        Map<String, Double> results = ctx.logging().endEvaluation();
        progress.stage(previous);
        if (progress.isSanityChecking()) {
            return results;
        }
        if (validation) {
            progress.validationDone(results.keySet());
        }
        ctx.logging().inClosedHook(validation ? "onValidationEnd" : "onTestEnd",
                () -> ctx.callHooks(validation ? Callback::onValidationEnd : Callback::onTestEnd));
        return results;
    }

    /** Runs the batches of one pass. */
    private void evaluate(Iterator<Batch> it, Stage stage, int limit) {
        RunProgress progress = ctx.progress();
        LightningModule module = ctx.module();
        DeviceConnector devices = ctx.devices();
        boolean validation = stage == Stage.VALIDATE;
        int idx = 0;
        while (idx < limit && it.hasNext()) {
            Batch raw = it.next();
            if (idx == 0 && limit == LoopLimits.ALL && !progress.isSanityChecking()) {
                limit = LoopLimits.evaluation(ctx.config(), raw, stage);
            }
            Batch batch = devices.onDevice(raw);
            int batchIdx = idx;
            try {
                devices.inStep(() -> {
                    progress.batchIdx(batchIdx);
                    progress.currentBatchSize(batch.getSize());
                    if (validation) {
                        module.validationStep(batch, batchIdx);
                    } else {
                        module.testStep(batch, batchIdx);
                    }
                    return null;
                });
                if (!progress.isSanityChecking()) {
                    ctx.callHooks(validation ? (c, t, m) -> c.onValidationBatchEnd(t, m, raw, batchIdx)
                            : (c, t, m) -> c.onTestBatchEnd(t, m, raw, batchIdx));
                }
            } finally {
                DeviceConnector.closeBatch(raw, batch);
            }
            idx++;
        }
    }
}
