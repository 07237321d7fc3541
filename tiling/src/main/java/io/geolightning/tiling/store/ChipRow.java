package io.geolightning.tiling.store;

import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.splits.Split;

/**
 * One row of the chip store: where the chip comes from (scene, pixel window, bounds in the scene CRS), which split it
 * belongs to, its label (class id for classification, a one-byte-per-pixel mask for segmentation) and its pixels
 * (raw little-endian, band-major: band 0 rows first).
 *
 * @param chipId unique id of the chip
 * @param scene path of the source raster
 * @param crs scene CRS as "EPSG:n" or WKT
 * @param x column offset of the window in the scene
 * @param y row offset of the window in the scene
 * @param width window width in pixels
 * @param height window height in pixels
 * @param minx west bound in the scene CRS
 * @param miny south bound in the scene CRS
 * @param maxx east bound in the scene CRS
 * @param maxy north bound in the scene CRS
 * @param split the subset
 * @param label class id (classification) or null
 * @param mask per-pixel class ids, height x width bytes (segmentation) or null
 * @param bands number of bands in {@code pixels}
 * @param dtype pixel data type
 * @param pixels raw pixels, bands x height x width values
 */
public record ChipRow(String chipId, String scene, String crs, int x, int y, int width, int height,
                      double minx, double miny, double maxx, double maxy, Split split, Integer label, byte[] mask,
                      int bands, ChipDataType dtype, byte[] pixels) implements io.geolightning.tiling.splits.SpatialItem {

    /** Checks that pixel and mask sizes agree with the window. */
    public ChipRow {
        if (pixels != null && pixels.length != (long) bands * width * height * dtype.bytes()) {
            throw new IllegalArgumentException("chip " + chipId + ": " + pixels.length + " pixel bytes, expected "
                    + bands + "x" + height + "x" + width + "x" + dtype.bytes());
        }
        if (mask != null && mask.length != width * height) {
            throw new IllegalArgumentException("chip " + chipId + ": mask of " + mask.length + " bytes, expected "
                    + height + "x" + width);
        }
    }

    @Override
    public String sceneKey() {
        return scene;
    }

    /** @return the same chip assigned to another split */
    public ChipRow withSplit(Split s) {
        return new ChipRow(chipId, scene, crs, x, y, width, height, minx, miny, maxx, maxy, s, label, mask, bands,
                dtype, pixels);
    }
}
