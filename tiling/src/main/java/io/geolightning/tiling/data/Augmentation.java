package io.geolightning.tiling.data;

import java.util.SplittableRandom;

/**
 * Geometric augmentation applied identically to a sample's image and mask: random horizontal and vertical flips and
 * (square chips only) a random rotation by a multiple of 90 degrees.
 *
 * @param flipProbability probability of each flip (horizontal, vertical), 0 to disable
 * @param rotate90 whether to rotate square chips by 0, 90, 180 or 270 degrees at random
 */
public record Augmentation(double flipProbability, boolean rotate90) {

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(0, false);
    }

    /** Flips with probability 0.5 and random rotations. */
    public static Augmentation flipsAndRotations() {
        return new Augmentation(0.5, true);
    }

    /** @return true when this augmentation never changes a sample */
    public boolean isNone() {
        return flipProbability <= 0 && !rotate90;
    }

    /**
     * Draws one transform and applies it in place to {@code image} (bands x h x w floats at {@code offset}) and
     * {@code mask} (h x w at {@code maskOffset}, may be null).
     */
    public void apply(SplittableRandom random, float[] image, int offset, int bands, int h, int w, long[] mask,
                      int maskOffset) {
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
