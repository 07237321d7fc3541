package io.geolightning.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.loops.LoopContext;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model plus what to do with it at each step, like PyTorch Lightning's {@code LightningModule}: it holds a DJL
 * {@link Block}, says how to compute the training loss ({@link #trainingStep}), validation/test metrics and
 * predictions, and which optimizers to use ({@link #configureOptimizers()}).
 *
 * <p><b>Arrays and memory.</b> Each step runs inside an {@link ai.djl.ndarray.NDScope} and a sub-manager that the
 * trainer closes afterwards, and the batch is closed too: every NDArray created during a step is freed after it.
 * Keep Java numbers (via {@link #log} or fields) across steps, or call {@code NDScope.unregister(array)} on an array
 * attached to a manager you own.
 *
 * <p><b>Automatic optimisation</b> (default): {@link #trainingStep} returns the loss; the trainer runs backward,
 * gradient accumulation and clipping, and steps every configured optimizer.
 *
 * <p><b>Manual optimisation</b> (several optimizers that alternate, e.g. GANs): override
 * {@link #automaticOptimization()} to return false; in {@link #trainingStep} fetch {@link #optimizers()} and for each
 * phase compute a loss, call {@link #manualBackward(NDArray)}, then {@code opt.step()} and {@code opt.zeroGrad()}.
 * Updates happen in the order the step calls them; each optimizer only touches its own parameters (chosen by
 * {@link io.geolightning.trainer.optim.ParameterFilter}). Return the loss to report (or null). Manual
 * optimisation runs on one device; gradient clipping and accumulation are then the module's business
 * ({@link #clipGradients}).
 *
 * <p><b>Hooks</b> ({@link ModelHooks}, as Lightning's): fit, epoch and checkpoint hooks, each empty by default.
 */
public abstract class LightningModule implements ModelHooks, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LightningModule.class);

    private final Block block;
    private final Map<String, Object> hyperparameters = new LinkedHashMap<>();
    private NDManager manager;
    private ParameterStore standaloneStore;
    private Trainer trainer;

    /**
     * Creates the module around a block.
     *
     * @param block the network (initialised here or lazily by the trainer from the first batch's shapes)
     */
    protected LightningModule(Block block) {
        if (block == null) {
            throw new TrainerException("LightningModule block is null; pass the network to train");
        }
        this.block = block;
    }

    /** @return the network */
    public Block getBlock() {
        return block;
    }

    /**
     * The parameters of the network's backbone, which {@link io.geolightning.trainer.callbacks.BackboneFinetuning}
     * freezes for the first epochs (Lightning's {@code pl_module.backbone}). Default: every parameter but those of
     * the network's last layer (its classifier) when the network is a sequence of layers, else none.
     *
     * @return the backbone's parameters (empty: no backbone)
     */
    public java.util.List<ai.djl.nn.Parameter> backboneParameters() {
        if (!(block instanceof ai.djl.nn.SequentialBlock) || block.getChildren().size() < 2) {
            return java.util.List.of();
        }
        java.util.List<ai.djl.nn.Parameter> out = new java.util.ArrayList<>();
        var children = block.getChildren().values();
        for (int i = 0; i < children.size() - 1; i++) {
            children.get(i).getParameters().values().forEach(out::add);
        }
        return out;
    }

    /**
     * Returns the manager owning the parameters (created on first use, on the default device).
     *
     * @return the module's manager
     */
    public NDManager getManager() {
        if (manager == null) {
            manager = NDManager.newBaseManager();
        }
        return manager;
    }

    /**
     * Initialises the block's parameters for the given input shapes on a device; does nothing if already done.
     *
     * @param device where the parameters live
     * @param dataType parameter type, usually FLOAT32
     * @param inputShapes shapes of the forward inputs including the batch axis
     */
    public void initialize(Device device, DataType dataType, Shape... inputShapes) {
        if (block.isInitialized()) {
            return;
        }
        if (manager == null) {
            manager = NDManager.newBaseManager(device);
        }
        block.initialize(manager, dataType, inputShapes);
    }

    /**
     * Initialises the block on the default device in FLOAT32.
     *
     * @param inputShapes shapes of the forward inputs including the batch axis
     */
    public void initialize(Shape... inputShapes) {
        initialize(getManager().getDevice(), DataType.FLOAT32, inputShapes);
    }

    /**
     * Runs the block. Inside a trainer it uses the trainer's parameter store (several devices) and its training
     * flag (true only in training steps); alone, it runs in inference mode, on a network initialised first
     * ({@link #initialize(Shape...)}, or by a trainer run).
     *
     * @param inputs the inputs
     * @return the outputs
     * @throws TrainerException outside a trainer, when the network is not initialised
     */
    public NDList forward(NDList inputs) {
        return forward(block, inputs);
    }

    /**
     * Runs a part of the network (e.g. a GAN's generator, a child of {@link #getBlock()}) with the same parameter
     * store and training flag as {@link #forward(NDList)}.
     *
     * @param part a block whose parameters belong to this module's block
     * @param inputs the inputs
     * @return the outputs
     */
    public NDList forward(Block part, NDList inputs) {
        if (trainer != null) {
            LoopContext run = trainer.run();
            return part.forward(run.devices().parameterStore(this), inputs, run.optimizers().inTrainingStep());
        }
        if (!block.isInitialized()) {
            throw new TrainerException(getClass().getName() + ".forward(): the network is not initialised; call"
                    + " initialize(inputShapes) first (e.g. initialize(new Shape(1, bands, height, width))), or run the"
                    + " module through a Trainer, whose fit/validate/test/predict initialise it from the first batch");
        }
        if (standaloneStore == null) {
            standaloneStore = new ParameterStore(getManager(), false);
        }
        return part.forward(standaloneStore, inputs, false);
    }

    /**
     * Computes the training loss of one batch.
     *
     * @param batch the batch (closed by the trainer afterwards)
     * @param batchIdx index of the batch in the epoch
     * @return the scalar loss (automatic optimisation); with manual optimisation the loss to report, or null
     */
    public abstract NDArray trainingStep(Batch batch, int batchIdx);

    /**
     * Evaluates one validation batch; log metrics with {@link #log}. Default: nothing.
     *
     * @param batch the batch
     * @param batchIdx its index
     */
    public void validationStep(Batch batch, int batchIdx) {}

    /**
     * Evaluates one test batch; log metrics with {@link #log}. Default: nothing.
     *
     * @param batch the batch
     * @param batchIdx its index
     */
    public void testStep(Batch batch, int batchIdx) {}

    /**
     * Predicts one batch. Default: {@link #forward} on the batch data.
     *
     * @param batch the batch
     * @param batchIdx its index
     * @return the predictions
     */
    public NDList predictStep(Batch batch, int batchIdx) {
        return forward(batch.getData());
    }

    /**
     * Returns the optimizers and the parameters each updates.
     *
     * @return the configuration
     */
    public abstract OptimizerConfig configureOptimizers();

    /** @return true (default) to let the trainer do backward and optimizer steps; false for manual optimisation */
    public boolean automaticOptimization() {
        return true;
    }

    /**
     * The configured optimizers, in {@link OptimizerConfig} order (manual optimisation).
     *
     * @return the optimizers
     */
    public List<LightningOptimizer> optimizers() {
        return attachedTrainer("optimizers()").optimizers();
    }

    /**
     * Back-propagates a loss (manual optimisation); gradients add up until an optimizer's {@code zeroGrad()}.
     *
     * @param loss a scalar loss computed in this step
     */
    public void manualBackward(NDArray loss) {
        attachedTrainer("manualBackward()").run().optimizers().backward(loss);
    }

    /**
     * Clips the gradients of an optimizer's parameters to a global L2 norm (manual optimisation).
     *
     * @param optimizer the optimizer whose parameters to clip
     * @param maxNorm the threshold
     * @return the norm before clipping
     */
    public double clipGradients(LightningOptimizer optimizer, double maxNorm) {
        return io.geolightning.trainer.optim.GradientClipping.clipGlobalNorm(
                optimizer.parameters().values(), maxNorm);
    }

    /**
     * Logs a value with the stage's defaults (training: per step; validation/test, and {@link #onTrainEpochStart} /
     * {@link #onTrainEpochEnd}: the epoch's value, as Lightning's {@code self.log} there).
     *
     * @param name metric name
     * @param value the value
     */
    public void log(String name, double value) {
        log(name, value, LogOptions.DEFAULT);
    }

    /**
     * Logs a value.
     *
     * @param name metric name
     * @param value the value
     * @param options aggregation and display (null: {@link LogOptions#DEFAULT})
     */
    public void log(String name, double value, LogOptions options) {
        if (options == null) {
            options = LogOptions.DEFAULT;
        }
        if (trainer == null) {
            LOG.debug("log('{}') outside a trainer is ignored", name);
            return;
        }
        trainer.run().logging().record(name, value, options);
    }

    /**
     * Logs a scalar array (read once, as a double).
     *
     * @param name metric name
     * @param value a scalar array
     * @param options aggregation and display
     */
    public void log(String name, NDArray value, LogOptions options) {
        if (value == null || value.size() != 1) {
            throw new TrainerException("log('" + name + "') got " + (value == null ? "null" : "an array of shape "
                    + value.getShape()) + "; log one value (e.g. loss.mean()), as Lightning's self.log takes a"
                    + " one-element tensor");
        }
        log(name, value.toType(DataType.FLOAT64, false).getDouble(), options);
    }

    /**
     * Logs a scalar array with the stage's defaults (as {@link #log(String, double)}).
     *
     * @param name metric name
     * @param value a one-element array
     */
    public void log(String name, NDArray value) {
        log(name, value, LogOptions.DEFAULT);
    }

    /**
     * Logs several values with the same options.
     *
     * @param values name to value
     * @param options aggregation and display
     */
    public void logDict(Map<String, Double> values, LogOptions options) {
        values.forEach((k, v) -> log(k, v, options));
    }

    /**
     * Logs several values with the stage's defaults (Lightning's {@code self.log_dict(values)}).
     *
     * @param values name to value
     */
    public void logDict(Map<String, Double> values) {
        logDict(values, LogOptions.DEFAULT);
    }

    /**
     * Records hyperparameters: stored in every checkpoint and sent to the loggers (hparams.yaml).
     *
     * @param values name to JSON-friendly value
     */
    public void saveHyperparameters(Map<String, Object> values) {
        hyperparameters.putAll(values);
    }

    /** @return the saved hyperparameters (a copy) */
    public Map<String, Object> getHyperparameters() {
        return new LinkedHashMap<>(hyperparameters);
    }

    /** @return the trainer running this module, or null */
    public Trainer getTrainer() {
        return trainer;
    }

    /** @return the current epoch (0 outside a trainer) */
    public int currentEpoch() {
        return trainer == null ? 0 : trainer.currentEpoch();
    }

    /** @return the number of optimisation steps done (0 outside a trainer) */
    public long globalStep() {
        return trainer == null ? 0 : trainer.globalStep();
    }

    /**
     * Loads the network's weights (and what {@link #onSaveCheckpoint} stored, through {@link #onLoadCheckpoint}) from
     * a checkpoint a {@link Trainer} wrote for a module of this network, as Lightning's {@code load_from_checkpoint}
     * or the {@code ckpt_path} of its {@code validate}/{@code test}/{@code predict}: the trainer's {@code ckptPath}
     * resumes {@code fit} only, so load the weights to score or predict with first, e.g.
     * {@code module.loadWeights(checkpoint.bestModelPath()); trainer.test(module, data);}. A network not initialised
     * yet is initialised by the load.
     *
     * @param checkpoint a {@code .ckpt} file
     * @throws TrainerException one line naming the file: missing, damaged, or written for another network; or
     *     called while a trainer runs this module
     */
    public void loadWeights(java.nio.file.Path checkpoint) {
        if (trainer != null) {
            throw new TrainerException(checkpoint + ": loadWeights() called while a Trainer runs this module; load"
                    + " the weights before fit/validate/test/predict (or resume a fit with ckptPath)");
        }
        io.geolightning.trainer.checkpoint.CheckpointIO.LoadedCheckpoint ck =
                io.geolightning.trainer.checkpoint.CheckpointIO.read(checkpoint);
        ck.restoreModel(block, getManager());
        standaloneStore = null; // the parameters hold new arrays
        Map<String, Object> extra = ck.meta().module();
        onLoadCheckpoint(extra == null ? Map.of() : extra);
    }

    /** Releases the parameters. */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    void attach(Trainer value) {
        trainer = value;
    }

    private Trainer attachedTrainer(String what) {
        if (trainer == null) {
            throw new TrainerException(what + " called outside a Trainer; call it from trainingStep during fit");
        }
        return trainer;
    }
}
