package io.geolightning.trainer;

import ai.djl.Device;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.loggers.ExperimentLogger;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a {@link Trainer} is configured with; built by {@link Trainer#builder()}. Field meanings follow
 * PyTorch Lightning's {@code Trainer} arguments of the same name.
 *
 * @param maxEpochs stop after this many epochs
 * @param maxSteps stop after this many optimisation steps (-1 = no limit)
 * @param devices devices; several = data parallel, each batch split across them
 * @param gradientClipNorm clip gradients to this global L2 norm (0 = off)
 * @param accumulateGradBatches batches whose gradients add up before one optimizer step
 * @param fastDevRun if &gt; 0: run this many train/val/test batches, one epoch, no loggers/checkpoints/early stop
 * @param overfitBatches if &gt; 0: train and validate on the first N training batches only
 * @param limitTrainBatches training batches per epoch
 * @param limitValBatches validation batches per loop
 * @param limitTestBatches test batches
 * @param valCheckInterval validate every this many training batches / fraction of the epoch (ALL = epoch end)
 * @param checkValEveryNEpoch validate every N epochs
 * @param numSanityValSteps validation batches run before training to catch bugs early (0 = none)
 * @param seed base random seed (null = do not seed)
 * @param deterministic reseed every RNG from (seed, epoch) at each epoch start so runs replay exactly
 * @param ckptPath checkpoint to resume from (null = start fresh)
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
            throw new TrainerException("maxSteps " + maxSteps + " is invalid; pass -1 (no limit) or a positive count");
        }
        if (devices == null || devices.isEmpty()) {
            throw new TrainerException("devices is empty; pass e.g. List.of(Device.cpu())");
        }
        devices = List.copyOf(devices);
        if (devices.stream().distinct().count() != devices.size()) {
            throw new TrainerException("devices " + devices + " lists a device twice; list each device once");
        }
        if (!(gradientClipNorm >= 0) || Double.isInfinite(gradientClipNorm)) {
            throw new TrainerException("gradientClipNorm " + gradientClipNorm + " is invalid; pass a positive norm or 0 (off)");
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
        if (defaultRootDir == null) {
            throw new TrainerException("defaultRootDir is null; pass a folder such as Path.of(\".\")");
        }
        callbacks = List.copyOf(callbacks);
        loggers = List.copyOf(loggers);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new TrainerException(name + " " + value + " must be > 0; pass a positive count");
        }
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new TrainerException(name + " " + value + " must be >= 0; pass 0 to disable or a positive count");
        }
    }
}
