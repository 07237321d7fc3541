package io.geolightning.trainer.loops;

import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.connectors.DeviceConnector;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * Prediction over a dataset, like Lightning's prediction loop: initialises the module from the first batch when
 * needed, then runs {@link LightningModule#predictStep} on every batch in a step scope of its own and hands the batch
 * with its predictions to a consumer; both are closed right after.
 */
public final class PredictionLoop {

    private final LoopContext ctx;

    /** @param ctx the run */
    public PredictionLoop(LoopContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Predicts every batch.
     *
     * @param data the data
     * @param consumer receives (batch, predictions) inside the step; copy or detach what it keeps
     */
    public void run(Dataset data, BiConsumer<Batch, NDList> consumer) {
        LightningModule module = ctx.module();
        module.onPredictEpochStart();
        int idx = 0;
        Iterator<Batch> it = ctx.devices().iterate(data).iterator();
        try {
            while (it.hasNext()) {
                Batch raw = it.next();
                idx = predictBatch(raw, idx, consumer);
            }
        } finally {
            DeviceConnector.closeIterator(it);
        }
        module.onPredictEpochEnd();
    }

    /** Predicts one batch (the first initialises the module); @return the next batch index */
    private int predictBatch(Batch raw, int idx, BiConsumer<Batch, NDList> consumer) {
        LightningModule module = ctx.module();
        DeviceConnector devices = ctx.devices();
        if (idx == 0) {
            devices.initialize(module, raw);
            devices.newParameterStore(module);
        }
        Batch batch = devices.onDevice(raw);
        try {
            devices.inStep(() -> {
                ctx.progress().currentBatchSize(batch.getSize());
                consumer.accept(batch, module.predictStep(batch, idx));
                return null;
            });
        } finally {
            DeviceConnector.closeBatch(raw, batch);
        }
        return idx + 1;
    }
}
