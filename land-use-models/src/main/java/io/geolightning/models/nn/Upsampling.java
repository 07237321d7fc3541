package io.geolightning.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How {@link UNet} brings decoder features up to the size of the skip connection. The PyTorch engine of DJL
 * has no transposed convolution, so these use differentiable interpolation ({@code torch.nn.functional.interpolate})
 * or a 1x1 convolution followed by pixel shuffle.
 */
public enum Upsampling {
    /** Bilinear interpolation (align_corners = false). */
    BILINEAR,
    /** Nearest-neighbour interpolation. */
    NEAREST,
    /** 1x1 convolution to 4x channels, then pixel shuffle (depth-to-space) by 2. */
    PIXEL_SHUFFLE;

    /** PyTorch interpolate mode codes understood by DJL's PtNDArrayEx.interpolation. */
    private static final int MODE_NEAREST = 0;
    private static final int MODE_BILINEAR = 1;

    /**
     * @param name bilinear, nearest or pixelshuffle (case-insensitive)
     * @return the mode
     * @throws ModelException naming the value when unknown
     */
    public static Upsampling parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return switch (key) {
            case "bilinear" -> BILINEAR;
            case "nearest" -> NEAREST;
            case "pixelshuffle" -> PIXEL_SHUFFLE;
            default -> throw ModelException.badOption("model option", "upsampling", "'" + name + "'", " is ",
                    "unknown; use bilinear, nearest or pixelshuffle");
        };
    }

    /** @return the option value that names this mode (bilinear, nearest, pixelshuffle) */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    /**
     * Resizes an N x C x H x W array to N x C x height x width by interpolation.
     *
     * @param x the array
     * @param height target rows
     * @param width target columns
     * @param bilinear bilinear when true, nearest otherwise
     * @return the resized array (differentiable)
     */
    public static NDArray resize(NDArray x, long height, long width, boolean bilinear) {
        Shape s = x.getShape();
        if (s.get(2) == height && s.get(3) == width) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {height, width},
                bilinear ? MODE_BILINEAR : MODE_NEAREST, false);
    }

    /**
     * Depth-to-space: N x (C*r*r) x H x W to N x C x (H*r) x (W*r), PyTorch's pixel_shuffle ordering.
     *
     * @param x the array
     * @param r the upscale factor
     * @return the shuffled array
     */
    public static NDArray pixelShuffle(NDArray x, int r) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1) / ((long) r * r);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
    }
}
