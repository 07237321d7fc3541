package io.geolightning.trainer.optim;

/**
 * PyTorch's {@code StepLR}: {@code lr = baseLr * gamma^(floor(t / stepSize))} where {@code t} is the epoch (when
 * {@code perEpoch}) or the optimizer step.
 *
 * @param baseLr initial learning rate
 * @param stepSize epochs (or steps) between decays
 * @param gamma multiplicative decay
 * @param perEpoch true: count epochs (Lightning's default interval); false: count optimizer steps
 */
public record StepLr(double baseLr, long stepSize, double gamma, boolean perEpoch) implements LrSchedule {

    /** Validates the arguments. */
    public StepLr {
        Schedules.checkRate("baseLr", baseLr);
        Schedules.checkPositive("stepSize", stepSize);
        Schedules.checkUnit("gamma", gamma, true);
    }

    @Override
    public double learningRate(long step, int epoch) {
        long t = perEpoch ? epoch : step;
        return baseLr * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }
}
