package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;

/**
 * Fractions of train, validation and test; they must be non-negative and sum to 1.
 *
 * @param train training fraction
 * @param val validation fraction
 * @param test test fraction
 */
public record SplitRatios(double train, double val, double test) {

    /** Validates the fractions. */
    public SplitRatios {
        if (train < 0 || val < 0 || test < 0 || Math.abs(train + val + test - 1) > 1e-6) {
            throw new TilingException("split ratios " + train + "/" + val + "/" + test
                    + ": must be non-negative and sum to 1; e.g. 0.7/0.15/0.15");
        }
    }

    /** 70 % train, 15 % validation, 15 % test. */
    public static SplitRatios defaults() {
        return new SplitRatios(0.7, 0.15, 0.15);
    }

    /** @return the fraction of a split (0 for PREDICT) */
    public double of(Split s) {
        return switch (s) {
            case TRAIN -> train;
            case VAL -> val;
            case TEST -> test;
            case PREDICT -> 0;
        };
    }
}
