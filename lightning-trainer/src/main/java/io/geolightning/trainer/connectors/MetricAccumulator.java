package io.geolightning.trainer.connectors;

import io.geolightning.trainer.LogOptions;
import io.geolightning.trainer.TrainerException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Collects what a module logs during one loop (a training epoch or a validation/test run): the latest per-step
 * values and batch-size-weighted sums for the epoch means. See {@link LogOptions} for the naming rules.
 */
final class MetricAccumulator {

    private final Map<String, Double> stepValues = new LinkedHashMap<>();
    private final Map<String, double[]> epochSums = new LinkedHashMap<>();
    private final Set<String> progBar = new LinkedHashSet<>();
    private final Map<String, String> plainNames = new LinkedHashMap<>();
    private final boolean training;

    MetricAccumulator(boolean training) {
        this.training = training;
    }

    /**
     * Records one value.
     *
     * @return the step key when a per-step value was recorded, else null
     */
    String record(String name, double value, LogOptions options, int currentBatchSize) {
        if (name == null || name.isBlank()) {
            throw new TrainerException("log() got a blank metric name; pass a name such as \"val_loss\"");
        }
        boolean onStep = training && (options.onStep() != null ? options.onStep() : true);
        boolean onEpoch = options.onEpoch() != null ? options.onEpoch() : !training;
        if (!training) {
            onEpoch = true;
        }
        if (!onStep && !onEpoch) {
            throw new TrainerException("log('" + name + "') has onStep and onEpoch both false; enable at least one");
        }
        boolean both = onStep && onEpoch;
        String stepKey = both ? name + "_step" : name;
        String epochKey = both ? name + "_epoch" : name;
        double weight = options.batchSize() > 0 ? options.batchSize() : Math.max(1, currentBatchSize);
        if (both) {
            plainNames.put(stepKey, name);
            plainNames.put(epochKey, name);
        }
        if (onStep) {
            stepValues.put(stepKey, value);
        }
        if (onEpoch) {
            double[] acc = epochSums.computeIfAbsent(epochKey, k -> new double[2]);
            acc[0] += value * weight;
            acc[1] += weight;
        }
        if (options.progBar()) {
            progBar.add(onStep ? stepKey : epochKey);
        }
        return onStep ? stepKey : null;
    }

    /** @return the latest per-step values */
    Map<String, Double> stepValues() {
        return stepValues;
    }

    /** @return the weighted epoch means so far */
    Map<String, Double> epochMeans() {
        Map<String, Double> out = new LinkedHashMap<>();
        epochSums.forEach((k, v) -> out.put(k, v[0] / v[1]));
        return out;
    }

    /**
     * @param key a step or epoch key
     * @return the name a module logged under both {@code onStep} and {@code onEpoch} that the key stands for (the
     *     callback metrics hold it too, like Lightning's), or null
     */
    String plainName(String key) {
        return plainNames.get(key);
    }

    /** @return keys flagged for the progress bar */
    Set<String> progBarKeys() {
        return progBar;
    }

    void reset() {
        stepValues.clear();
        epochSums.clear();
    }
}
