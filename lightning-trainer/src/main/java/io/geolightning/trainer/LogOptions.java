package io.geolightning.trainer;

/**
 * How a value passed to {@link LightningModule#log(String, double, LogOptions)} is aggregated and shown.
 *
 * <p>{@code onStep}: record the value at every training step (under the name itself, or {@code name_step} when
 * {@code onEpoch} is also set). {@code onEpoch}: record the mean over the epoch, weighted by batch size (under the
 * name, or {@code name_epoch} when both are set). A {@code null} flag means Lightning's default for the running
 * stage: training logs on step, validation/test log on epoch (validation/test values are always aggregated into the
 * epoch mean; {@code onStep} only applies to training). In {@code onTrainEpochStart}/{@code onTrainEpochEnd} a value
 * is logged for the epoch only, as Lightning does there: {@code onStep(true)} or {@code onEpoch(false)} is refused.
 * {@code progBar}: show the value on the progress bar. {@code batchSize}: weight of this value in the epoch mean; 0
 * means "the size of the current batch".
 *
 * @param onStep log each step (null = stage default)
 * @param onEpoch log the epoch mean (null = stage default)
 * @param progBar show on the progress bar
 * @param batchSize weight for the epoch mean, 0 = current batch size
 */
public record LogOptions(Boolean onStep, Boolean onEpoch, boolean progBar, int batchSize) {

    /** Stage defaults, not on the progress bar. */
    public static final LogOptions DEFAULT = new LogOptions(null, null, false, 0);

    /** Stage defaults, shown on the progress bar. */
    public static final LogOptions PROG_BAR = new LogOptions(null, null, true, 0);

    /** Validates the weight. */
    public LogOptions {
        if (batchSize < 0) {
            throw new TrainerException("LogOptions batchSize " + batchSize + " is negative; pass 0 (current batch) or a positive size");
        }
    }

    /**
     * Starts a builder with stage defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link LogOptions}. */
    public static final class Builder {
        private Boolean onStep;
        private Boolean onEpoch;
        private boolean progBar;
        private int batchSize;

        private Builder() {}

        /**
         * @param value log every step
         * @return this builder
         */
        public Builder onStep(boolean value) {
            onStep = value;
            return this;
        }

        /**
         * @param value log the epoch mean
         * @return this builder
         */
        public Builder onEpoch(boolean value) {
            onEpoch = value;
            return this;
        }

        /**
         * @param value show on the progress bar
         * @return this builder
         */
        public Builder progBar(boolean value) {
            progBar = value;
            return this;
        }

        /**
         * @param value weight of the value in the epoch mean (0 = current batch size)
         * @return this builder
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /** @return the options */
        public LogOptions build() {
            return new LogOptions(onStep, onEpoch, progBar, batchSize);
        }
    }
}
