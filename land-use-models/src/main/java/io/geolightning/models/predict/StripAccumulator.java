package io.geolightning.models.predict;

import java.util.Arrays;

/**
 * Weighted sums of class probabilities for a horizontal strip of the scene, one window-height tall and as wide as the
 * columns being predicted (the raster, or one block of it): the only place predictions are held, so memory is
 * {@code (classes + 1) x 4 + 1} bytes per pixel of the strip whatever the raster's height. Windows add into it (the
 * parts of them outside the strip's columns are dropped); rows no later window can touch are finished (arg-max,
 * probabilities) and the strip slides down.
 */
final class StripAccumulator {

    private final int classes;
    private final int left;
    private final int width;
    private final int height;
    private final float[][] sums;
    private final float[] weights;
    private final boolean[] valid;
    private int top;

    /**
     * @param classes number of classes
     * @param left raster column of the strip's first column
     * @param width columns held (at most the raster's width minus {@code left})
     * @param height strip height (the window side)
     * @param top raster row of the strip's first row
     */
    StripAccumulator(int classes, int left, int width, int height, int top) {
        this.classes = classes;
        this.left = left;
        this.width = width;
        this.top = top;
        this.height = height;
        this.sums = new float[classes][width * height];
        this.weights = new float[width * height];
        this.valid = new boolean[width * height];
    }

    /** @return bytes held by the strip buffers */
    long bufferBytes() {
        return (long) width * height * (4L * classes + 4 + 1);
    }

    /** @return the raster row of the strip's first row */
    int top() {
        return top;
    }

    /**
     * Adds one window.
     *
     * @param wx window column in the raster (columns outside the strip's are dropped)
     * @param wy window row in the raster (top() &lt;= wy, wy + size &lt;= top() + height for rows inside the raster)
     * @param size window side
     * @param rasterHeight rows of the raster (rows below are ignored)
     * @param windowValid per-pixel validity of the window, row-major
     * @param weight per-pixel blend weight, row-major
     * @param probs probabilities: {@code classes} values (one per window) or {@code classes x size x size}
     * @param offset start of this window's probabilities in {@code probs}
     * @param perPixel whether {@code probs} has a value per pixel
     */
    void add(int wx, int wy, int size, int rasterHeight, boolean[] windowValid, float[] weight, float[] probs,
             int offset, boolean perPixel) {
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            int ry = wy + y;
            if (ry >= rasterHeight) {
                break;
            }
            int sy = ry - top;
            for (int x = 0; x < size; x++) {
                int rx = wx + x - left;
                if (rx < 0) {
                    continue;
                }
                if (rx >= width) {
                    break;
                }
                int wi = y * size + x;
                if (!windowValid[wi]) {
                    continue;
                }
                int si = sy * width + rx;
                float w = weight[wi];
                valid[si] = true;
                weights[si] += w;
                for (int c = 0; c < classes; c++) {
                    float p = perPixel ? probs[offset + c * plane + wi] : probs[offset + c];
                    sums[c][si] += w * p;
                }
            }
        }
    }

    /**
     * Finishes the strip's first {@code rows} rows.
     *
     * @param rows rows to finish (from {@link #top()})
     * @param nodata class value for pixels no valid window covered
     * @param classOut {@code rows x width} class values (filled)
     * @param probOut {@code classes x rows x width} probabilities (filled), or null
     */
    void finish(int rows, byte nodata, byte[] classOut, float[] probOut) {
        int n = rows * width;
        for (int i = 0; i < n; i++) {
            float w = weights[i];
            if (!valid[i] || !(w > 0)) {
                classOut[i] = nodata;
                if (probOut != null) {
                    for (int c = 0; c < classes; c++) {
                        probOut[c * n + i] = Float.NaN;
                    }
                }
                continue;
            }
            int best = 0;
            float bestSum = sums[0][i];
            for (int c = 1; c < classes; c++) {
                if (sums[c][i] > bestSum) {
                    bestSum = sums[c][i];
                    best = c;
                }
            }
            classOut[i] = (byte) best;
            if (probOut != null) {
                for (int c = 0; c < classes; c++) {
                    probOut[c * n + i] = sums[c][i] / w;
                }
            }
        }
    }

    /**
     * Drops the first {@code rows} rows and moves the strip down by as many.
     *
     * @param rows rows to drop
     */
    void advance(int rows) {
        int keep = (height - rows) * width;
        int from = rows * width;
        for (float[] s : sums) {
            System.arraycopy(s, from, s, 0, keep);
            Arrays.fill(s, keep, s.length, 0f);
        }
        System.arraycopy(weights, from, weights, 0, keep);
        Arrays.fill(weights, keep, weights.length, 0f);
        System.arraycopy(valid, from, valid, 0, keep);
        Arrays.fill(valid, keep, valid.length, false);
        top += rows;
    }
}
