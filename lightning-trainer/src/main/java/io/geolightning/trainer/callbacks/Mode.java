package io.geolightning.trainer.callbacks;

/** Whether a monitored metric improves downwards (a loss) or upwards (an accuracy). */
public enum Mode {
    /** Lower is better. */
    MIN,
    /** Higher is better. */
    MAX;

    /**
     * @param candidate new value
     * @param reference old value
     * @param minDelta required margin
     * @return true when {@code candidate} beats {@code reference} by more than {@code minDelta}
     */
    public boolean improves(double candidate, double reference, double minDelta) {
        return this == MIN ? candidate < reference - minDelta : candidate > reference + minDelta;
    }

    /** @return the worst possible value, where tracking starts */
    public double worst() {
        return this == MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}
