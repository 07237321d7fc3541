package io.geolightning.trainer.optim;

/**
 * A constant learning rate.
 *
 * @param lr the learning rate (&gt;= 0)
 */
public record ConstantLr(double lr) implements LrSchedule {

    /** Validates the rate. */
    public ConstantLr {
        Schedules.checkRate("lr", lr);
    }

    @Override
    public double learningRate(long step, int epoch) {
        return lr;
    }
}
