package io.geolightning.app.config;

/**
 * The {@code trainer} section; names and meanings follow PyTorch Lightning's {@code Trainer} arguments. Batch limits
 * are a whole number of batches ({@code 10}) or a fraction of the loader ({@code 0.25}).
 *
 * @param maxEpochs epochs to train (default 10)
 * @param maxSteps optimisation steps to stop after, -1 for no limit (default)
 * @param accumulateGradBatches batches whose gradients add up before a step (default 1)
 * @param gradientClipNorm clip gradients to this global L2 norm, 0 = off (default)
 * @param limitTrainBatches training batches per epoch (default 1.0 = all)
 * @param limitValBatches validation batches per run (default 1.0)
 * @param limitTestBatches test batches (default 1.0)
 * @param valCheckInterval validate every N training batches or fraction of an epoch (default 1.0 = epoch end)
 * @param checkValEveryNEpoch validate every N epochs (default 1)
 * @param numSanityValSteps validation batches run before training (default 2)
 * @param deterministic reseed every RNG per epoch so runs replay exactly (default true)
 * @param fastDevRun if &gt; 0, run this many batches of each loop once, no checkpoints (default 0)
 * @param overfitBatches if &gt; 0, train and validate on that many training batches (default 0)
 * @param logEveryNSteps send step metrics to the loggers every N steps (default 10)
 * @param ckptPath checkpoint to resume training from, or null
 */
public record TrainerSection(Integer maxEpochs, Long maxSteps, Integer accumulateGradBatches, Double gradientClipNorm,
                             Number limitTrainBatches, Number limitValBatches, Number limitTestBatches,
                             Number valCheckInterval, Integer checkValEveryNEpoch, Integer numSanityValSteps,
                             Boolean deterministic, Integer fastDevRun, Integer overfitBatches, Integer logEveryNSteps,
                             String ckptPath) {

    /** Fills defaults. */
    public TrainerSection {
        maxEpochs = maxEpochs == null ? 10 : maxEpochs;
        maxSteps = maxSteps == null ? -1L : maxSteps;
        accumulateGradBatches = accumulateGradBatches == null ? 1 : accumulateGradBatches;
        gradientClipNorm = gradientClipNorm == null ? 0.0 : gradientClipNorm;
        limitTrainBatches = limitTrainBatches == null ? 1.0 : limitTrainBatches;
        limitValBatches = limitValBatches == null ? 1.0 : limitValBatches;
        limitTestBatches = limitTestBatches == null ? 1.0 : limitTestBatches;
        valCheckInterval = valCheckInterval == null ? 1.0 : valCheckInterval;
        checkValEveryNEpoch = checkValEveryNEpoch == null ? 1 : checkValEveryNEpoch;
        numSanityValSteps = numSanityValSteps == null ? 2 : numSanityValSteps;
        deterministic = deterministic == null ? Boolean.TRUE : deterministic;
        fastDevRun = fastDevRun == null ? 0 : fastDevRun;
        overfitBatches = overfitBatches == null ? 0 : overfitBatches;
        logEveryNSteps = logEveryNSteps == null ? 10 : logEveryNSteps;
    }

    /** @return Lightning's defaults, 10 epochs */
    public static TrainerSection defaults() {
        return new TrainerSection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }
}
