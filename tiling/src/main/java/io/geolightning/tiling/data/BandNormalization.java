package io.geolightning.tiling.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.stats.BandStatistics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-band input normalisation {@code (value - mean[b]) / std[b]} with the training split's statistics: the one type
 * the chip loaders (training), the predictors and the checkpoints use, so training and prediction normalise
 * identically by construction. A band whose std is ~0 or not finite is divided by 1 ({@link #divisor(double)}), a
 * mean that is not finite becomes 0. Nodata pixels (per band, when given), NaN and infinities become 0, the
 * normalised mean, so they carry no signal. A model only makes sense on inputs normalised with the statistics it was
 * trained with, so the mean and std travel in the checkpoint ({@link #toMap()}); nodata stays with the data.
 *
 * @param mean per-band mean
 * @param std per-band divisor (the standard deviation, or 1 for a degenerate band)
 * @param nodata nodata value per band (null entries for none), or null
 */
public record BandNormalization(double[] mean, double[] std, Double[] nodata) {

    /** Validates lengths, copies the arrays and applies the degenerate-mean/std rule. */
    public BandNormalization {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new TilingException("band normalisation: " + (mean == null ? 0 : mean.length) + " means and "
                    + (std == null ? 0 : std.length) + " stds; pass one mean and one std per band");
        }
        mean = mean.clone();
        std = std.clone();
        nodata = nodata == null ? null : nodata.clone();
        for (int b = 0; b < mean.length; b++) {
            if (!Double.isFinite(mean[b])) {
                mean[b] = 0;
            }
            std[b] = divisor(std[b]);
        }
    }

    /**
     * @param mean per-band mean
     * @param std per-band standard deviation
     */
    public BandNormalization(double[] mean, double[] std) {
        this(mean, std, null);
    }

    /**
     * The one degenerate-std rule: a band whose std is ~0 (at most 1e-12) or not finite is divided by 1.
     *
     * @param std a band's standard deviation
     * @return the divisor to use for it
     */
    public static double divisor(double std) {
        return std > 1e-12 && Double.isFinite(std) ? std : 1.0;
    }

    /**
     * @param stats band statistics of the training split
     * @return the matching normalisation, without nodata
     */
    public static BandNormalization of(BandStatistics stats) {
        return of(stats, null);
    }

    /**
     * @param stats band statistics of the training split
     * @param nodata nodata value per band (null entries for none), or null
     * @return the matching normalisation
     */
    public static BandNormalization of(BandStatistics stats, Double[] nodata) {
        return new BandNormalization(stats.mean(), stats.std(), nodata);
    }

    /**
     * @param bands number of bands
     * @return the identity normalisation (mean 0, std 1): values pass unchanged (useful to inspect raw pixels)
     */
    public static BandNormalization identity(int bands) {
        double[] ones = new double[bands];
        Arrays.fill(ones, 1.0);
        return new BandNormalization(new double[bands], ones);
    }

    /**
     * @param nodata nodata value per band (null entries for none), or null
     * @return this normalisation with those nodata values
     */
    public BandNormalization withNodata(Double[] nodata) {
        return new BandNormalization(mean, std, nodata);
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

    @Override
    public Double[] nodata() {
        return nodata == null ? null : nodata.clone();
    }

    /**
     * Normalises one value.
     *
     * @param band the band index
     * @param value raw value
     * @return {@code (value - mean[band]) / std[band]}
     */
    public float apply(int band, double value) {
        return (float) ((value - mean[band]) / std[band]);
    }

    /**
     * Writes the normalised sample into {@code out} at {@code offset} (bands x height x width floats); NaN, infinite
     * and nodata pixels become 0.
     *
     * @param s a chip sample
     * @param out the batch buffer
     * @param offset where the sample starts in it
     */
    public void apply(ChipSample s, float[] out, int offset) {
        int n = s.height() * s.width();
        for (int b = 0; b < s.bands(); b++) {
            Double nd = nodata == null ? null : nodata[b];
            double ndv = nd == null ? Double.NaN : nd;
            int base = b * n;
            for (int i = 0; i < n; i++) {
                double v = s.dtype().get(s.pixels(), base + i);
                out[offset + base + i] = (!Double.isFinite(v) || v == ndv) ? 0f : apply(b, v);
            }
        }
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

    /** @return {@code {mean: [...], std: [...]}} for hyperparameters (checkpoints) */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", Arrays.stream(mean).boxed().toList());
        m.put("std", Arrays.stream(std).boxed().toList());
        return m;
    }

    /**
     * @param m a map written by {@link #toMap()}
     * @return the normalisation (without nodata)
     */
    public static BandNormalization fromMap(Map<String, ?> m) {
        if (m == null) {
            throw new TilingException("band normalisation: missing from the checkpoint; retrain with GeoLightning or "
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
                    throw new TilingException("band normalisation: " + key + "[" + i + "] = " + v
                            + " is not a number; write numbers");
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        if (o instanceof double[] d) {
            return d;
        }
        throw new TilingException("band normalisation: '" + key + "' is " + o + "; write a list of numbers");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BandNormalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std)
                && Arrays.equals(nodata, n.nodata);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(mean) * 31 + Arrays.hashCode(std)) * 31 + Arrays.hashCode(nodata);
    }

    @Override
    public String toString() {
        return "BandNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + (nodata == null ? "" : ", nodata=" + Arrays.toString(nodata)) + "]";
    }
}
