package io.geolightning.app.config;

import io.geolightning.models.nn.ModelException;
import io.geolightning.models.tasks.OptimizerSettings;

/**
 * The {@code optimizer} section.
 *
 * @param name {@code adamw} (default), {@code adam} or {@code sgd}
 * @param lr base learning rate (default 1e-3)
 * @param weightDecay weight decay (default 1e-4)
 * @param momentum SGD momentum (default 0.9)
 * @param schedule {@code constant} (default), {@code cosine} (warm-up then cosine decay over the whole run; the total
 *                 step count is computed from the data and {@code trainer.maxEpochs}) or {@code step}
 * @param warmupSteps warm-up optimizer steps for {@code cosine} (default 0)
 * @param stepSize epochs between decays for {@code step} (default 10)
 * @param gamma decay factor for {@code step} (default 0.1)
 * @param backboneLr the pretrained backbone's own base learning rate, following the same schedule (default: lr)
 */
public record OptimizerSection(String name, Double lr, Double weightDecay, Double momentum, String schedule,
                               Long warmupSteps, Long stepSize, Double gamma, Double backboneLr) {

    /** Fills defaults. */
    public OptimizerSection {
        name = name == null ? "adamw" : name;
        lr = lr == null ? 1e-3 : lr;
        weightDecay = weightDecay == null ? 1e-4 : weightDecay;
        momentum = momentum == null ? 0.9 : momentum;
        schedule = schedule == null ? "constant" : schedule;
        warmupSteps = warmupSteps == null ? 0L : warmupSteps;
        stepSize = stepSize == null ? 10L : stepSize;
        gamma = gamma == null ? 0.1 : gamma;
        backboneLr = backboneLr == null ? 0.0 : backboneLr;
        // the fields are not assigned yet in a compact constructor: check the parameters
        settings(OptimizerSettings.builder().optimizer(name).lr(lr).weightDecay(weightDecay).momentum(momentum)
                .schedule(schedule).warmupSteps(warmupSteps).totalSteps(warmupSteps + 1).stepSize(stepSize).gamma(gamma)
                .backboneLr(backboneLr));
    }

    /**
     * @param totalSteps optimisation steps of the whole run (the schedule's length)
     * @return the section bound into the task's optimizer settings, whose checks are the only ones
     */
    public OptimizerSettings settings(long totalSteps) {
        return settings(OptimizerSettings.builder().optimizer(name).lr(lr).weightDecay(weightDecay).momentum(momentum)
                .schedule(schedule).warmupSteps(warmupSteps).totalSteps(Math.max(warmupSteps + 1, totalSteps))
                .stepSize(stepSize).gamma(gamma).backboneLr(backboneLr));
    }

    private static OptimizerSettings settings(OptimizerSettings.Builder b) {
        try {
            return b.build();
        } catch (ModelException e) {
            // the settings name the section's 'name' key 'optimizer'
            String key = e.option() == null ? null
                    : "optimizer." + ("optimizer".equals(e.option()) ? "name" : e.option());
            throw new ConfigException(key, "optimizer: " + e.getMessage(), e);
        }
    }

    /** @return AdamW, lr 1e-3, weight decay 1e-4, constant schedule */
    public static OptimizerSection defaults() {
        return new OptimizerSection(null, null, null, null, null, null, null, null, null);
    }
}
