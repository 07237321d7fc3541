package io.geolightning.trainer.optim;

/**
 * A learning-rate schedule: the learning rate as a pure function of the optimizer's step count and the current
 * epoch. Being a pure function (no hidden counter) it needs no state of its own in a checkpoint: the step count
 * saved with the optimizer and the resumed epoch reproduce it exactly.
 */
@FunctionalInterface
public interface LrSchedule {

    /**
     * Returns the learning rate for the next update.
     *
     * @param step number of updates the optimizer has already made (0 for the first)
     * @param epoch the current epoch (0-based)
     * @return the learning rate, &gt;= 0
     */
    double learningRate(long step, int epoch);

    /**
     * A constant learning rate.
     *
     * @param lr the learning rate
     * @return the schedule
     */
    static LrSchedule constant(double lr) {
        return new ConstantLr(lr);
    }
}
