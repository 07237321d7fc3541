package io.geolightning.app.config;

import java.util.List;

/**
 * The {@code data} section: where the chips come from and how they are batched. Three sources, exactly one of them:
 * <ul>
 *   <li>an existing chip store ({@code chips}), e.g. written by {@code geolightning tile};</li>
 *   <li>a scene and its labels ({@code raster} + {@code labels} + {@code labelField}), tiled into {@code chips}
 *       (default {@code <runs>/<name>/chips}) once and reused while the inputs and tiling settings are unchanged;</li>
 *   <li>pre-chipped images in class folders ({@code imageFolder}, e.g. AID), split per class at random.</li>
 * </ul>
 * Relative paths are resolved against the working directory.
 *
 * @param chips chip store to read, or to write when tiling
 * @param raster scene to tile
 * @param labels vector labels (Shapefile, GeoPackage, GeoJSON, ...)
 * @param layer vector layer (default: the first)
 * @param labelField attribute holding the class (segmentation: optional, every polygon is foreground without it)
 * @param mode {@code classification} (default) or {@code segmentation}
 * @param classes class names in id order (default: the field's distinct values, sorted)
 * @param background class of chips/pixels no polygon covers (segmentation default {@code background}; classification
 *                   default: such chips are skipped)
 * @param ignoreValue mask value meaning "ignore" (segmentation)
 * @param minCoverage fraction of a chip the winning class must cover (classification, default 0 = majority)
 * @param allTouched burn every pixel a polygon touches (segmentation, default false)
 * @param chipSize chip side in pixels (default 64)
 * @param stride grid step in pixels (default: the chip size)
 * @param edge {@code drop} (default), {@code shift} or {@code pad}: chips at the right/bottom edges
 * @param maxNodata skip chips with more nodata than this fraction (default 0.5)
 * @param split {@code spatial} (default), {@code random} or {@code none} (everything trains)
 * @param val validation fraction (default 0.2)
 * @param test test fraction (default 0.1)
 * @param block spatial block side: {@code 4} = 4 chips (default), {@code 5000m} = 5000 map units of the raster CRS
 * @param seed split and shuffle seed (default: the run's seed)
 * @param imageFolder folder of class folders of images
 * @param resize resize images to this square side (image folders; default 0 = keep)
 * @param batchSize samples per batch (default 32)
 * @param workers decoding threads of the loaders (default 2)
 * @param augment random flips and 90 degree rotations of training chips (default false)
 */
public record DataSection(String chips, String raster, String labels, String layer, String labelField, String mode,
                          List<String> classes, String background, Integer ignoreValue, Double minCoverage,
                          Boolean allTouched, Integer chipSize, Integer stride, String edge, Double maxNodata,
                          String split, Double val, Double test, String block, Long seed, String imageFolder,
                          Integer resize, Integer batchSize, Integer workers, Boolean augment) {

    /** Fills defaults. */
    public DataSection {
        mode = mode == null ? "classification" : mode;
        classes = classes == null ? null : List.copyOf(classes);
        allTouched = allTouched == null ? Boolean.FALSE : allTouched;
        minCoverage = minCoverage == null ? 0.0 : minCoverage;
        chipSize = chipSize == null ? 64 : chipSize;
        stride = stride == null ? chipSize : stride;
        edge = edge == null ? "drop" : edge;
        maxNodata = maxNodata == null ? 0.5 : maxNodata;
        split = split == null ? "spatial" : split;
        val = val == null ? 0.2 : val;
        test = test == null ? 0.1 : test;
        block = block == null ? "4" : block;
        resize = resize == null ? 0 : resize;
        batchSize = batchSize == null ? 32 : batchSize;
        workers = workers == null ? 2 : workers;
        augment = augment == null ? Boolean.FALSE : augment;
    }

    /** @return a section with every default and no source (a run must name one) */
    public static DataSection defaults() {
        return new DataSection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** @return true when this section tiles a scene (raster given) */
    public boolean tilesScene() {
        return raster != null && !raster.isBlank();
    }

    /** @return true when this section reads class folders of images */
    public boolean readsImageFolder() {
        return imageFolder != null && !imageFolder.isBlank();
    }

    /** @return a copy with another chip store path */
    public DataSection withChips(String path) {
        return new DataSection(path, raster, labels, layer, labelField, mode, classes, background, ignoreValue,
                minCoverage, allTouched, chipSize, stride, edge, maxNodata, split, val, test, block, seed, imageFolder,
                resize, batchSize, workers, augment);
    }

    /** @return a copy with a seed */
    public DataSection withSeed(long s) {
        return new DataSection(chips, raster, labels, layer, labelField, mode, classes, background, ignoreValue,
                minCoverage, allTouched, chipSize, stride, edge, maxNodata, split, val, test, block, s, imageFolder,
                resize, batchSize, workers, augment);
    }
}
