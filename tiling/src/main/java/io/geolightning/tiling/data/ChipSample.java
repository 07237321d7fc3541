package io.geolightning.tiling.data;

import io.geolightning.tiling.ChipDataType;

/**
 * One training sample before normalisation: raw little-endian band-major pixels plus a class label or a mask.
 *
 * @param pixels raw pixels, bands x height x width values of {@code dtype}
 * @param dtype pixel data type
 * @param bands number of bands
 * @param height rows
 * @param width columns
 * @param label class id (classification) or null
 * @param mask per-pixel class ids, height x width unsigned bytes (segmentation) or null
 */
public record ChipSample(byte[] pixels, ChipDataType dtype, int bands, int height, int width, Integer label,
                         byte[] mask) {
}
