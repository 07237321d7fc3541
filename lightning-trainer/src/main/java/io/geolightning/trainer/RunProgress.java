package io.geolightning.trainer;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run stands, like Lightning's loop progress trackers: the epoch, the optimisation step, the batch, the stop
 * request and the metrics seen so far. It is the one object of a {@link Trainer} that changes while a run goes on;
 * callbacks and modules read it through the trainer's accessors ({@link Trainer#currentEpoch()},
 * {@link Trainer#callbackMetrics()}, ...), the loops and connectors advance it, and a checkpoint saves and restores it.
 */
public final class RunProgress {

    private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);

    private Stage stage;
    private int currentEpoch;
    private long globalStep;
    private int batchIdx;
    private int batchesDoneInEpoch;
    private int numTrainingBatches = -1;
    private int currentBatchSize;
    private int trainBatchSize;
    private Map<String, String> trainOrder;
    private boolean sanityChecking;
    private boolean fitting;
    private boolean shouldStop;
    private boolean epochDone;
    private boolean validatesWithinEpoch;
    private int validationRuns;
    private int lastValidationEpoch = -1;
    private final Set<String> validationMetrics = new HashSet<>();
    private boolean hasValidation;
    private double lastLoss = Double.NaN;
    private final Map<String, Double> callbackMetrics = new LinkedHashMap<>();
    private final Map<String, Double> progressBarMetrics = new LinkedHashMap<>();
    private final Map<String, Double> callbackMetricsView = Collections.unmodifiableMap(callbackMetrics);
    private final Map<String, Double> progressBarMetricsView = Collections.unmodifiableMap(progressBarMetrics);

    /**
     * Starts a fit afresh: every fit is a new run of the loop (the module's weights carry over, the counters do not).
     *
     * @param withValidation whether the fit has a validation loader
     */
    public void startFit(boolean withValidation) {
        currentEpoch = 0;
        globalStep = 0;
        shouldStop = false;
        validatesWithinEpoch = false;
        validationRuns = 0;
        lastValidationEpoch = -1;
        validationMetrics.clear();
        numTrainingBatches = -1;
        lastLoss = Double.NaN;
        callbackMetrics.clear();
        progressBarMetrics.clear();
        hasValidation = withValidation;
        fitting = true;
    }

    /** Ends a fit (finished or failed). */
    public void endFit() {
        fitting = false;
    }

    /**
     * @return the step the loggers record a value at, Lightning's {@code _batches_that_stepped}: in a fit, the
     *     optimisation steps done before the running batch's own, so that a batch's loss, the learning rate it used
     *     and a validation right after it share one step, the first batch's being 0; outside a fit, the steps done
     */
    public long loggedStep() {
        return fitting && globalStep > 0 ? globalStep - 1 : globalStep;
    }

    /** @return what is running, or null */
    public Stage stage() {
        return stage;
    }

    /** @param value what runs now, or null */
    public void stage(Stage value) {
        stage = value;
    }

    /** @return the epoch being run (0-based) */
    public int currentEpoch() {
        return currentEpoch;
    }

    /** @param value the epoch to run next (a resumed checkpoint's) */
    public void currentEpoch(int value) {
        currentEpoch = value;
    }

    /** Moves to the next epoch: a checkpoint saved now resumes at its start (whether or not the last one was cut). */
    public void nextEpoch() {
        currentEpoch++;
        epochDone = false;
        batchesDoneInEpoch = 0;
    }

    /** @return optimisation steps done */
    public long globalStep() {
        return globalStep;
    }

    /** @param value optimisation steps done (a resumed checkpoint's) */
    public void globalStep(long value) {
        globalStep = value;
    }

    /** Counts one optimisation step. */
    public void stepDone() {
        globalStep++;
    }

    /**
     * @param maxSteps the configured step limit, -1 = none
     * @return true once {@code maxSteps} optimisation steps are done
     */
    public boolean maxStepsReached(long maxSteps) {
        return maxSteps > 0 && globalStep >= maxSteps;
    }

    /** @return index of the current batch in its loop */
    public int batchIdx() {
        return batchIdx;
    }

    /** @param value index of the batch now running */
    public void batchIdx(int value) {
        batchIdx = value;
    }

    /** @return training batches done (or skipped on resume) in the current epoch */
    public int batchesDoneInEpoch() {
        return batchesDoneInEpoch;
    }

    /** @param value training batches done in the current epoch */
    public void batchesDoneInEpoch(int value) {
        batchesDoneInEpoch = value;
    }

    /** @return training batches per epoch after limits, or -1 while unknown */
    public int numTrainingBatches() {
        return numTrainingBatches;
    }

    /** @param value training batches per epoch, or -1 when unknown */
    public void numTrainingBatches(int value) {
        numTrainingBatches = value;
    }

    /** @return samples in the current epoch's first training batch (its batch size), 0 while unknown */
    public int trainBatchSize() {
        return trainBatchSize;
    }

    /** @param value samples in the current epoch's first training batch */
    public void trainBatchSize(int value) {
        trainBatchSize = value;
    }

    /** @return what decides the current epoch's training batch order besides the epoch, or null when unknown */
    public Map<String, String> trainOrder() {
        return trainOrder;
    }

    /** @param value what decides the current epoch's training batch order besides the epoch, or null */
    public void trainOrder(Map<String, String> value) {
        trainOrder = value;
    }

    /** @return size of the batch (or batch slice) in its step, the default weight of logged values */
    public int currentBatchSize() {
        return currentBatchSize;
    }

    /** @param value size of the batch now running, 0 outside a step */
    public void currentBatchSize(int value) {
        currentBatchSize = value;
    }

    /** @return true during the sanity validation before training */
    public boolean isSanityChecking() {
        return sanityChecking;
    }

    /** @param value whether the sanity validation runs */
    public void sanityChecking(boolean value) {
        sanityChecking = value;
    }

    /** @return true once a stop was requested */
    public boolean shouldStop() {
        return shouldStop;
    }

    /**
     * Records a stop request: the training epoch ends after the current batch or validation (one more validation
     * runs when the request came from a training batch and the epoch validates), then the fit loop ends.
     *
     * @param reason logged at INFO with the first request
     */
    public void requestStop(String reason) {
        if (!shouldStop) {
            LOG.info("stopping: {}", reason);
        }
        shouldStop = true;
    }

    /** @return true when the current epoch's training batches are all done */
    public boolean isEpochDone() {
        return epochDone;
    }

    /** @param value whether the current epoch's training batches are all done */
    public void epochDone(boolean value) {
        epochDone = value;
    }

    /**
     * @return true when the current epoch validates more than once ({@code valCheckInterval} shorter than the epoch):
     *     checkpointing and early stopping then act after every validation instead of at the epoch's end
     */
    public boolean validatesWithinEpoch() {
        return validatesWithinEpoch;
    }

    /** @param value whether the current epoch validates more than once */
    public void validatesWithinEpoch(boolean value) {
        validatesWithinEpoch = value;
    }

    /** @return the epoch a checkpoint saved now resumes at: the next one once this epoch's batches are done */
    public int resumeEpoch() {
        return epochDone ? currentEpoch + 1 : currentEpoch;
    }

    /** @return the training batches of {@link #resumeEpoch()} a checkpoint saved now skips on resume */
    public int resumeBatch() {
        return epochDone ? 0 : batchesDoneInEpoch;
    }

    /** @return how many full validation loops ran in this fit (sanity check excluded) */
    public int validationRuns() {
        return validationRuns;
    }

    /**
     * Counts one full validation loop.
     *
     * @param metrics the names of the metrics it published
     */
    public void validationDone(Set<String> metrics) {
        validationRuns++;
        lastValidationEpoch = currentEpoch;
        validationMetrics.addAll(metrics);
    }

    /**
     * @param metric a metric's name
     * @return true when validation publishes it and did not run in the current epoch
     *     ({@code checkValEveryNEpoch > 1}): its value is an earlier epoch's; or when the latest validation left it out
     */
    public boolean isStale(String metric) {
        return validationMetrics.contains(metric) && (lastValidationEpoch != currentEpoch
                || !callbackMetrics.containsKey(metric));
    }

    /** @return true when the fit has a validation loader */
    public boolean hasValidation() {
        return hasValidation;
    }

    /** @return the last training loss (NaN before the first step) */
    public double lastLoss() {
        return lastLoss;
    }

    /** @param value the training loss of the step just done (NaN when the step returned none) */
    public void lastLoss(double value) {
        lastLoss = value;
        if (!Double.isNaN(value)) {
            progressBarMetrics.put("loss", value);
        }
    }

    /** @return the latest value of every metric, modifiable: step values as logged, epoch means once computed */
    public Map<String, Double> callbackMetrics() {
        return callbackMetrics;
    }

    /** @return metrics flagged {@code progBar} plus {@code loss}, modifiable */
    public Map<String, Double> progressBarMetrics() {
        return progressBarMetrics;
    }

    /** @return a read-only view of {@link #callbackMetrics()} */
    public Map<String, Double> callbackMetricsView() {
        return callbackMetricsView;
    }

    /** @return a read-only view of {@link #progressBarMetrics()} */
    public Map<String, Double> progressBarMetricsView() {
        return progressBarMetricsView;
    }
}
