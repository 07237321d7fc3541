package io.geolightning.geo;

import java.io.Serializable;
import java.util.Optional;

/**
 * A rectangle of pixels: column {@code x}, row {@code y} of its top-left pixel, and its size. May lie partly or fully
 * outside a raster (reads pad such pixels with nodata).
 */
public record PixelWindow(int x, int y, int width, int height) implements Serializable {
    private static final long serialVersionUID = 1L;


    public PixelWindow {
        if (width < 0 || height < 0) {
            throw new GeoIOException("PixelWindow " + width + "x" + height + ": negative size; pass width and height >= 0");
        }
    }

    /** The window covering a whole {@code width x height} raster. */
    public static PixelWindow full(int width, int height) {
        return new PixelWindow(0, 0, width, height);
    }

    /** Number of pixels. */
    public long area() {
        return (long) width * height;
    }

    /** True when the window holds no pixel. */
    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    /** Column just right of the window. */
    public int endX() {
        return x + width;
    }

    /** Row just below the window. */
    public int endY() {
        return y + height;
    }

    /** True when the pixel ({@code px}, {@code py}) lies in the window. */
    public boolean contains(int px, int py) {
        return px >= x && py >= y && px < endX() && py < endY();
    }

    /** True when {@code other} lies entirely in this window. */
    public boolean contains(PixelWindow other) {
        return other.x >= x && other.y >= y && other.endX() <= endX() && other.endY() <= endY();
    }

    /** True when the two windows share at least one pixel. */
    public boolean intersects(PixelWindow other) {
        return intersection(other).isPresent();
    }

    /** The shared pixels, or empty when the windows do not overlap. */
    public Optional<PixelWindow> intersection(PixelWindow other) {
        int x0 = Math.max(x, other.x);
        int y0 = Math.max(y, other.y);
        int x1 = Math.min(endX(), other.endX());
        int y1 = Math.min(endY(), other.endY());
        if (x1 <= x0 || y1 <= y0) {
            return Optional.empty();
        }
        return Optional.of(new PixelWindow(x0, y0, x1 - x0, y1 - y0));
    }

    /** "window 256x256 at (512, 0)". */
    @Override
    public String toString() {
        return "window " + width + "x" + height + " at (" + x + ", " + y + ")";
    }

    /** This window moved by ({@code dx}, {@code dy}). */
    public PixelWindow translate(int dx, int dy) {
        return new PixelWindow(x + dx, y + dy, width, height);
    }
}
