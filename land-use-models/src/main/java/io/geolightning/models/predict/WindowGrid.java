package io.geolightning.models.predict;

/**
 * Positions of sliding windows along one axis: every {@code stride} pixels from 0, the last one moved back so it
 * ends exactly at the raster's edge (no window hangs outside unless the raster is smaller than one window).
 */
final class WindowGrid {

    private WindowGrid() {
    }

    /**
     * @param length raster length along the axis
     * @param size window length
     * @param stride step between windows, 1..size
     * @return the window starts, increasing
     */
    static int[] starts(int length, int size, int stride) {
        if (length <= size) {
            return new int[] {0};
        }
        int last = length - size;
        int n = (last + stride - 1) / stride + 1;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(i * stride, last);
        }
        return out;
    }
}
