package io.geolightning.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.loggers.ExperimentLogger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of a {@link Trainer}, as one value bound once: build it with {@link #builder()} (or
 * {@link Trainer#builder()}, which builds the trainer from it) and run it with {@code new Trainer(config)}. Field
 * meanings follow PyTorch Lightning's {@code Trainer} arguments of the same name; the constructor validates every
 * field with a one-line message.
 *
 * @param maxEpochs stop after this many epochs
 * @param maxSteps stop after this many optimisation steps (-1 = no limit)
 * @param devices devices; several = data parallel, each batch split across them; null = the engine's default device,
 *                chosen when the {@link Trainer} is made (so a config can be built and checked without loading an engine)
 * @param gradientClipNorm clip gradients to this global L2 norm (0 = off)
 * @param accumulateGradBatches batches whose gradients add up before one optimizer step
 * @param fastDevRun if &gt; 0: run this many train/val/test batches, one epoch, no loggers/checkpoints/early stop
 * @param overfitBatches if &gt; 0: train and validate on the first N training batches only
 * @param limitTrainBatches training batches per epoch
 * @param limitValBatches validation batches per loop
 * @param limitTestBatches test batches
 * @param valCheckInterval validate every this many training batches / fraction of the epoch (ALL = epoch end); when
 *     it validates more than once an epoch, ModelCheckpoint and EarlyStopping act after every validation
 * @param checkValEveryNEpoch validate every N epochs
 * @param numSanityValSteps validation batches run before training to catch bugs early (0 = none)
 * @param seed base random seed (null = do not seed)
 * @param deterministic reseed every RNG from (seed, epoch) at each epoch start so runs replay exactly
 * @param ckptPath checkpoint {@code fit} resumes from (null = start fresh); validate, test and predict use the
 *     module's weights as they are (load a checkpoint's with {@link LightningModule#loadWeights})
 * @param defaultRootDir where checkpoints go when no logger gives a folder
 * @param callbacks callbacks, in call order
 * @param loggers experiment loggers
 * @param enableProgressBar add a {@link io.geolightning.trainer.callbacks.ProgressBar} if none is given
 * @param logEveryNSteps send step metrics to the loggers every N optimisation steps
 */
public record TrainerConfig(
        int maxEpochs,
        long maxSteps,
        List<Device> devices,
        double gradientClipNorm,
        int accumulateGradBatches,
        int fastDevRun,
        int overfitBatches,
        BatchLimit limitTrainBatches,
        BatchLimit limitValBatches,
        BatchLimit limitTestBatches,
        BatchLimit valCheckInterval,
        int checkValEveryNEpoch,
        int numSanityValSteps,
        Integer seed,
        boolean deterministic,
        Path ckptPath,
        Path defaultRootDir,
        List<Callback> callbacks,
        List<ExperimentLogger> loggers,
        boolean enableProgressBar,
        int logEveryNSteps) {

    /** Validates every field with a one-line message. */
    public TrainerConfig {
        positive("maxEpochs", maxEpochs);
        if (maxSteps == 0 || maxSteps < -1) {
            throw new TrainerException("maxSteps", "maxSteps " + maxSteps + " is invalid; pass -1 (no limit) or a"
                    + " positive count", null);
        }
        if (devices != null && devices.isEmpty()) {
            throw new TrainerException("devices", "devices is empty; pass e.g. List.of(Device.cpu())", null);
        }
        devices = devices == null ? null : List.copyOf(devices);
        if (devices != null && devices.stream().distinct().count() != devices.size()) {
            throw new TrainerException("devices", "devices " + devices + " lists a device twice; list each device"
                    + " once", null);
        }
        if (!(gradientClipNorm >= 0) || Double.isInfinite(gradientClipNorm)) {
            throw new TrainerException("gradientClipNorm", "gradientClipNorm " + gradientClipNorm + " is invalid; pass"
                    + " a positive norm or 0 (off)", null);
        }
        positive("accumulateGradBatches", accumulateGradBatches);
        nonNegative("fastDevRun", fastDevRun);
        nonNegative("overfitBatches", overfitBatches);
        positive("checkValEveryNEpoch", checkValEveryNEpoch);
        nonNegative("numSanityValSteps", numSanityValSteps);
        positive("logEveryNSteps", logEveryNSteps);
        if (limitTrainBatches == null || limitValBatches == null || limitTestBatches == null || valCheckInterval == null) {
            throw new TrainerException("a batch limit is null; pass BatchLimit.ALL, BatchLimit.count(n) or BatchLimit.fraction(f)");
        }
        if (deterministic && seed == null) {
            throw new TrainerException("deterministic(true) needs a seed; call seed(42) too");
        }
        if (defaultRootDir == null) {
            throw new TrainerException("defaultRootDir is null; pass a folder such as Path.of(\".\")");
        }
        callbacks = withoutNull("callbacks", callbacks);
        loggers = withoutNull("loggers", loggers);
    }

    /** @return an immutable copy of a list of callbacks or loggers, refusing null ones in one line */
    private static <T> List<T> withoutNull(String what, List<T> values) {
        if (values == null) {
            throw new TrainerException(what, what + " is null; pass an empty list for none", null);
        }
        int at = values.indexOf(null);
        if (at >= 0) {
            throw new TrainerException(what, what + "[" + at + "] is null (of " + values.size() + "); pass every "
                    + what.substring(0, what.length() - 1) + " built, or leave it out", null);
        }
        return List.copyOf(values);
    }

    /** @return a builder with Lightning's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return Lightning's defaults (no seed, the engine's default device), the one place they are written */
    public static TrainerConfig defaults() {
        return builder().build();
    }

    /** @return the configured devices, or the engine's default device when none are configured */
    public List<Device> resolvedDevices() {
        return devices != null ? devices : List.of(Engine.getInstance().defaultDevice());
    }

    /**
     * @param loaderBatches the training loader's batches an epoch, or -1 when unknown
     * @return the training batches of an epoch: {@code fastDevRun}'s or {@code overfitBatches}' count when set, else
     *     {@code limitTrainBatches} of the loader (Integer.MAX_VALUE: until the loader ends)
     */
    public int trainBatches(long loaderBatches) {
        if (fastDevRun > 0) {
            return fastDevRun;
        }
        return overfitBatches > 0 ? overfitBatches : limitTrainBatches.resolve(loaderBatches);
    }

    /**
     * Lightning's {@code estimated_stepping_batches}: the optimizer steps a fit over this loader takes, the length a
     * learning-rate schedule plans for.
     *
     * @param loaderBatches the training loader's batches an epoch
     * @return the steps: the epoch's batches (at most the loader's) over {@code accumulateGradBatches}, rounded up,
     *     times the epochs (one under {@code fastDevRun}), capped by {@code maxSteps}
     */
    public long steppingBatches(long loaderBatches) {
        long trained = fastDevRun > 0 || overfitBatches > 0 ? Math.min(trainBatches(loaderBatches), loaderBatches)
                : trainBatches(loaderBatches);
        long perEpoch = Math.max(1, (trained + accumulateGradBatches - 1) / accumulateGradBatches);
        long epochs = fastDevRun > 0 ? 1 : maxEpochs;
        return maxSteps > 0 ? Math.min(perEpoch * epochs, maxSteps) : perEpoch * epochs;
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        Builder b = builder().maxEpochs(maxEpochs).maxSteps(maxSteps).devices(devices)
                .gradientClipNorm(gradientClipNorm).accumulateGradBatches(accumulateGradBatches)
                .fastDevRun(fastDevRun).overfitBatches(overfitBatches).limitTrainBatches(limitTrainBatches)
                .limitValBatches(limitValBatches).limitTestBatches(limitTestBatches).valCheckInterval(valCheckInterval).checkValEveryNEpoch(checkValEveryNEpoch)
                .numSanityValSteps(numSanityValSteps).deterministic(deterministic).ckptPath(ckptPath)
                .defaultRootDir(defaultRootDir).callbacks(callbacks.toArray(new Callback[0]))
                .loggers(loggers.toArray(new ExperimentLogger[0])).enableProgressBar(enableProgressBar)
                .logEveryNSteps(logEveryNSteps);
        if (seed != null) {
            b.seed(seed);
        }
        return b;
    }

    /** Builder of a {@link TrainerConfig}; defaults follow PyTorch Lightning. */
    public static final class Builder extends Settings<Builder> {

        private Builder() {
        }

        /** @return the validated settings */
        public TrainerConfig build() {
            return toConfig();
        }
    }

    /**
     * Every trainer setting with its default, set one by one; {@link Builder} builds the {@link TrainerConfig} of them
     * and {@link Trainer.Builder} a {@link Trainer}.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Settings<B extends Settings<B>> {
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

        Settings() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** @param v max epochs (default 1000) @return this */
        public B maxEpochs(int v) {
            maxEpochs = v;
            return self();
        }

        /** @param v max optimisation steps, -1 = none @return this */
        public B maxSteps(long v) {
            maxSteps = v;
            return self();
        }

        /** @param v devices (default: the engine's default device) @return this */
        public B devices(List<Device> v) {
            devices = v;
            return self();
        }

        /** @param v devices @return this */
        public B devices(Device... v) {
            devices = List.of(v);
            return self();
        }

        /** @param v global gradient L2 norm limit, 0 = off @return this */
        public B gradientClipNorm(double v) {
            gradientClipNorm = v;
            return self();
        }

        /** @param v batches per optimizer step @return this */
        public B accumulateGradBatches(int v) {
            accumulateGradBatches = v;
            return self();
        }

        /** @param v batches for a quick smoke run (0 = off) @return this */
        public B fastDevRun(int v) {
            fastDevRun = v;
            return self();
        }

        /** @param v overfit on this many training batches (0 = off) @return this */
        public B overfitBatches(int v) {
            overfitBatches = v;
            return self();
        }

        /** @param v training batch limit @return this */
        public B limitTrainBatches(BatchLimit v) {
            limitTrainBatches = v;
            return self();
        }

        /** @param v validation batch limit @return this */
        public B limitValBatches(BatchLimit v) {
            limitValBatches = v;
            return self();
        }

        /** @param v test batch limit @return this */
        public B limitTestBatches(BatchLimit v) {
            limitTestBatches = v;
            return self();
        }

        /** @param v validate every N batches or fraction of an epoch @return this */
        public B valCheckInterval(BatchLimit v) {
            valCheckInterval = v;
            return self();
        }

        /** @param v validate every N epochs @return this */
        public B checkValEveryNEpoch(int v) {
            checkValEveryNEpoch = v;
            return self();
        }

        /** @param v sanity validation batches before training @return this */
        public B numSanityValSteps(int v) {
            numSanityValSteps = v;
            return self();
        }

        /** @param v base seed @return this */
        public B seed(int v) {
            seed = v;
            return self();
        }

        /** @param v reseed every epoch from (seed, epoch); requires a seed @return this */
        public B deterministic(boolean v) {
            deterministic = v;
            return self();
        }

        /** @param v checkpoint to resume from @return this */
        public B ckptPath(Path v) {
            ckptPath = v;
            return self();
        }

        /** @param v default output folder @return this */
        public B defaultRootDir(Path v) {
            defaultRootDir = v;
            return self();
        }

        /** @param v callbacks to add @return this */
        public B callbacks(Callback... v) {
            callbacks.addAll(java.util.Arrays.asList(v));
            return self();
        }

        /** @param v loggers to add @return this */
        public B loggers(ExperimentLogger... v) {
            loggers.addAll(java.util.Arrays.asList(v));
            return self();
        }

        /** @param v add a ProgressBar when none is given (default true) @return this */
        public B enableProgressBar(boolean v) {
            enableProgressBar = v;
            return self();
        }

        /** @param v logger write interval in steps (default 50) @return this */
        public B logEveryNSteps(int v) {
            logEveryNSteps = v;
            return self();
        }

        /** @return the settings as a validated value */
        protected TrainerConfig toConfig() {
            return new TrainerConfig(maxEpochs, maxSteps, devices, gradientClipNorm, accumulateGradBatches, fastDevRun,
                    overfitBatches, limitTrainBatches, limitValBatches, limitTestBatches, valCheckInterval,
                    checkValEveryNEpoch, numSanityValSteps, seed, deterministic, ckptPath, defaultRootDir, callbacks,
                    loggers, enableProgressBar, logEveryNSteps);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new TrainerException(name, name + " " + value + " must be > 0; pass a positive count", null);
        }
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new TrainerException(name, name + " " + value + " must be >= 0; pass 0 to disable or a positive"
                    + " count", null);
        }
    }
}
