package io.geolightning.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.geolightning.tiling.stats.BandStatistics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-band input normalisation {@code (value - mean[b]) / std[b]}, the same the tiling module applies to training
 * chips (a band whose std is ~0 or not finite is divided by 1). A model only makes sense on inputs normalised with
 * the statistics it was trained with, so these travel in the checkpoint.
 *
 * @param mean per-band mean
 * @param std per-band standard deviation (the divisor)
 */
public record BandNormalization(double[] mean, double[] std) {

    /** Validates lengths and copies the arrays. */
    public BandNormalization {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new ModelException("band normalisation: " + (mean == null ? 0 : mean.length) + " means and "
                    + (std == null ? 0 : std.length) + " stds; pass one mean and one std per band");
        }
        mean = mean.clone();
        std = std.clone();
        for (int b = 0; b < mean.length; b++) {
            if (!Double.isFinite(mean[b])) {
                mean[b] = 0;
            }
        }
        for (int b = 0; b < std.length; b++) {
            if (!(std[b] > 1e-12) || !Double.isFinite(std[b])) {
                std[b] = 1.0;
            }
        }
    }

    /**
     * @param stats band statistics of the training split
     * @return the matching normalisation (same divisor rule as {@link BandStatistics#scale(int)})
     */
    public static BandNormalization of(BandStatistics stats) {
        double[] scale = new double[stats.bands()];
        for (int b = 0; b < scale.length; b++) {
            scale[b] = stats.scale(b);
        }
        return new BandNormalization(stats.mean(), scale);
    }

    /**
     * @param n the tiling module's loader normalisation (its per-band nodata is handled by the caller)
     * @return the same mean and divisor
     */
    public static BandNormalization of(io.geolightning.tiling.data.Normalization n) {
        return new BandNormalization(n.mean(), n.scale());
    }

    /**
     * @param bands number of bands
     * @return the identity normalisation (mean 0, std 1)
     */
    public static BandNormalization identity(int bands) {
        double[] zeros = new double[bands];
        double[] ones = new double[bands];
        Arrays.fill(ones, 1.0);
        return new BandNormalization(zeros, ones);
    }

    /** @return number of bands */
    public int bands() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Normalises one value in place-free Java (used when streaming raster windows).
     *
     * @param band the band index
     * @param value raw value
     * @return {@code (value - mean[band]) / std[band]}
     */
    public float apply(int band, double value) {
        return (float) ((value - mean[band]) / std[band]);
    }

    /**
     * @param batch N x bands x H x W raw values
     * @return the normalised float32 batch
     */
    public NDArray apply(NDArray batch) {
        NDManager m = batch.getManager();
        float[] mu = new float[mean.length];
        float[] sd = new float[std.length];
        for (int b = 0; b < mu.length; b++) {
            mu[b] = (float) mean[b];
            sd[b] = (float) std[b];
        }
        Shape per = new Shape(1, mu.length, 1, 1);
        return batch.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .sub(m.create(mu, per)).div(m.create(sd, per));
    }

    /** @return {@code {mean: [...], std: [...]}} for hyperparameters */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", Arrays.stream(mean).boxed().toList());
        m.put("std", Arrays.stream(std).boxed().toList());
        return m;
    }

    /**
     * @param m a map written by {@link #toMap()}
     * @return the normalisation
     */
    public static BandNormalization fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new ModelException("band normalisation: missing from the checkpoint; retrain with GeoLightning or "
                    + "pass the band mean/std explicitly");
        }
        return new BandNormalization(doubles(m.get("mean"), "mean"), doubles(m.get("std"), "std"));
    }

    private static double[] doubles(Object o, String key) {
        if (o instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object v = list.get(i);
                if (!(v instanceof Number n)) {
                    throw new ModelException("band normalisation: " + key + "[" + i + "] = " + v
                            + " is not a number; write numbers");
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        if (o instanceof double[] d) {
            return d;
        }
        throw new ModelException("band normalisation: '" + key + "' is " + o + "; write a list of numbers");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BandNormalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "BandNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
