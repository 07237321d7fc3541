package io.geolightning.trainer.optim;

/**
 * Linear warm-up from 0 to {@code baseLr} over {@code warmupSteps} optimizer steps, then cosine annealing down to
 * {@code minLr} at {@code totalSteps}; {@code minLr} afterwards. Counts optimizer steps.
 *
 * @param baseLr peak learning rate
 * @param minLr final learning rate
 * @param warmupSteps steps of linear warm-up (0 for none)
 * @param totalSteps step at which the cosine reaches {@code minLr}
 */
public record CosineWarmupLr(double baseLr, double minLr, long warmupSteps, long totalSteps) implements LrSchedule {

    /** Validates the arguments. */
    public CosineWarmupLr {
        Schedules.checkRate("baseLr", baseLr);
        Schedules.checkRate("minLr", minLr);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new io.geolightning.trainer.TrainerException("CosineWarmupLr warmupSteps " + warmupSteps
                    + " / totalSteps " + totalSteps + " are invalid; need 0 <= warmupSteps < totalSteps");
        }
    }

    @Override
    public double learningRate(long step, int epoch) {
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return minLr;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
}
