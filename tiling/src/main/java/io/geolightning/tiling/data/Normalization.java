package io.geolightning.tiling.data;

import io.geolightning.tiling.stats.BandStatistics;

/**
 * Per-band {@code (value - mean) / std} with the training split's statistics; nodata pixels (per band) become 0,
 * the normalised mean, so they carry no signal.
 *
 * @param mean mean per band
 * @param scale divisor per band (std, or 1 for a constant band)
 * @param nodata nodata value per band (null entries for none), or null
 */
public record Normalization(double[] mean, double[] scale, Double[] nodata) {

    /** Normalisation from band statistics. */
    public static Normalization of(BandStatistics stats, Double[] nodata) {
        double[] scale = new double[stats.bands()];
        double[] mean = new double[stats.bands()];
        for (int b = 0; b < scale.length; b++) {
            scale[b] = stats.scale(b);
            mean[b] = Double.isFinite(stats.mean()[b]) ? stats.mean()[b] : 0;
        }
        return new Normalization(mean, scale, nodata);
    }

    /** The identity: values pass unchanged (useful to inspect raw pixels). */
    public static Normalization identity(int bands) {
        double[] one = new double[bands];
        java.util.Arrays.fill(one, 1);
        return new Normalization(new double[bands], one, null);
    }

    /** @return the number of bands */
    public int bands() {
        return mean.length;
    }

    /** Writes the normalised sample into {@code out} at {@code offset} (bands x height x width floats). */
    public void apply(ChipSample s, float[] out, int offset) {
        int n = s.height() * s.width();
        for (int b = 0; b < s.bands(); b++) {
            double m = mean[b];
            double inv = 1.0 / scale[b];
            Double nd = nodata == null ? null : nodata[b];
            double ndv = nd == null ? Double.NaN : nd;
            int base = b * n;
            for (int i = 0; i < n; i++) {
                double v = s.dtype().get(s.pixels(), base + i);
                out[offset + base + i] = (Double.isNaN(v) || v == ndv) ? 0f : (float) ((v - m) * inv);
            }
        }
    }
}
