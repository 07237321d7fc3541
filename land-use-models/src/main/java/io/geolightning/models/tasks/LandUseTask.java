package io.geolightning.models.tasks;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import io.geolightning.foundation.OneLine;
import io.geolightning.models.metrics.ConfusionMatrix;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.nn.NativeCpuGuard;
import io.geolightning.models.nn.ResNetUNet;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.LogOptions;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.OptimizerConfig;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared logic of the land-use tasks: a network built from {@link TaskSettings#model()}, the masked, class-weighted
 * cross-entropy ({@link WeightedCrossEntropy}), a confusion matrix per validation/test epoch and the optimizer from
 * {@link TaskSettings#optimizer()}. The settings are saved as hyperparameters, so a checkpoint can rebuild the task
 * ({@link #create(TaskSettings)} after {@link TaskSettings#fromMap(Map)}).
 *
 * <p>Batches: data {@code [images N x bands x H x W float32, already normalised]}, labels {@code [N]} (classification)
 * or {@code [N x H x W]} (segmentation), integer class values with {@link TaskSettings#ignoreIndex()} for
 * "unlabelled".
 *
 * <p>Logged per step and per epoch (means over every batch, weighted by batch size, as Lightning's
 * {@code on_step=True, on_epoch=True}): {@code train_loss_step}/{@code train_loss_epoch},
 * {@code train_acc_step}/{@code train_acc_epoch} ({@code train_loss} and {@code train_acc} in the callback metrics);
 * per epoch: {@code val_loss}, {@code val_acc},
 * {@code val_miou}, {@code val_f1} (macro), and per class {@code val_precision_<name>}, {@code val_recall_<name>},
 * {@code val_f1_<name>}, {@code val_iou_<name>} (likewise {@code test_*}); the confusion matrix table goes to the
 * SLF4J log at INFO and is available from {@link #validationMatrix()}.
 */
public abstract class LandUseTask extends LightningModule {

    private static final Logger LOG = LoggerFactory.getLogger(LandUseTask.class);
    private static final LogOptions STEP_AND_EPOCH = LogOptions.builder().onStep(true).onEpoch(true).build();
    private static final LogOptions STEP_AND_EPOCH_BAR = LogOptions.builder().onStep(true).onEpoch(true).progBar(true)
            .build();

    private final TaskSettings settings;
    private final WeightedCrossEntropy loss;
    private final SegmentationLoss objective;
    private final ConfusionMatrix valMatrix;
    private final ConfusionMatrix testMatrix;

    /**
     * @param settings the task; the network is built from its model spec and initialised for its chip size
     */
    protected LandUseTask(TaskSettings settings) {
        super(initializedLater(settings.model()));
        this.settings = settings;
        this.loss = new WeightedCrossEntropy(settings.classWeightArray(), settings.ignoreIndex(),
                settings.model().doubleOption("labelSmoothing", 0));
        this.objective = SegmentationLoss.of(settings.model(), loss);
        int ignore = settings.ignoreIndex() < 0 ? ConfusionMatrix.NO_IGNORE : settings.ignoreIndex();
        this.valMatrix = new ConfusionMatrix(settings.model().classes(), ignore);
        this.testMatrix = new ConfusionMatrix(settings.model().classes(), ignore);
        saveHyperparameters(settings.toMap());
        initialize(ModelFactory.inputShape(settings.model(), 1));
    }

    private static Block initializedLater(ModelSpec spec) {
        Block block = ModelFactory.build(spec);
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        return block;
    }

    /**
     * @param settings task settings
     * @return a {@link ClassificationTask} or {@link SegmentationTask}, by the architecture's kind
     */
    public static LandUseTask create(TaskSettings settings) {
        return settings.model().kind() == LabelTask.SEGMENTATION
                ? new SegmentationTask(settings) : new ClassificationTask(settings);
    }

    /**
     * Rebuilds a task from a checkpoint written by the trainer: its hyperparameters give the network, class names and
     * normalisation; its weights are then loaded. The result is ready for prediction (or further training).
     *
     * @param checkpoint a .ckpt file
     * @return the restored task (close it when done)
     * @throws ModelException or the trainer's exception, one line naming the file, when it is missing, damaged,
     *     not written by a land-use task, or its weights do not fit the network
     */
    public static LandUseTask load(Path checkpoint) {
        CheckpointIO.LoadedCheckpoint ck = CheckpointIO.read(checkpoint);
        TaskSettings settings = TaskSettings.ofCheckpoint(checkpoint, ck.meta());
        LandUseTask task = create(settings);
        try {
            ck.restoreModel(task.getBlock(), task.getManager());
        } catch (TrainerException e) {
            task.close();
            String m = e.getMessage() == null ? "" : e.getMessage();
            int at = m.indexOf("does not fit this model: ");
            if (at < 0) {
                throw e;
            }
            int end = m.indexOf("; load it", at);
            String detail = m.substring(at + "does not fit this model: ".length(), end < 0 ? m.length() : end);
            throw new ModelException(checkpoint + ": checkpoint is inconsistent: its hyperparameters describe a "
                    + settings.model().architecture().id() + " whose parameters differ from its weights (" + detail
                    + "); pass an intact .ckpt written by 'geolightning train'", e);
        } catch (RuntimeException e) {
            task.close();
            throw e;
        }
        LOG.info("{}: restored {} (epoch {}, step {})", checkpoint, task, ck.meta().epoch(), ck.meta().globalStep());
        return task;
    }

    /**
     * A task with this one's network and weights whose loss and metrics skip another label: to score masks whose
     * "ignore" value is not the one the task was trained with (a chip store tiled with another {@code --ignore-value}).
     *
     * @param ignoreIndex the label to skip
     * @return this task when it skips that label already, else a new task holding a copy of the weights (close it)
     */
    public LandUseTask withIgnoreIndex(int ignoreIndex) {
        if (ignoreIndex == settings.ignoreIndex()) {
            return this;
        }
        LandUseTask copy = create(settings.withIgnoreIndex(ignoreIndex));
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            getBlock().saveParameters(new DataOutputStream(bytes));
            copy.getBlock().loadParameters(copy.getManager(),
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            copy.close();
            throw new ModelException("cannot copy the weights of " + this + " (" + OneLine.of(e.getMessage())
                    + "); score the labels with the ignore value " + settings.ignoreIndex() + " instead", e);
        }
        return copy;
    }

    /** @return the settings (model spec, class names, normalisation, loss and optimizer options) */
    public TaskSettings settings() {
        return settings;
    }

    /** @return the cross-entropy (class weights, ignore label) */
    public WeightedCrossEntropy lossFunction() {
        return loss;
    }

    /** @return the training loss (the model option {@code loss}: cross-entropy, Dice + cross-entropy or focal) */
    public SegmentationLoss objective() {
        return objective;
    }

    /** @return a copy of the confusion matrix of the last validation epoch */
    public ConfusionMatrix validationMatrix() {
        ConfusionMatrix copy = new ConfusionMatrix(valMatrix.classes(), valMatrix.ignoreIndex());
        copy.merge(valMatrix);
        return copy;
    }

    /** @return a copy of the confusion matrix of the last test run */
    public ConfusionMatrix testMatrix() {
        ConfusionMatrix copy = new ConfusionMatrix(testMatrix.classes(), testMatrix.ignoreIndex());
        copy.merge(testMatrix);
        return copy;
    }

    /**
     * Checks the label array of a batch against the logits; subclasses enforce their layout.
     *
     * @param logits network output
     * @param labels batch labels
     */
    protected abstract void checkLabels(NDArray logits, NDArray labels);

    /**
     * @param images N x bands x H x W, normalised
     * @return logits N x C (classification) or N x C x H x W (segmentation)
     */
    public NDArray logits(NDArray images) {
        return forward(new NDList(images)).singletonOrThrow();
    }

    /**
     * @param images N x bands x H x W, normalised
     * @return class probabilities (softmax over axis 1)
     */
    public NDArray probabilities(NDArray images) {
        return logits(images).softmax(1);
    }

    @Override
    public NDArray trainingStep(Batch batch, int batchIdx) {
        NDArray labels = batch.getLabels().head();
        NDArray logits = logits(batch.getData().head());
        checkLabels(logits, labels);
        NDArray value = objective.compute(logits, labels);
        log("train_loss", value, STEP_AND_EPOCH_BAR);
        log("train_acc", batchAccuracy(logits, labels), STEP_AND_EPOCH);
        return value;
    }

    @Override
    public void validationStep(Batch batch, int batchIdx) {
        evaluate(batch, "val", valMatrix);
    }

    @Override
    public void testStep(Batch batch, int batchIdx) {
        evaluate(batch, "test", testMatrix);
    }

    private void evaluate(Batch batch, String prefix, ConfusionMatrix matrix) {
        NDArray labels = batch.getLabels().head();
        NDArray logits = logits(batch.getData().head());
        checkLabels(logits, labels);
        int n = (int) logits.getShape().get(0);
        log(prefix + "_loss", objective.compute(logits, labels).getFloat(),
                LogOptions.builder().progBar(true).batchSize(Math.max(1, n)).build());
        matrix.addLogits(labels, logits);
    }

    @Override
    public NDList predictStep(Batch batch, int batchIdx) {
        return new NDList(probabilities(batch.getData().head()));
    }

    @Override
    public void onValidationEpochStart() {
        valMatrix.reset();
    }

    @Override
    public void onValidationEpochEnd() {
        logMatrix("val", valMatrix);
    }

    @Override
    public void onTestEpochStart() {
        testMatrix.reset();
    }

    @Override
    public void onTestEpochEnd() {
        logMatrix("test", testMatrix);
    }

    private void logMatrix(String prefix, ConfusionMatrix m) {
        if (m.total() == 0) {
            return;
        }
        log(prefix + "_acc", m.accuracy(), LogOptions.PROG_BAR);
        log(prefix + "_miou", m.meanIoU(), LogOptions.PROG_BAR);
        log(prefix + "_f1", m.macroF1(), LogOptions.DEFAULT);
        List<String> names = metricNames(settings.classNames());
        for (int c = 0; c < m.classes(); c++) {
            String name = names.get(c);
            logIfDefined(prefix + "_precision_" + name, m.precision(c));
            logIfDefined(prefix + "_recall_" + name, m.recall(c));
            logIfDefined(prefix + "_f1_" + name, m.f1(c));
            logIfDefined(prefix + "_iou_" + name, m.iou(c));
        }
        LOG.info("{} confusion matrix (epoch {}):\n{}", prefix, currentEpoch(), m.toTable(settings.classNames()));
    }

    private void logIfDefined(String name, double value) {
        if (!Double.isNaN(value)) {
            log(name, value, LogOptions.DEFAULT);
        }
    }

    /**
     * @param classNames the task's classes
     * @return every metric the task logs (what a callback may monitor): {@code train_loss} and {@code train_acc} (per
     *     step and epoch), and for {@code val} and {@code test} the loss, accuracy, mean IoU, macro F1 and each class's
     *     precision, recall, F1 and IoU ({@link #metricNames})
     */
    public static List<String> loggedMetrics(List<String> classNames) {
        List<String> out = new ArrayList<>();
        for (String m : List.of("train_loss", "train_acc")) {
            out.addAll(List.of(m, m + "_step", m + "_epoch"));
        }
        for (String p : List.of("val", "test")) {
            out.addAll(List.of(p + "_loss", p + "_acc", p + "_miou", p + "_f1"));
            for (String n : metricNames(classNames)) {
                for (String k : List.of("precision", "recall", "f1", "iou")) {
                    out.add(p + "_" + k + "_" + n);
                }
            }
        }
        return out;
    }

    /**
     * @param classNames the class names, in class order
     * @return each as a metric-name suffix: lower case (Unicode NFC), runs of characters other than letters and digits
     *     as '_' ({@code "Zona Rural"} -> {@code zona_rural}, {@code "Água"} -> {@code água}); a name that would be
     *     empty, or another class's too ({@code "Zona Rural"} and {@code "zona-rural"}), gets its class value
     *     ({@code zona_rural_1}), so no two classes share a metric
     */
    public static List<String> metricNames(List<String> classNames) {
        List<String> base = new ArrayList<>();
        for (String n : classNames) {
            base.add(Normalizer.normalize(n, Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}]+", "_").replaceAll("^_|_$", ""));
        }
        List<String> out = new ArrayList<>();
        for (int c = 0; c < base.size(); c++) {
            String b = base.get(c);
            boolean shared = base.indexOf(b) != base.lastIndexOf(b);
            out.add(b.isEmpty() ? "class_" + c : shared ? b + "_" + c : b);
        }
        return out;
    }

    private double batchAccuracy(NDArray logits, NDArray labels) {
        NDArray y = labels.toType(ai.djl.ndarray.types.DataType.INT64, false).reshape(-1);
        NDArray pred = logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false).reshape(-1);
        NDArray valid = y.neq(settings.ignoreIndex());
        long n = valid.sum().getLong();
        if (n == 0) {
            return Double.NaN;
        }
        return (double) pred.eq(y).logicalAnd(valid).sum().getLong() / n;
    }

    @Override
    public OptimizerConfig configureOptimizers() {
        NativeCpuGuard.checkTraining(getBlock()); // the trainer asks for the optimizers before the first training step
        LightningOptimizer optimizer = settings.optimizer().build();
        double factor = settings.optimizer().backboneLrFactor();
        if (factor != 1.0) {
            List<Parameter> backbone = backboneParameters();
            if (backbone.isEmpty()) {
                throw new ModelException("optimizer.backboneLr: " + settings.model().architecture().id() + " has no"
                        + " pretrained backbone; remove backboneLr or use a ResNet or unet_resnet architecture");
            }
            optimizer.lrFactor(backbone, factor);
            LOG.info("backbone: {} parameter arrays at lr x {}", backbone.size(), factor);
        }
        return OptimizerConfig.of(optimizer);
    }

    /**
     * The encoder of a ResNet U-Net, every layer but the classifier of a ResNet or the CNN.
     *
     * @return the backbone's parameters
     */
    @Override
    public List<Parameter> backboneParameters() {
        if (getBlock() instanceof ResNetUNet unet) {
            return List.copyOf(unet.encoder().getParameters().values());
        }
        return super.backboneParameters();
    }

    @Override
    public String toString() {
        ModelSpec s = settings.model();
        return getClass().getSimpleName() + "(" + s.architecture().id() + ", " + s.bands() + " bands, "
                + s.classes() + " classes " + settings.classNames() + ")";
    }
}
