package io.geolightning.trainer.connectors;

import io.geolightning.trainer.LogOptions;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.loggers.ExperimentLogger;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where logged values go, like Lightning's logger connector: what a module logs is collected per loop (a training
 * epoch, or a validation/test run), its step values and epoch means are published to the run's
 * {@link RunProgress#callbackMetrics() callback metrics} and progress-bar metrics (a value logged on step and on epoch
 * also under its plain name: the latest step value during the epoch, the epoch mean after it, as in Lightning), and sent to the experiment loggers
 * with the epoch and global step. Nothing is recorded during the sanity validation. A metric an evaluation of a stage
 * published and the next one of that stage does not (a class's precision once none of it is predicted) leaves the
 * callback metrics, so callbacks and checkpoints never show it beside the current ones.
 */
public final class LoggerConnector {

    private final RunProgress progress;
    private final List<ExperimentLogger> loggers;
    private MetricAccumulator metrics = new MetricAccumulator(true);
    private MetricAccumulator interrupted;
    /**
     * The hook running in which {@code log} is not a step's: a training epoch hook ({@code onTrainEpochStart},
     * {@code onTrainEpochEnd}) or, when {@link #hookClosed}, one in which nothing can be logged; null for none.
     */
    private String hook;
    private boolean hookClosed;
    /** What the last evaluation of each stage published: a metric the next one leaves out is no longer current. */
    private final Map<Stage, Set<String>> lastEvaluation = new EnumMap<>(Stage.class);

    /**
     * @param progress the run's progress, which receives the metrics
     * @param loggers the experiment loggers
     */
    public LoggerConnector(RunProgress progress, List<ExperimentLogger> loggers) {
        this.progress = progress;
        this.loggers = List.copyOf(loggers);
    }

    /** @return the experiment loggers */
    public List<ExperimentLogger> loggers() {
        return loggers;
    }

    /**
     * Records a value a module logged.
     *
     * @param name metric name
     * @param value the value
     * @param options when it is reduced and shown
     */
    public void record(String name, double value, LogOptions options) {
        if (hookClosed) {
            throw new TrainerException("log('" + name + "') in " + hook + ": nothing can be logged there (as in"
                    + " Lightning), no epoch or step would hold it; log it in a step or in onTrainEpochEnd");
        }
        if (progress.isSanityChecking()) {
            return;
        }
        String stepKey = metrics.record(name, value, hook == null ? options : epochLevel(name, options),
                progress.currentBatchSize());
        if (hook != null) { // current at once, for the callbacks that monitor it in the same hook
            publish(metrics.epochMeans());
        }
        if (stepKey != null) {
            progress.callbackMetrics().put(stepKey, value);
            String plain = metrics.plainName(stepKey);
            if (plain != null) {
                progress.callbackMetrics().put(plain, value);
            }
            if (options.progBar()) {
                progress.progressBarMetrics().put(stepKey, value);
            }
        }
    }

    /**
     * Runs a training epoch's start or end hook, in which {@code log} records the value for the epoch (Lightning's
     * {@code on_step=False, on_epoch=True} there): it reaches the loggers and the callback metrics with the epoch's
     * means.
     *
     * @param hook the hook's name, for messages
     * @param body the hook
     */
    public void inEpochHook(String hook, Runnable body) {
        during(hook, false, body);
    }

    /**
     * Runs a hook in which {@code log} is refused, as Lightning refuses it there: the start and end of a fit, the end
     * of a validation or test run (the run's values were published before it).
     *
     * @param hook the hook's name, for messages
     * @param body the hook
     */
    public void inClosedHook(String hook, Runnable body) {
        during(hook, true, body);
    }

    private void during(String name, boolean closed, Runnable body) {
        hook = name;
        hookClosed = closed;
        try {
            body.run();
        } finally {
            hook = null;
            hookClosed = false;
        }
    }

    /** @return the options of a value logged in a training epoch hook: once for the epoch, never per step */
    private LogOptions epochLevel(String name, LogOptions options) {
        if (Boolean.TRUE.equals(options.onStep()) || Boolean.FALSE.equals(options.onEpoch())) {
            throw new TrainerException("log('" + name + "') in " + hook + " asks for onStep(true) or"
                    + " onEpoch(false), but an epoch hook logs once an epoch; drop those options (the value is logged"
                    + " for the epoch)");
        }
        return new LogOptions(false, true, options.progBar(), options.batchSize());
    }

    /** Starts collecting a training epoch. */
    public void startTrainEpoch() {
        metrics = new MetricAccumulator(true);
    }

    /**
     * Sends the latest step values to the loggers after an optimisation step, every {@code logEveryNSteps} steps.
     *
     * @param logEveryNSteps the logging interval in optimisation steps
     */
    public void stepDone(int logEveryNSteps) {
        Map<String, Double> stepValues = metrics.stepValues();
        if (!stepValues.isEmpty() && progress.globalStep() % logEveryNSteps == 0) {
            send(stepValues);
        }
    }

    /**
     * Publishes the training epoch's means before its end hooks (they replace the step values of the same name in the
     * metrics), as Lightning's callback metrics hold them there.
     */
    public void publishTrainEpoch() {
        publish(metrics.epochMeans());
    }

    /** Publishes the training epoch's means, with what its end hooks logged, and sends them to the loggers. */
    public void endTrainEpoch() {
        Map<String, Double> epochMetrics = metrics.epochMeans();
        publish(epochMetrics);
        if (!epochMetrics.isEmpty()) {
            send(epochMetrics);
        }
    }

    private void publish(Map<String, Double> epochMetrics) {
        progress.callbackMetrics().putAll(epochMetrics);
        epochMetrics.forEach((k, v) -> {
            String plain = metrics.plainName(k);
            if (plain != null) {
                progress.callbackMetrics().put(plain, v);
            }
        });
        for (String k : metrics.progBarKeys()) {
            if (epochMetrics.containsKey(k)) {
                progress.progressBarMetrics().put(k, epochMetrics.get(k));
            }
        }
    }

    /** Starts collecting a validation or test run, which may interrupt a training epoch's collection. */
    public void startEvaluation() {
        interrupted = metrics;
        metrics = new MetricAccumulator(false);
    }

    /**
     * Ends a validation or test run: resumes the interrupted collection and publishes the run's means (unless
     * sanity checking).
     *
     * @return the run's epoch-level means
     */
    public Map<String, Double> endEvaluation() {
        Map<String, Double> results = metrics.epochMeans();
        Set<String> bar = metrics.progBarKeys();
        metrics = interrupted;
        interrupted = null;
        if (progress.isSanityChecking()) {
            return results;
        }
        Set<String> before = lastEvaluation.put(progress.stage(), Set.copyOf(results.keySet()));
        if (before != null) { // e.g. a class's precision once it predicts none of the class: not the old value
            before.stream().filter(k -> !results.containsKey(k)).forEach(progress.callbackMetrics()::remove);
        }
        progress.callbackMetrics().putAll(results);
        for (String k : bar) {
            progress.progressBarMetrics().put(k, results.get(k));
        }
        if (!results.isEmpty()) {
            send(results);
        }
        return results;
    }

    /** @param hyperparameters the module's hyperparameters, sent to every logger */
    public void logHyperparams(Map<String, Object> hyperparameters) {
        for (ExperimentLogger l : loggers) {
            l.logHyperparams(hyperparameters);
        }
    }

    /** Flushes every logger. */
    public void flush() {
        for (ExperimentLogger l : loggers) {
            l.flush();
        }
    }

    /**
     * Flushes every logger after a run failed, as Lightning's {@code logger.finalize("failed")}: what was logged
     * before the failure reaches the files; a flush that fails too is added to the run's failure, not thrown.
     *
     * @param failure the run's failure
     */
    public void flushAfter(Throwable failure) {
        try {
            flush();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    /** Closes every logger. */
    public void close() {
        for (ExperimentLogger l : loggers) {
            l.close();
        }
    }

    private void send(Map<String, Double> values) {
        if (loggers.isEmpty()) {
            return;
        }
        Map<String, Double> row = new LinkedHashMap<>(values);
        row.put("epoch", (double) progress.currentEpoch());
        for (ExperimentLogger l : loggers) {
            l.logMetrics(row, progress.loggedStep());
        }
    }
}
