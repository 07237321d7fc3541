package io.geolightning.models.predict;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Watches a raster's values on the scale of the data the model was trained on: per band, the mean and spread of the
 * normalised values {@code (value - mean) / std} (0 and 1 for data like the training data). A raster on another scale
 * (16-bit digital numbers for a model trained on 8-bit images, reflectance in 0..1 for one trained on digital
 * numbers) runs without error and yields wrong classes; this turns that into a warning. So does a scene far from
 * the training data's (a band's mean more than {@link #FAR} training standard deviations away).
 */
final class InputScale {

    /** Fewer valid pixels in a band than this say nothing. */
    static final long MIN_PIXELS = 1000;
    /** A band whose normalised values sit further than this from 0, or spread wider, is on another scale. */
    static final double FAR = 10;
    /** A band whose normalised values spread less than this barely varies on the training data's scale. */
    static final double FLAT = 0.01;

    private final int[] rasterBands;
    private final long[] count;
    private final double[] sum;
    private final double[] sumSquares;
    private final float[] min;
    private final float[] max;

    /**
     * @param rasterBands the raster's 1-based band numbers, in model order
     */
    InputScale(int[] rasterBands) {
        this.rasterBands = rasterBands.clone();
        count = new long[rasterBands.length];
        sum = new double[rasterBands.length];
        sumSquares = new double[rasterBands.length];
        min = new float[rasterBands.length];
        max = new float[rasterBands.length];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
    }

    /**
     * Counts one valid normalised value.
     *
     * @param band 0-based band in model order
     * @param z the normalised value
     */
    void add(int band, float z) {
        count[band]++;
        sum[band] += z;
        sumSquares[band] += (double) z * z;
        min[band] = Math.min(min[band], z);
        max[band] = Math.max(max[band], z);
    }

    /**
     * @param file the raster's file name
     * @param model the model's source (its file)
     * @return a one-line warning for the first band off the training data's scale, if any
     */
    Optional<String> warning(String file, String model) {
        for (int b = 0; b < count.length; b++) {
            if (count[b] < MIN_PIXELS) {
                continue;
            }
            double mean = sum[b] / count[b];
            double spread = Math.sqrt(Math.max(0, sumSquares[b] / count[b] - mean * mean));
            // a band that does not vary at all (an alpha band, say) tells nothing about its scale
            boolean flat = spread < FLAT && max[b] > min[b];
            if (Math.abs(mean) > FAR || spread > FAR || flat) {
                return Optional.of(String.format(Locale.ROOT, "%s: band %d is far from the data %s was trained on "
                        + "(its values sit %.1f training standard deviations from the training mean and spread %.3g "
                        + "times as wide): on another scale (8 vs 16 bits, reflectance vs digital numbers) or another "
                        + "kind of scene, so the classes are likely wrong; rescale the raster to the training data's "
                        + "range (gdal_translate -ot / -scale) or train on data like it", file, rasterBands[b], model,
                        mean, spread));
            }
        }
        return Optional.empty();
    }
}
