package io.geolightning.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.callbacks.ProgressBar;
import io.geolightning.trainer.connectors.CheckpointConnector;
import io.geolightning.trainer.connectors.DeviceConnector;
import io.geolightning.trainer.connectors.LoggerConnector;
import io.geolightning.trainer.connectors.OptimizerConnector;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.loggers.ExperimentLogger;
import io.geolightning.trainer.optim.LightningOptimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LightningModule} on data, like PyTorch Lightning's {@code Trainer}: {@link #fit}, {@link #validate},
 * {@link #test}, {@link #predict}. Build one with {@link #builder()}; every option is described on
 * {@link TrainerConfig}.
 *
 * <p>Per training step the trainer opens an {@link NDScope} and a sub-manager, calls
 * {@link LightningModule#trainingStep}, back-propagates (loss divided by {@code accumulateGradBatches}), and every
 * {@code accumulateGradBatches} batches clips gradients by global norm, steps and zeroes every optimizer; then it
 * closes the scope and the batch so native memory stays flat. A NaN or infinite loss stops training with a message
 * naming the epoch and step. With a seed, every RNG (DJL's engine RNG, which also drives DJL's samplers, and
 * PyTorch's) is seeded at the start of each entry point; with {@code deterministic(true)} it is also reseeded from
 * {@code (seed, epoch)} at each epoch start, so a run resumed from an end-of-epoch checkpoint replays the
 * uninterrupted run exactly (a mid-epoch resume replays the batch order, not the dropout noise). Parameters
 * initialised before {@code fit} were drawn before the trainer seeded anything; call
 * {@link Seeding#seedEverything} before building the module.
 *
 * <p>Several devices: each batch is split across them ({@code Batch.split}), every slice runs forward/backward on its
 * device with parameter replicas kept by DJL's {@link ParameterStore}, gradients are summed on device 0, the
 * optimizers update there and the weights are copied back. Only one device (CPU) could be tested in this project.
 */
public final class Trainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainerConfig config;
    private final List<Callback> callbacks;
    private final RunProgress progress = new RunProgress();
    private final DeviceConnector devices;
    private final OptimizerConnector optimizers;
    private final LoggerConnector logging;
    private final CheckpointConnector checkpoints;
    private LightningModule module;

    private Trainer(TrainerConfig config) {
        this.config = config;
        List<Callback> cbs = new ArrayList<>(config.callbacks());
        if (config.enableProgressBar() && cbs.stream().noneMatch(c -> c instanceof ProgressBar)) {
            cbs.add(new ProgressBar());
        }
        if (config.fastDevRun() > 0) {
            cbs.removeIf(c -> c instanceof ModelCheckpoint || c instanceof EarlyStopping);
        }
        this.callbacks = List.copyOf(cbs);
        this.devices = new DeviceConnector(config.devices());
        this.optimizers = new OptimizerConnector(progress);
        this.logging = new LoggerConnector(progress, config.fastDevRun() > 0 ? List.of() : config.loggers());
        this.checkpoints = new CheckpointConnector(config.seed(), callbacks, progress, optimizers, devices);
    }

    /** @return a builder with Lightning's defaults */
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
        data.prepareData();
        data.setup(Stage.FIT);
        Dataset train = data.trainDataLoader();
        if (train == null) {
            throw new TrainerException("fit(): the data module returned no training data (trainDataLoader() is null);"
                    + " return a Dataset from trainDataLoader()");
        }
        Dataset val = config.overfitBatches() > 0 ? train : data.valDataLoader();
        begin(module, Stage.FIT);
        try {
            runFit(train, val);
        } catch (RuntimeException | Error e) {
            for (Callback c : callbacks) {
                c.onException(this, module, e);
            }
            throw e;
        } finally {
            end();
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
     */
    public Map<String, Double> validate(LightningModule module, LightningDataModule data) {
        data.prepareData();
        data.setup(Stage.VALIDATE);
        Dataset val = data.valDataLoader();
        if (val == null) {
            throw new TrainerException("validate(): the data module returned no validation data (valDataLoader() is null);"
                    + " return a Dataset from valDataLoader()");
        }
        return evaluateOnly(module, val, Stage.VALIDATE, data);
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
     */
    public Map<String, Double> test(LightningModule module, LightningDataModule data) {
        data.prepareData();
        data.setup(Stage.TEST);
        Dataset test = data.testDataLoader();
        if (test == null) {
            throw new TrainerException("test(): the data module returned no test data (testDataLoader() is null);"
                    + " return a Dataset from testDataLoader()");
        }
        return evaluateOnly(module, test, Stage.TEST, data);
    }

    /**
     * Tests on a dataset.
     *
     * @param module the module
     * @param test test data
     * @return the epoch-level metrics
     */
    public Map<String, Double> test(LightningModule module, Dataset test) {
        LightningDataModule dm = new LightningDataModule() {
            @Override
            public Dataset testDataLoader() {
                return test;
            }
        };
        return test(module, dm);
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
        begin(module, Stage.PREDICT);
        try {
            module.onPredictEpochStart();
            int idx = 0;
            for (Batch raw : devices.iterate(data)) {
                if (idx == 0) {
                    devices.initialize(module, raw);
                    devices.newParameterStore(module);
                }
                Batch batch = devices.onDevice(raw);
                int batchIdx = idx;
                try {
                    devices.inStep(() -> {
                        progress.currentBatchSize(batch.getSize());
                        consumer.accept(batch, module.predictStep(batch, batchIdx));
                        return null;
                    });
                } finally {
                    DeviceConnector.closeBatch(raw, batch);
                }
                idx++;
            }
            module.onPredictEpochEnd();
        } finally {
            end();
        }
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
        data.prepareData();
        data.setup(Stage.PREDICT);
        Dataset ds = data.predictDataLoader();
        if (ds == null) {
            throw new TrainerException("predict(): the data module returned no prediction data"
                    + " (predictDataLoader() is null); return a Dataset from predictDataLoader()");
        }
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
        checkpoints.save(module, path);
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
     * Asks the fit loop to stop after the current epoch (EarlyStopping does this).
     *
     * @param reason logged at INFO
     */
    public void requestStop(String reason) {
        if (!progress.shouldStop()) {
            LOG.info("stopping: {}", reason);
        }
        progress.requestStop();
    }

    /** @return how many full validation loops ran in this fit (sanity check excluded) */
    public int validationRuns() {
        return progress.validationRuns();
    }

    /** @return true when the fit has a validation loader */
    public boolean hasValidation() {
        return progress.hasValidation();
    }

    /** @return true when the current epoch's training batches are all done */
    public boolean isEpochDone() {
        return progress.isEpochDone();
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

    // ------------------------------------------------------------------ package-private hooks for LightningModule

    ParameterStore parameterStore() {
        return devices.parameterStore(module);
    }

    boolean isTrainingStep() {
        return optimizers.inTrainingStep();
    }

    void backward(NDArray loss) {
        optimizers.backward(loss);
    }

    void record(String name, double value, LogOptions options) {
        logging.record(name, value, options);
    }

    // ------------------------------------------------------------------ the fit loop

    private void runFit(Dataset train, Dataset val) {
        // every fit is a fresh run of the loop (the module's weights carry over, counters do not)
        progress.startFit(val != null);
        int maxEpochs = config.fastDevRun() > 0 ? 1 : config.maxEpochs();
        devices.initialize(module, train);
        CheckpointIO.LoadedCheckpoint ckpt = checkpoints.restoreWeights(module, config.ckptPath());
        devices.newParameterStore(module);
        optimizers.bind(module);
        int skipBatches = ckpt == null ? 0 : checkpoints.restoreRun(module, ckpt);
        logging.logHyperparams(module.getHyperparameters());
        module.onFitStart();
        for (Callback c : callbacks) {
            c.onFitStart(this, module);
        }
        if (val != null && config.numSanityValSteps() > 0 && config.fastDevRun() == 0 && ckpt == null) {
            progress.sanityChecking(true);
            try {
                runEvaluation(val, Stage.VALIDATE, config.numSanityValSteps());
            } finally {
                progress.sanityChecking(false);
            }
        }
        while (progress.currentEpoch() < maxEpochs && !progress.shouldStop() && !maxStepsReached()) {
            runTrainEpoch(train, val, skipBatches);
            skipBatches = 0;
            progress.nextEpoch();
        }
        module.onFitEnd();
        for (Callback c : callbacks) {
            c.onFitEnd(this, module);
        }
        logging.flush();
    }

    private void runTrainEpoch(Dataset train, Dataset val, int skipBatches) {
        if (config.deterministic()) {
            Seeding.seedEpoch(config.seed(), progress.currentEpoch());
        }
        optimizers.setEpoch(progress.currentEpoch());
        progress.epochDone(false);
        logging.startTrainEpoch();
        progress.stage(Stage.FIT);
        module.onTrainEpochStart();
        for (Callback c : callbacks) {
            c.onTrainEpochStart(this, module);
        }
        boolean valThisEpoch = val != null && (progress.currentEpoch() + 1) % config.checkValEveryNEpoch() == 0;
        int accum = config.accumulateGradBatches();
        int limit = Integer.MAX_VALUE;
        int valEvery = Integer.MAX_VALUE;
        progress.batchesDoneInEpoch(0);
        boolean pendingGrads = false;
        Iterator<Batch> it = devices.iterate(train).iterator();
        int idx = 0;
        while (idx < limit && it.hasNext() && !maxStepsReached()) {
            Batch raw = it.next();
            if (idx == 0) {
                limit = trainLimit(raw);
                progress.numTrainingBatches(limit == Integer.MAX_VALUE ? -1 : limit);
                valEvery = valInterval(limit);
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
            if (valThisEpoch && !last && idx % valEvery == 0) {
                runEvaluation(val, Stage.VALIDATE, valLimit());
                progress.stage(Stage.FIT);
            }
        }
        if (idx == 0) {
            throw new TrainerException("the training loader produced no batch in epoch " + progress.currentEpoch()
                    + "; check the dataset is not empty (and that limitTrainBatches/overfitBatches are > 0)");
        }
        if (pendingGrads && module.automaticOptimization()) {
            optimizers.step(devices, config.gradientClipNorm());
        }
        progress.epochDone(true);
        if (valThisEpoch) {
            runEvaluation(val, Stage.VALIDATE, valLimit());
            progress.stage(Stage.FIT);
        }
        module.onTrainEpochEnd();
        logging.endTrainEpoch();
        for (Callback c : callbacks) {
            c.onTrainEpochEnd(this, module);
        }
        logging.flush();
    }

    private void trainBatch(Batch raw, int idx, boolean stepNow) {
        Batch batch = devices.onDevice(raw);
        try {
            for (Callback c : callbacks) {
                c.onTrainBatchStart(this, module, batch, idx);
            }
            double loss = devices.inStep(() -> {
                double value = forwardBackward(batch, idx);
                if (module.automaticOptimization() && stepNow) {
                    optimizers.step(devices, config.gradientClipNorm());
                } else if (!module.automaticOptimization()) {
                    progress.stepDone();
                }
                return value;
            });
            progress.lastLoss(loss);
            if (stepNow) {
                logging.stepDone(config.logEveryNSteps());
            }
            for (Callback c : callbacks) {
                c.onTrainBatchEnd(this, module, loss, idx);
            }
        } finally {
            DeviceConnector.closeBatch(raw, batch);
        }
    }

    private double forwardBackward(Batch batch, int idx) {
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
                progress.currentBatchSize(piece.getSize());
                NDArray loss = module.trainingStep(piece, idx);
                double weight = pieces.length == 1 ? 1.0 : (double) piece.getSize() / batch.getSize();
                if (loss == null) {
                    if (automatic) {
                        throw new TrainerException("trainingStep returned null at epoch " + progress.currentEpoch() + ", batch " + idx
                                + "; return the scalar loss, or override automaticOptimization() to return false");
                    }
                    continue;
                }
                if (loss.size() != 1) {
                    throw new TrainerException("trainingStep returned a loss of shape " + loss.getShape() + " at epoch "
                            + progress.currentEpoch() + ", batch " + idx + "; reduce it to a scalar (e.g. loss.mean())");
                }
                double value = OptimizerConnector.scalar(loss);
                optimizers.checkFinite(value);
                lossValue += value * weight;
                anyLoss = true;
                if (automatic) {
                    double scale = weight / config.accumulateGradBatches();
                    gc.backward(scale == 1.0 ? loss : loss.mul(scale));
                }
            }
        } finally {
            optimizers.endGradients();
        }
        return anyLoss ? lossValue : Double.NaN;
    }

    private Map<String, Double> runEvaluation(Dataset data, Stage evalStage, int limit) {
        Stage previous = progress.stage();
        progress.stage(evalStage);
        logging.startEvaluation();
        boolean validation = evalStage == Stage.VALIDATE;
        if (validation) {
            module.onValidationEpochStart();
        } else {
            module.onTestEpochStart();
        }
        if (!progress.isSanityChecking()) {
            for (Callback c : callbacks) {
                if (validation) {
                    c.onValidationStart(this, module);
                } else {
                    c.onTestStart(this, module);
                }
            }
        }
        int idx = 0;
        Iterator<Batch> it = devices.iterate(data).iterator();
        while (idx < limit && it.hasNext()) {
            Batch raw = it.next();
            if (idx == 0 && limit == Integer.MAX_VALUE) {
                limit = evalLimit(raw, evalStage);
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
            } finally {
                DeviceConnector.closeBatch(raw, batch);
            }
            idx++;
        }
        progress.currentBatchSize(0);
        if (validation) {
            module.onValidationEpochEnd();
        } else {
            module.onTestEpochEnd();
        }
        Map<String, Double> results = logging.endEvaluation();
        progress.stage(previous);
        if (progress.isSanityChecking()) {
            return results;
        }
        if (validation) {
            progress.validationDone();
        }
        for (Callback c : callbacks) {
            if (validation) {
                c.onValidationEnd(this, module);
            } else {
                c.onTestEnd(this, module);
            }
        }
        return results;
    }

    private Map<String, Double> evaluateOnly(LightningModule m, Dataset data, Stage evalStage, LightningDataModule dm) {
        begin(m, evalStage);
        try {
            Iterator<Batch> peek = devices.iterate(data).iterator();
            if (peek.hasNext()) {
                Batch first = peek.next();
                devices.initialize(module, first);
                first.close();
            }
            devices.newParameterStore(module);
            Map<String, Double> out = runEvaluation(data, evalStage, Integer.MAX_VALUE);
            logging.flush();
            return out;
        } finally {
            end();
            dm.teardown(evalStage);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void begin(LightningModule m, Stage s) {
        if (m == null) {
            throw new TrainerException("the module is null; pass the LightningModule to run");
        }
        if (module != null) {
            throw new TrainerException("this Trainer is already running a module; use one Trainer per concurrent run");
        }
        module = m;
        progress.stage(s);
        m.attach(this);
        devices.open();
        if (config.seed() != null) {
            Seeding.seedEpoch(config.seed(), 0);
        }
    }

    private void end() {
        module.attach(null);
        module = null;
        progress.stage(null);
        optimizers.close();
        devices.close();
    }

    private boolean maxStepsReached() {
        return progress.maxStepsReached(config.maxSteps());
    }

    private int trainLimit(Batch first) {
        long total = estimateBatches(first);
        if (config.fastDevRun() > 0) {
            return config.fastDevRun();
        }
        if (config.overfitBatches() > 0) {
            return config.overfitBatches();
        }
        return config.limitTrainBatches().resolve(total);
    }

    private int valLimit() {
        if (config.fastDevRun() > 0) {
            return config.fastDevRun();
        }
        if (config.overfitBatches() > 0) {
            return config.overfitBatches();
        }
        return Integer.MAX_VALUE;
    }

    private int evalLimit(Batch first, Stage evalStage) {
        BatchLimit l = evalStage == Stage.TEST ? config.limitTestBatches() : config.limitValBatches();
        return progress.isSanityChecking() ? Integer.MAX_VALUE : l.resolve(estimateBatches(first));
    }

    private int valInterval(int limit) {
        BatchLimit v = config.valCheckInterval();
        if (v.count() > 0) {
            return v.count();
        }
        if (v.fraction() >= 1.0 || limit == Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, (int) Math.round(limit * v.fraction()));
    }

    private static long estimateBatches(Batch first) {
        long total = first.getProgressTotal();
        int size = first.getSize();
        if (total <= 0 || size <= 0) {
            return -1;
        }
        return (total + size - 1) / size;
    }

    /** Builder of {@link Trainer}; defaults follow PyTorch Lightning. */
    public static final class Builder {
        private int maxEpochs = 1000;
        private long maxSteps = -1;
        private List<Device> devices;
        private double gradientClipNorm;
        private int accumulateGradBatches = 1;
        private int fastDevRun;
        private int overfitBatches;
        private BatchLimit limitTrainBatches = BatchLimit.ALL;
        private BatchLimit limitValBatches = BatchLimit.ALL;
        private BatchLimit limitTestBatches = BatchLimit.ALL;
        private BatchLimit valCheckInterval = BatchLimit.ALL;
        private int checkValEveryNEpoch = 1;
        private int numSanityValSteps = 2;
        private Integer seed;
        private boolean deterministic;
        private Path ckptPath;
        private Path defaultRootDir = Path.of(".");
        private final List<Callback> callbacks = new ArrayList<>();
        private final List<ExperimentLogger> loggers = new ArrayList<>();
        private boolean enableProgressBar = true;
        private int logEveryNSteps = 50;

        private Builder() {}

        /** @param v max epochs (default 1000) @return this */
        public Builder maxEpochs(int v) {
            maxEpochs = v;
            return this;
        }

        /** @param v max optimisation steps, -1 = none @return this */
        public Builder maxSteps(long v) {
            maxSteps = v;
            return this;
        }

        /** @param v devices (default: the engine's default device) @return this */
        public Builder devices(List<Device> v) {
            devices = v;
            return this;
        }

        /** @param v devices @return this */
        public Builder devices(Device... v) {
            devices = List.of(v);
            return this;
        }

        /** @param v global gradient L2 norm limit, 0 = off @return this */
        public Builder gradientClipNorm(double v) {
            gradientClipNorm = v;
            return this;
        }

        /** @param v batches per optimizer step @return this */
        public Builder accumulateGradBatches(int v) {
            accumulateGradBatches = v;
            return this;
        }

        /** @param v batches for a quick smoke run (0 = off) @return this */
        public Builder fastDevRun(int v) {
            fastDevRun = v;
            return this;
        }

        /** @param v overfit on this many training batches (0 = off) @return this */
        public Builder overfitBatches(int v) {
            overfitBatches = v;
            return this;
        }

        /** @param v training batch limit @return this */
        public Builder limitTrainBatches(BatchLimit v) {
            limitTrainBatches = v;
            return this;
        }

        /** @param v validation batch limit @return this */
        public Builder limitValBatches(BatchLimit v) {
            limitValBatches = v;
            return this;
        }

        /** @param v test batch limit @return this */
        public Builder limitTestBatches(BatchLimit v) {
            limitTestBatches = v;
            return this;
        }

        /** @param v validate every N batches or fraction of an epoch @return this */
        public Builder valCheckInterval(BatchLimit v) {
            valCheckInterval = v;
            return this;
        }

        /** @param v validate every N epochs @return this */
        public Builder checkValEveryNEpoch(int v) {
            checkValEveryNEpoch = v;
            return this;
        }

        /** @param v sanity validation batches before training @return this */
        public Builder numSanityValSteps(int v) {
            numSanityValSteps = v;
            return this;
        }

        /** @param v base seed @return this */
        public Builder seed(int v) {
            seed = v;
            return this;
        }

        /** @param v reseed every epoch from (seed, epoch); requires a seed @return this */
        public Builder deterministic(boolean v) {
            deterministic = v;
            return this;
        }

        /** @param v checkpoint to resume from @return this */
        public Builder ckptPath(Path v) {
            ckptPath = v;
            return this;
        }

        /** @param v default output folder @return this */
        public Builder defaultRootDir(Path v) {
            defaultRootDir = v;
            return this;
        }

        /** @param v callbacks to add @return this */
        public Builder callbacks(Callback... v) {
            callbacks.addAll(List.of(v));
            return this;
        }

        /** @param v loggers to add @return this */
        public Builder loggers(ExperimentLogger... v) {
            loggers.addAll(List.of(v));
            return this;
        }

        /** @param v add a ProgressBar when none is given (default true) @return this */
        public Builder enableProgressBar(boolean v) {
            enableProgressBar = v;
            return this;
        }

        /** @param v logger write interval in steps (default 50) @return this */
        public Builder logEveryNSteps(int v) {
            logEveryNSteps = v;
            return this;
        }

        /** @return the trainer */
        public Trainer build() {
            if (deterministic && seed == null) {
                throw new TrainerException("deterministic(true) needs a seed; call seed(42) too");
            }
            List<Device> devs = devices == null ? List.of(Engine.getInstance().defaultDevice()) : devices;
            return new Trainer(new TrainerConfig(maxEpochs, maxSteps, devs, gradientClipNorm, accumulateGradBatches,
                    fastDevRun, overfitBatches, limitTrainBatches, limitValBatches, limitTestBatches, valCheckInterval,
                    checkValEveryNEpoch, numSanityValSteps, seed, deterministic, ckptPath, defaultRootDir, callbacks,
                    loggers, enableProgressBar, logEveryNSteps));
        }
    }
}
