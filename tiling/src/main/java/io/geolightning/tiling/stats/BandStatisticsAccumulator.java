package io.geolightning.tiling.stats;

import io.geolightning.tiling.ChipDataType;
import java.util.Arrays;

/**
 * Accumulates {@link BandStatistics} chip by chip, ignoring nodata pixels (a pixel is nodata in band b when its value
 * equals that band's nodata value, or is NaN or an infinity). Numerically stable: each chip's mean and sum of squared
 * deviations are merged with Chan's parallel formula. Not thread-safe; merge per-thread accumulators with
 * {@link #merge}.
 */
public final class BandStatisticsAccumulator {
    private final int bands;
    private final ChipDataType dtype;
    private final Double[] nodata;
    private final long[] count;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;

    /**
     * @param bands number of bands
     * @param dtype pixel type of the chips to add
     * @param nodata nodata value per band (null entries, or a null array, for none)
     */
    public BandStatisticsAccumulator(int bands, ChipDataType dtype, Double[] nodata) {
        this.bands = bands;
        this.dtype = dtype;
        this.nodata = nodata == null ? new Double[bands] : nodata.clone();
        if (this.nodata.length != bands) {
            throw new IllegalArgumentException(this.nodata.length + " nodata values for " + bands + " bands");
        }
        count = new long[bands];
        mean = new double[bands];
        m2 = new double[bands];
        min = new double[bands];
        max = new double[bands];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /**
     * One chip's statistics per band (valid count, mean, sum of squared deviations, min, max), computed independently
     * (e.g. on a worker thread) and added in order with {@link #add(ChipPartial)}: the result is then bit-identical to
     * adding the chips' pixels one by one in the same order.
     *
     * @param count valid pixels per band
     * @param mean mean per band
     * @param m2 sum of squared deviations per band
     * @param min minimum per band
     * @param max maximum per band
     */
    public record ChipPartial(long[] count, double[] mean, double[] m2, double[] min, double[] max) {
    }

    /** Summarises one chip (raw little-endian band-major pixels, {@code pixelsPerBand} values per band). */
    public ChipPartial summarize(byte[] pixels, int pixelsPerBand) {
        return summarize(pixels, pixelsPerBand, null);
    }

    /**
     * Summarises one chip, counting only the pixels {@code valid} marks (a raster's per-dataset mask, the window's
     * coverage); null counts every pixel that is not its band's nodata.
     *
     * @param pixels raw little-endian band-major pixels
     * @param pixelsPerBand values per band
     * @param valid per pixel (row-major), or null
     * @return the chip's statistics
     */
    public ChipPartial summarize(byte[] pixels, int pixelsPerBand, boolean[] valid) {
        long[] cnt = new long[bands];
        double[] mn = new double[bands];
        double[] ss2 = new double[bands];
        double[] lo = new double[bands];
        double[] hi = new double[bands];
        for (int b = 0; b < bands; b++) {
            if (dtype == ChipDataType.UINT8 && valid == null) {
                summarizeUint8(pixels, b, pixelsPerBand, cnt, mn, ss2, lo, hi);
            } else {
                summarizeAny(pixels, b, pixelsPerBand, valid, cnt, mn, ss2, lo, hi);
            }
        }
        return new ChipPartial(cnt, mn, ss2, lo, hi);
    }

    /** Via a 256-bin histogram (one increment per pixel), then exact integer sums over the bins. */
    private void summarizeUint8(byte[] px, int b, int ppb, long[] cnt, double[] mn, double[] ss2, double[] lo,
                                double[] hi) {
        Double nd = nodata[b];
        int skip = nd != null && nd == Math.rint(nd) && nd >= 0 && nd <= 255 ? nd.intValue() : -1;
        int[] hist = histogram(px, b * ppb, ppb);
        if (skip >= 0) {
            hist[skip] = 0;
        }
        long n = 0;
        long sum = 0;
        long sumsq = 0;
        int l = -1;
        int h = -1;
        for (int v = 0; v < 256; v++) {
            long c = hist[v];
            if (c == 0) {
                continue;
            }
            if (l < 0) {
                l = v;
            }
            h = v;
            n += c;
            sum += c * v;
            sumsq += c * v * v;
        }
        cnt[b] = n;
        lo[b] = n == 0 ? Double.POSITIVE_INFINITY : l;
        hi[b] = n == 0 ? Double.NEGATIVE_INFINITY : h;
        if (n > 0) {
            mn[b] = (double) sum / n;
            ss2[b] = n < (1L << 22) ? (double) (n * sumsq - sum * sum) / n : sumsq - (double) sum * sum / n;
        }
    }

    /**
     * Counts of each byte value in {@code px[from..from+n)}. Four interleaved histograms: neighbouring pixels often hold
     * the same value, and one histogram would then wait on its own previous increment (40% slower here, C1 or C2).
     */
    static int[] histogram(byte[] px, int from, int n) {
        int[] h0 = new int[256];
        int[] h1 = new int[256];
        int[] h2 = new int[256];
        int[] h3 = new int[256];
        int i = from;
        int end = from + n;
        for (int end4 = from + (n & ~3); i < end4; i += 4) {
            h0[px[i] & 0xFF]++;
            h1[px[i + 1] & 0xFF]++;
            h2[px[i + 2] & 0xFF]++;
            h3[px[i + 3] & 0xFF]++;
        }
        for (; i < end; i++) {
            h0[px[i] & 0xFF]++;
        }
        for (int v = 0; v < 256; v++) {
            h0[v] += h1[v] + h2[v] + h3[v];
        }
        return h0;
    }

    private void summarizeAny(byte[] pixels, int b, int pixelsPerBand, boolean[] valid, long[] cnt, double[] mn,
                              double[] ss2, double[] lo, double[] hi) {
        int base = b * pixelsPerBand;
        Double nd = nodata[b];
        double ndv = nd == null ? Double.NaN : nd;
        long n = 0;
        double sum = 0;
        double l = Double.POSITIVE_INFINITY;
        double h = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pixelsPerBand; i++) {
            double v = dtype.get(pixels, base + i);
            if (!Double.isFinite(v) || v == ndv || valid != null && !valid[i]) {
                continue;
            }
            n++;
            sum += v;
            l = Math.min(l, v);
            h = Math.max(h, v);
        }
        cnt[b] = n;
        lo[b] = l;
        hi[b] = h;
        if (n == 0) {
            return;
        }
        double m = sum / n;
        double ss = 0;
        for (int i = 0; i < pixelsPerBand; i++) {
            double v = dtype.get(pixels, base + i);
            if (!Double.isFinite(v) || v == ndv || valid != null && !valid[i]) {
                continue;
            }
            ss += (v - m) * (v - m);
        }
        mn[b] = m;
        ss2[b] = ss;
    }

    /** Adds a chip summarised by {@link #summarize}. */
    public void add(ChipPartial p) {
        for (int b = 0; b < bands; b++) {
            if (p.count()[b] > 0) {
                combine(b, p.count()[b], p.mean()[b], p.m2()[b], p.min()[b], p.max()[b]);
            }
        }
    }

    /** Adds one chip: raw little-endian band-major pixels of {@code pixelsPerBand} values per band. */
    public void add(byte[] pixels, int pixelsPerBand) {
        add(summarize(pixels, pixelsPerBand));
    }

    /** Merges another accumulator of the same shape into this one. */
    public void merge(BandStatisticsAccumulator o) {
        for (int b = 0; b < bands; b++) {
            if (o.count[b] > 0) {
                combine(b, o.count[b], o.mean[b], o.m2[b], o.min[b], o.max[b]);
            }
        }
    }

    private void combine(int b, long n, double m, double ss, double lo, double hi) {
        long total = count[b] + n;
        double delta = m - mean[b];
        mean[b] += delta * n / total;
        m2[b] += ss + delta * delta * ((double) count[b] * n / total);
        count[b] = total;
        min[b] = Math.min(min[b], lo);
        max[b] = Math.max(max[b], hi);
    }

    /** @return true when no valid pixel was added in any band */
    public boolean isEmpty() {
        return Arrays.stream(count).allMatch(c -> c == 0);
    }

    /** @return the statistics so far (NaN mean/std/min/max for a band without valid pixels) */
    public BandStatistics result() {
        double[] std = new double[bands];
        double[] mn = mean.clone();
        double[] lo = min.clone();
        double[] hi = max.clone();
        for (int b = 0; b < bands; b++) {
            if (count[b] == 0) {
                std[b] = mn[b] = lo[b] = hi[b] = Double.NaN;
            } else {
                std[b] = Math.sqrt(m2[b] / count[b]);
            }
        }
        return new BandStatistics(count.clone(), mn, std, lo, hi);
    }
}
