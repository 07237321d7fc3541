package io.geolightning.tiling.stats;

import java.util.Arrays;

/**
 * Per-band statistics of valid (non-nodata) pixels: count, mean, population standard deviation, min and max.
 * Computed on the training split only and used to normalise every split: {@code (value - mean) / std}.
 *
 * @param count valid pixels per band
 * @param mean mean per band
 * @param std population standard deviation per band
 * @param min minimum per band
 * @param max maximum per band
 */
public record BandStatistics(long[] count, double[] mean, double[] std, double[] min, double[] max) {

    /** @return the number of bands */
    public int bands() {
        return mean.length;
    }

    /** The divisor used for normalisation: std, or 1 where a band is constant (avoids dividing by zero). */
    public double scale(int band) {
        double s = std[band];
        return io.geolightning.tiling.data.BandNormalization.divisor(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BandStatistics b && Arrays.equals(count, b.count) && Arrays.equals(mean, b.mean)
                && Arrays.equals(std, b.std) && Arrays.equals(min, b.min) && Arrays.equals(max, b.max);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "BandStatistics[count=" + Arrays.toString(count) + ", mean=" + Arrays.toString(mean) + ", std="
                + Arrays.toString(std) + ", min=" + Arrays.toString(min) + ", max=" + Arrays.toString(max) + "]";
    }
}
