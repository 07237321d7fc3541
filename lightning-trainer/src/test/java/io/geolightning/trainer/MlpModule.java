package io.geolightning.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.OptimizerConfig;
import java.util.function.Supplier;

/** A small MLP classifier logging train_loss, val_loss and val_acc. */
class MlpModule extends LightningModule {

    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final Supplier<LightningOptimizer> optimizer;

    MlpModule(int hidden, int classes, Supplier<LightningOptimizer> optimizer) {
        super(new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build()));
        this.optimizer = optimizer;
    }

    @Override
    public NDArray trainingStep(Batch batch, int batchIdx) {
        NDList out = forward(batch.getData());
        NDArray l = loss.evaluate(batch.getLabels(), out);
        log("train_loss", l.getFloat(), LogOptions.builder().onStep(true).onEpoch(true).progBar(true).build());
        return l;
    }

    @Override
    public void validationStep(Batch batch, int batchIdx) {
        NDList out = forward(batch.getData());
        log("val_loss", loss.evaluate(batch.getLabels(), out).getFloat(), LogOptions.PROG_BAR);
        NDArray pred = out.singletonOrThrow().argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray labels = batch.getLabels().singletonOrThrow().toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        log("val_acc", pred.eq(labels).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat());
    }

    @Override
    public OptimizerConfig configureOptimizers() {
        return OptimizerConfig.of(optimizer.get());
    }
}
