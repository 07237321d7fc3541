package io.geolightning.tiling.data;

import java.util.SplittableRandom;

/**
 * Random augmentation of a training sample: geometric transforms applied identically to its image and mask (random
 * horizontal and vertical flips and, for square chips, a random rotation by a multiple of 90 degrees), then
 * photometric ones applied to the image only, on its normalised values (where 1 is one standard deviation of the
 * band): a random contrast gain and brightness offset drawn once per sample and shared by its bands (so spectral
 * ratios keep their meaning), then Gaussian noise per pixel. Nodata pixels, which normalisation sets to 0, are
 * transformed with the rest.
 *
 * @param flipProbability probability of each flip (horizontal, vertical), 0 to disable
 * @param rotate90 whether to rotate square chips by 0, 90, 180 or 270 degrees at random
 * @param brightness largest brightness offset, in standard deviations: the offset is uniform in [-b, b]; 0 to disable
 * @param contrast largest relative contrast change: values are scaled by a factor uniform in [1 - c, 1 + c]; 0 to
 *                 disable, below 1
 * @param noise standard deviation of the Gaussian noise added to each value, in standard deviations; 0 to disable
 */
public record Augmentation(double flipProbability, boolean rotate90, double brightness, double contrast,
                           double noise) {

    /** Checks the ranges. */
    public Augmentation {
        check("flip probability", flipProbability, 1, true);
        check("brightness", brightness, Double.MAX_VALUE, true);
        check("contrast", contrast, 1, false);
        check("noise", noise, Double.MAX_VALUE, true);
    }

    /**
     * Geometric augmentation only.
     *
     * @param flipProbability probability of each flip
     * @param rotate90 whether to rotate square chips by multiples of 90 degrees
     */
    public Augmentation(double flipProbability, boolean rotate90) {
        this(flipProbability, rotate90, 0, 0, 0);
    }

    private static void check(String what, double v, double max, boolean maxIncluded) {
        if (!(v >= 0) || v > max || !maxIncluded && v == max) {
            throw new IllegalArgumentException(what + " " + v + ": must be at least 0 and " + (maxIncluded
                    ? "at most " : "below ") + (max == Double.MAX_VALUE ? "finite" : max));
        }
    }

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(0, false);
    }

    /** Flips with probability 0.5 and random rotations. */
    public static Augmentation flipsAndRotations() {
        return new Augmentation(0.5, true);
    }

    /**
     * @param brightnessLimit largest brightness offset, in standard deviations
     * @param contrastLimit largest relative contrast change
     * @param noiseStd standard deviation of the per-pixel noise, in standard deviations
     * @return this augmentation's geometric part with those photometric settings
     */
    public Augmentation withPhotometric(double brightnessLimit, double contrastLimit, double noiseStd) {
        return new Augmentation(flipProbability, rotate90, brightnessLimit, contrastLimit, noiseStd);
    }

    /** @return true when this augmentation never changes a sample */
    public boolean isNone() {
        return flipProbability <= 0 && !rotate90 && !isPhotometric();
    }

    /** @return true when this augmentation changes pixel values (brightness, contrast or noise) */
    public boolean isPhotometric() {
        return brightness > 0 || contrast > 0 || noise > 0;
    }

    /**
     * Draws one transform and applies it in place to {@code image} (bands x h x w floats at {@code offset}) and
     * {@code mask} (h x w at {@code maskOffset}, may be null); the same random state gives the same transform.
     */
    public void apply(SplittableRandom random, float[] image, int offset, int bands, int h, int w, long[] mask,
                      int maskOffset) {
        applyGeometric(random, image, offset, bands, h, w, mask, maskOffset);
        if (isPhotometric()) {
            applyPhotometric(random, image, offset, bands * h * w);
        }
    }

    private void applyPhotometric(SplittableRandom random, float[] image, int offset, int length) {
        float gain = (float) (contrast > 0 ? 1 + contrast * (2 * random.nextDouble() - 1) : 1);
        float shift = (float) (brightness > 0 ? brightness * (2 * random.nextDouble() - 1) : 0);
        for (int i = offset; i < offset + length; i++) {
            float v = image[i] * gain + shift;
            image[i] = noise > 0 ? v + (float) (noise * random.nextGaussian()) : v;
        }
    }

    private void applyGeometric(SplittableRandom random, float[] image, int offset, int bands, int h, int w,
                                long[] mask, int maskOffset) {
        boolean flipX = flipProbability > 0 && random.nextDouble() < flipProbability;
        boolean flipY = flipProbability > 0 && random.nextDouble() < flipProbability;
        int rot = rotate90 && h == w ? random.nextInt(4) : 0;
        if (!flipX && !flipY && rot == 0) {
            return;
        }
        int[] src = new int[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                // output (r, c) of rotation by rot*90 degrees counter-clockwise, then flips
                int rr = flipY ? h - 1 - r : r;
                int cc = flipX ? w - 1 - c : c;
                int sr;
                int sc;
                switch (rot) {
                    case 1 -> { sr = cc; sc = w - 1 - rr; }
                    case 2 -> { sr = h - 1 - rr; sc = w - 1 - cc; }
                    case 3 -> { sr = h - 1 - cc; sc = rr; }
                    default -> { sr = rr; sc = cc; }
                }
                src[r * w + c] = sr * w + sc;
            }
        }
        float[] tmp = new float[h * w];
        for (int b = 0; b < bands; b++) {
            int base = offset + b * h * w;
            for (int i = 0; i < tmp.length; i++) {
                tmp[i] = image[base + src[i]];
            }
            System.arraycopy(tmp, 0, image, base, tmp.length);
        }
        if (mask != null) {
            long[] m = new long[h * w];
            for (int i = 0; i < m.length; i++) {
                m[i] = mask[maskOffset + src[i]];
            }
            System.arraycopy(m, 0, mask, maskOffset, m.length);
        }
    }
}
