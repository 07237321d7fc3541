package io.geolightning.trainer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.connectors.CallbackConnector;
import io.geolightning.trainer.connectors.CheckpointConnector;
import io.geolightning.trainer.connectors.DataConnector;
import io.geolightning.trainer.connectors.DeviceConnector;
import io.geolightning.trainer.connectors.LoggerConnector;
import io.geolightning.trainer.connectors.OptimizerConnector;
import io.geolightning.trainer.loggers.ExperimentLogger;
import io.geolightning.trainer.loops.EvaluationLoop;
import io.geolightning.trainer.loops.FitLoop;
import io.geolightning.trainer.loops.LoopContext;
import io.geolightning.trainer.loops.PredictionLoop;
import io.geolightning.trainer.optim.LightningOptimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs a {@link LightningModule} on data, like PyTorch Lightning's {@code Trainer}: {@link #fit}, {@link #validate},
 * {@link #test}, {@link #predict}. Build one with {@link #builder()}; every option is described on
 * {@link TrainerConfig}.
 *
 * <p>The trainer is a dispatcher, like Lightning's: it holds the configuration, the callbacks, the run's
 * {@link RunProgress} and its connectors ({@code connectors}: data, callbacks, devices, optimizers, logged metrics,
 * checkpoints), and each entry point hands a {@link LoopContext} to a loop of {@code loops} ({@link FitLoop} with its
 * training-epoch and evaluation loops, {@link EvaluationLoop}, {@link PredictionLoop}), which describe the step in
 * detail. Callbacks and modules see the run through the accessors below.
 *
 * <p>With a seed, every RNG (DJL's engine RNG, which also drives DJL's samplers, and PyTorch's) is seeded at the
 * start of each entry point; with {@code deterministic(true)} it is also reseeded from {@code (seed, epoch)} at each
 * epoch start, so a run resumed from an end-of-epoch checkpoint replays the uninterrupted run exactly (a mid-epoch
 * resume replays the batch order, not the dropout noise). Parameters initialised before {@code fit} were drawn before
 * the trainer seeded anything; call {@link Seeding#seedEverything} before building the module.
 *
 * <p>Several devices: each batch is split across them ({@code Batch.split}), every slice runs forward/backward on its
 * device with parameter replicas kept by DJL's {@link ParameterStore}, gradients are summed on device 0, the
 * optimizers update there and the weights are copied back. Only one device (CPU) could be tested in this project.
 */
public final class Trainer implements AutoCloseable {

    private final TrainerConfig config;
    private final List<Callback> callbacks;
    private final RunProgress progress = new RunProgress();
    private final DeviceConnector devices;
    private final OptimizerConnector optimizers;
    private final LoggerConnector logging;
    private final CheckpointConnector checkpoints;
    private LoopContext run;

    /** @param config every setting of the trainer */
    public Trainer(TrainerConfig config) {
        this.config = config;
        this.callbacks = CallbackConnector.callbacks(config);
        this.devices = new DeviceConnector(config.resolvedDevices());
        this.optimizers = new OptimizerConnector(progress);
        this.logging = new LoggerConnector(progress, CallbackConnector.loggers(config));
        this.checkpoints = new CheckpointConnector(config.seed(), callbacks, progress, optimizers, devices);
    }

    /** @return a builder of a trainer, with Lightning's defaults (the settings of {@link TrainerConfig#builder()}) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration */
    public TrainerConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Trains (and validates) a module on a data module: {@code prepareData()}, {@code setup(FIT)}, optional
     * resume from {@code ckptPath}, sanity validation, then epochs until {@code maxEpochs}, {@code maxSteps} or a
     * callback's stop request.
     *
     * @param module the module
     * @param data the data (a training loader is required)
     */
    public void fit(LightningModule module, LightningDataModule data) {
        Dataset train = DataConnector.loader(data, Stage.FIT);
        Dataset val = config.overfitBatches() > 0 ? train : data.valDataLoader();
        LoopContext fit = begin(module, Stage.FIT);
        try {
            guarded(fit, () -> {
                new FitLoop(fit).run(train, val);
                return null;
            });
        } finally {
            data.teardown(Stage.FIT);
        }
    }

    /**
     * Trains on plain datasets.
     *
     * @param module the module
     * @param train training data
     * @param val validation data, or null
     */
    public void fit(LightningModule module, Dataset train, Dataset val) {
        fit(module, LightningDataModule.of(train, val));
    }

    /**
     * Runs one validation loop with the module's current weights.
     *
     * @param module the module
     * @param data the data (its validation loader is used)
     * @return the epoch-level validation metrics
     * @throws TrainerException when the module does not override {@code validationStep}, as Lightning refuses
     */
    public Map<String, Double> validate(LightningModule module, LightningDataModule data) {
        DataConnector.requireStep(module, Stage.VALIDATE);
        return evaluateOnly(module, DataConnector.loader(data, Stage.VALIDATE), Stage.VALIDATE, data);
    }

    /**
     * Validates on a dataset.
     *
     * @param module the module
     * @param val validation data
     * @return the epoch-level metrics
     */
    public Map<String, Double> validate(LightningModule module, Dataset val) {
        return validate(module, LightningDataModule.of(null, val));
    }

    /**
     * Runs the test loop.
     *
     * @param module the module
     * @param data the data (its test loader is used)
     * @return the epoch-level test metrics
     * @throws TrainerException when the module does not override {@code testStep}, as Lightning refuses
     */
    public Map<String, Double> test(LightningModule module, LightningDataModule data) {
        DataConnector.requireStep(module, Stage.TEST);
        return evaluateOnly(module, DataConnector.loader(data, Stage.TEST), Stage.TEST, data);
    }

    /**
     * Tests on a dataset.
     *
     * @param module the module
     * @param test test data
     * @return the epoch-level metrics
     */
    public Map<String, Double> test(LightningModule module, Dataset test) {
        return test(module, LightningDataModule.ofTest(test));
    }

    /**
     * Predicts every batch and hands each batch with its predictions to a consumer; both are closed right after.
     *
     * @param module the module
     * @param data data to predict on
     * @param consumer receives (batch, predictions)
     */
    public void predict(LightningModule module, Dataset data, BiConsumer<Batch, NDList> consumer) {
        if (data == null) {
            throw new TrainerException("predict(): dataset is null; pass the Dataset to predict on");
        }
        LoopContext predict = begin(module, Stage.PREDICT);
        guarded(predict, () -> {
            new PredictionLoop(predict).run(data, consumer);
            return null;
        });
    }

    /**
     * Predicts every batch and returns the predictions attached to a manager of the caller.
     *
     * @param module the module
     * @param data data to predict on
     * @param into manager that will own the returned arrays
     * @return one NDList per batch
     */
    public List<NDList> predict(LightningModule module, Dataset data, NDManager into) {
        List<NDList> out = new ArrayList<>();
        predict(module, data, (batch, pred) -> {
            NDScope.unregister(pred);
            pred.attach(into);
            out.add(pred);
        });
        return out;
    }

    /**
     * Predicts a data module's predict loader.
     *
     * @param module the module
     * @param data the data module
     * @param into manager that will own the returned arrays
     * @return one NDList per batch
     */
    public List<NDList> predict(LightningModule module, LightningDataModule data, NDManager into) {
        Dataset ds = DataConnector.loader(data, Stage.PREDICT);
        try {
            return predict(module, ds, into);
        } finally {
            data.teardown(Stage.PREDICT);
        }
    }

    /**
     * Saves a checkpoint of the running fit (callbacks call this; usable from module hooks too).
     *
     * @param path the .ckpt path, written atomically
     */
    public void saveCheckpoint(Path path) {
        checkpoints.save(run == null ? null : run.module(), path);
    }

    // ------------------------------------------------------------------ state for callbacks and modules

    /** @return the epoch being run (0-based) */
    public int currentEpoch() {
        return progress.currentEpoch();
    }

    /** @return optimisation steps done */
    public long globalStep() {
        return progress.globalStep();
    }

    /** @return index of the current batch in its loop */
    public int batchIdx() {
        return progress.batchIdx();
    }

    /** @return training batches per epoch after limits, or -1 while unknown */
    public int numTrainingBatches() {
        return progress.numTrainingBatches();
    }

    /** @return the latest value of every metric: step values as logged, epoch means once computed */
    public Map<String, Double> callbackMetrics() {
        return progress.callbackMetricsView();
    }

    /** @return metrics flagged {@code progBar} plus {@code loss} */
    public Map<String, Double> progressBarMetrics() {
        return progress.progressBarMetricsView();
    }

    /** @return the last training loss (NaN before the first step) */
    public double lastLoss() {
        return progress.lastLoss();
    }

    /** @return what is running, or null */
    public Stage stage() {
        return progress.stage();
    }

    /** @return true during the sanity validation before training */
    public boolean isSanityChecking() {
        return progress.isSanityChecking();
    }

    /** @return true once a stop was requested */
    public boolean shouldStop() {
        return progress.shouldStop();
    }

    /**
     * Asks the fit to stop (EarlyStopping does this): the epoch ends after the current batch or validation.
     *
     * @param reason logged at INFO
     */
    public void requestStop(String reason) {
        progress.requestStop(reason);
    }

    /**
     * @param metric a metric's name
     * @return true when it is a validation metric and validation did not run this epoch, or did not log it
     */
    public boolean isStale(String metric) {
        return progress.isStale(metric);
    }

    /** @return how many full validation loops ran in this fit (sanity check excluded) */
    public int validationRuns() {
        return progress.validationRuns();
    }

    /** @return true when the fit has a validation loader */
    public boolean hasValidation() {
        return progress.hasValidation();
    }

    /** @return true when this epoch validates more than once: checkpoints and early stopping act after each */
    public boolean validatesWithinEpoch() {
        return progress.validatesWithinEpoch();
    }

    /** @return the optimizers of the running fit, in configuration order */
    public List<LightningOptimizer> optimizers() {
        return optimizers.optimizers();
    }

    /** @return the callbacks, in call order (including an added ProgressBar) */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** @return the loggers (none during fastDevRun) */
    public List<ExperimentLogger> loggers() {
        return logging.loggers();
    }

    /** @return the first logger's folder, else {@code defaultRootDir} */
    public Path logDir() {
        List<ExperimentLogger> loggers = logging.loggers();
        return loggers.isEmpty() ? config.defaultRootDir() : loggers.get(0).logDir();
    }

    /** @return the manager of the current step (closed after it), or null outside a step */
    public NDManager stepManager() {
        return devices.stepManager();
    }

    /** Closes the loggers. */
    @Override
    public void close() {
        logging.close();
    }

    /** @return the running run, for {@link LightningModule}'s forward, log and manual backward; null outside one */
    LoopContext run() {
        return run;
    }

    // ------------------------------------------------------------------ a run's start and end

    private Map<String, Double> evaluateOnly(LightningModule m, Dataset data, Stage evalStage, LightningDataModule dm) {
        LoopContext evaluation = begin(m, evalStage);
        try {
            return guarded(evaluation, () -> new EvaluationLoop(evaluation).runStandalone(data, evalStage));
        } finally {
            dm.teardown(evalStage);
        }
    }

    /**
     * Runs a fit, validation, test or prediction and ends it; on a failure, as Lightning's interrupt handling, every
     * callback hears {@code onException} and the loggers keep what was logged before it ({@code finalize("failed")}).
     */
    private <T> T guarded(LoopContext ctx, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            ctx.callOnException(e);
            logging.flushAfter(e);
            throw e;
        } finally {
            end();
        }
    }

    private LoopContext begin(LightningModule m, Stage s) {
        if (m == null) {
            throw new TrainerException("the module is null; pass the LightningModule to run");
        }
        if (run != null) {
            throw new TrainerException("this Trainer is already running a module; use one Trainer per concurrent run");
        }
        run = new LoopContext(this, m, config, callbacks, progress, devices, optimizers, logging, checkpoints);
        progress.stage(s);
        m.attach(this);
        devices.open();
        if (config.seed() != null) {
            Seeding.seedEpoch(config.seed(), 0);
        }
        return run;
    }

    private void end() {
        run.module().attach(null);
        run = null;
        progress.stage(null);
        optimizers.close();
        devices.close();
    }

    /**
     * Builder of a {@link Trainer}: the {@link TrainerConfig.Settings settings} of {@link TrainerConfig#builder()},
     * built into a trainer.
     */
    public static final class Builder extends TrainerConfig.Settings<Builder> {

        private Builder() {
        }

        /** @return the trainer */
        public Trainer build() {
            return new Trainer(toConfig());
        }
    }
}
