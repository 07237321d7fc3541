package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.TargetGrid;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.store.ChipStoreOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the {@link Tiler} needs: scenes, labels, how chips are placed and filtered, how they are split and where
 * the chip store goes. Build with {@link #builder()}.
 *
 * @param scenes rasters to tile (same band count and data type)
 * @param labels label source, or null for unlabelled (prediction) chips
 * @param chipSize chip side in pixels
 * @param stride grid step in pixels (grid sampling)
 * @param edge grid behaviour at the right/bottom edges
 * @param randomCount chips to draw at random per scene, or 0 for a regular grid
 * @param samplingSeed seed of the random sampler
 * @param requireLabelOverlap random sampling keeps only chips touching a label polygon
 * @param region area to tile, or null for whole scenes
 * @param maxNodataFraction skip chips whose share of nodata pixels exceeds this (0..1)
 * @param negativeSurvivalProbability keep a negative chip (background class / no foreground pixel) with this
 *                                    probability (Raster Vision's negative_survival_prob), seeded
 * @param filterSeed seed of the negative sampling
 * @param split split assignment
 * @param store chip store path (".parquet" file or folder)
 * @param storeOptions Parquet options
 * @param workers reading/labelling threads
 * @param grid read the scenes as one mosaic on this grid, chips cut from the region's grid across file seams and
 *             spatial blocks region-wide; null = each scene tiled on its own grid
 * @param stackBands the scenes are single-band files stacked as the bands of one raster on {@code grid} (null grid: the
 *                   first file's), coarser bands resampled with the grid's resampling: the Landsat/Sentinel-2 layout
 * @param originBlock write only the chips whose top-left pixel lies in this block of the (region's) grid, after
 *                    placing and splitting all of them: one machine's share of a region tiled by several (the Spark
 *                    tile job); the blocks of a partition together write exactly the chips of one run. Null = all
 */
public record TilingConfig(List<GdalPath> scenes, LabelConfig labels, int chipSize, int stride, EdgeMode edge,
                           int randomCount, long samplingSeed, boolean requireLabelOverlap, Region region,
                           double maxNodataFraction, double negativeSurvivalProbability, long filterSeed,
                           SplitConfig split, Path store, ChipStoreOptions storeOptions, int workers,
                           TargetGrid grid, boolean stackBands, PixelWindow originBlock) {

    /** Validates. */
    public TilingConfig {
        if (scenes == null || scenes.isEmpty()) {
            throw new TilingException("tiling config: no scene; pass at least one raster");
        }
        scenes = scenes.stream().map(GdalPath::absolute).toList();
        if (store == null) {
            throw new TilingException("tiling config: no chip store path; pass a .parquet file or a folder");
        }
        if (chipSize < 1) {
            throw new TilingException("chip size " + chipSize + ": must be at least 1 pixel");
        }
        if (stride < 1) {
            stride = chipSize;
        }
        if (edge == null) {
            edge = EdgeMode.DROP;
        }
        if (!(maxNodataFraction >= 0 && maxNodataFraction <= 1)) {
            throw new TilingException("max nodata fraction " + maxNodataFraction + ": must be between 0 and 1");
        }
        if (!(negativeSurvivalProbability >= 0 && negativeSurvivalProbability <= 1)) {
            throw new TilingException("negative survival probability " + negativeSurvivalProbability
                    + ": must be between 0 and 1");
        }
        if (split == null) {
            split = labels == null ? SplitConfig.predict() : SplitConfig.allTrain();
        }
        if (labels == null && split.kind() != SplitConfig.Kind.PREDICT) {
            throw new TilingException("tiling config: split " + split.kind() + " needs labels; pass a LabelConfig or"
                    + " use SplitConfig.predict() for unlabelled chips");
        }
        if (storeOptions == null) {
            storeOptions = ChipStoreOptions.defaults();
        }
        if (workers < 1) {
            workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * @param area the area to tile (an envelope in any CRS), or null for everything
     * @return a copy tiling only {@code area}
     */
    public TilingConfig withRegion(Region area) {
        return new TilingConfig(scenes, labels, chipSize, stride, edge, randomCount, samplingSeed, requireLabelOverlap,
                area, maxNodataFraction, negativeSurvivalProbability, filterSeed, split, store, storeOptions, workers,
                grid, stackBands, originBlock);
    }

    /**
     * @param stack true to read the scenes as single-band files stacked on the grid (see the record's doc)
     * @return a copy
     */
    public TilingConfig withStackBands(boolean stack) {
        return new TilingConfig(scenes, labels, chipSize, stride, edge, randomCount, samplingSeed, requireLabelOverlap,
                region, maxNodataFraction, negativeSurvivalProbability, filterSeed, split, store, storeOptions, workers,
                grid, stack, originBlock);
    }

    /**
     * @param block a block of the (region's) pixel grid, or null for all chips
     * @return a copy writing only the chips whose top-left pixel lies in {@code block} (see the record's doc)
     */
    public TilingConfig withOriginBlock(PixelWindow block) {
        return new TilingConfig(scenes, labels, chipSize, stride, edge, randomCount, samplingSeed, requireLabelOverlap,
                region, maxNodataFraction, negativeSurvivalProbability, filterSeed, split, store, storeOptions, workers,
                grid, stackBands, block);
    }

    /**
     * @param options how the store is written
     * @return a copy writing the store with {@code options}
     */
    public TilingConfig withStoreOptions(ChipStoreOptions options) {
        return new TilingConfig(scenes, labels, chipSize, stride, edge, randomCount, samplingSeed, requireLabelOverlap,
                region, maxNodataFraction, negativeSurvivalProbability, filterSeed, split, store, options, workers,
                grid, stackBands, originBlock);
    }

    /** @return the label task (NONE without labels) */
    public LabelTask task() {
        return labels == null ? LabelTask.NONE : labels.task();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What identifies the output: everything but the store location, options and thread count. Hashed into the
     * sidecar so a data module can tell whether a store is current.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenes", scenes.stream().map(GdalPath::text).toList());
        if (labels != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("vector", labels.vector().absolute().text());
            l.put("layer", labels.layer());
            l.put("attribute", labels.attribute());
            l.put("classNames", labels.classNames());
            l.put("background", labels.background());
            l.put("ignoreValue", labels.ignoreValue());
            l.put("minCoverage", labels.rule().minCoverage());
            l.put("allTouched", labels.allTouched());
            l.put("task", labels.task().id());
            m.put("labels", l);
        }
        m.put("chipSize", chipSize);
        m.put("stride", stride);
        m.put("edge", edge.name());
        m.put("randomCount", randomCount);
        m.put("samplingSeed", samplingSeed);
        m.put("requireLabelOverlap", requireLabelOverlap);
        m.put("region", region == null ? null : region.aoi() == null ? List.of(region.minx(), region.miny(),
                region.maxx(), region.maxy(), String.valueOf(region.crs())) : List.of(region.minx(), region.miny(),
                region.maxx(), region.maxy(), String.valueOf(region.crs()), region.aoi()));
        m.put("maxNodataFraction", maxNodataFraction);
        m.put("negativeSurvivalProbability", negativeSurvivalProbability);
        m.put("filterSeed", filterSeed);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", split.kind().name());
        s.put("blockSize", split.grid() == null ? null : split.grid().size());
        s.put("blockInChips", split.grid() == null ? null : split.grid().inChips());
        if (split.grid() != null && split.grid().inMetres()) { // metres, whatever the CRS; map units before
            s.put("blockUnit", "m");
        }
        s.put("ratios", List.of(split.ratios().train(), split.ratios().val(), split.ratios().test()));
        s.put("seed", split.seed());
        s.put("strict", split.strict());
        m.put("split", s);
        m.put("codec", storeOptions.codec().name());
        if (grid != null) { // absent for scene-by-scene tiling, so stores tiled before regions existed stay current
            m.put("grid", Arrays.asList(grid.crs(), grid.resolution(), grid.resampling()));
        }
        if (stackBands) {
            m.put("stackBands", true);
        }
        return m;
    }

    /** Builder of {@link TilingConfig}; defaults: 256 px chips, stride = size, DROP edges, grid sampling, max nodata
     * 0.5, keep every negative, all chips to train, 2 threads per core at most the core count. */
    public static final class Builder {
        private List<GdalPath> scenes;
        private LabelConfig labels;
        private int chipSize = 256;
        private int stride;
        private EdgeMode edge = EdgeMode.DROP;
        private int randomCount;
        private long samplingSeed = 42;
        private boolean requireLabelOverlap;
        private Region region;
        private double maxNodataFraction = 0.5;
        private double negativeSurvivalProbability = 1.0;
        private long filterSeed = 42;
        private SplitConfig split;
        private Path store;
        private ChipStoreOptions storeOptions = ChipStoreOptions.defaults();
        private int workers;
        private TargetGrid grid;

        /** @param v local rasters */
        public Builder scenes(Path... v) {
            return scenes(List.of(v));
        }

        /** @param v local rasters */
        public Builder scenes(List<Path> v) {
            scenes = v.stream().map(GdalPath::of).toList();
            return this;
        }

        /**
         * @param v read the scenes as one mosaic on this grid (a region), or null (default) to tile each on its own
         * @return this
         */
        public Builder grid(TargetGrid v) {
            grid = v;
            return this;
        }

        /** @param v rasters: local files or any path GDAL opens ({@code /vsizip/...}, {@code /vsicurl/...}) */
        public Builder scenes(GdalPath... v) {
            scenes = List.of(v);
            return this;
        }

        /** @param v labels */
        public Builder labels(LabelConfig v) {
            labels = v;
            return this;
        }

        /** @param v chip side in pixels */
        public Builder chipSize(int v) {
            chipSize = v;
            return this;
        }

        /** @param v grid step in pixels */
        public Builder stride(int v) {
            stride = v;
            return this;
        }

        /** @param v edge behaviour */
        public Builder edge(EdgeMode v) {
            edge = v;
            return this;
        }

        /** Random sampling: {@code count} chips per scene. */
        public Builder random(int count, long seed, boolean onlyOverlappingLabels) {
            randomCount = count;
            samplingSeed = seed;
            requireLabelOverlap = onlyOverlappingLabels;
            return this;
        }

        /** @param v area to tile */
        public Builder region(Region v) {
            region = v;
            return this;
        }

        /** @param v nodata threshold 0..1 */
        public Builder maxNodataFraction(double v) {
            maxNodataFraction = v;
            return this;
        }

        /** Keeps negatives with probability {@code p}, seeded. */
        public Builder negativeSurvival(double p, long seed) {
            negativeSurvivalProbability = p;
            filterSeed = seed;
            return this;
        }

        /** @param v split assignment */
        public Builder split(SplitConfig v) {
            split = v;
            return this;
        }

        /** @param v chip store path */
        public Builder store(Path v) {
            store = v;
            return this;
        }

        /** @param v Parquet options */
        public Builder storeOptions(ChipStoreOptions v) {
            storeOptions = v;
            return this;
        }

        /** @param v threads */
        public Builder workers(int v) {
            workers = v;
            return this;
        }

        /** @return the configuration */
        public TilingConfig build() {
            return new TilingConfig(scenes, labels, chipSize, stride, edge, randomCount, samplingSeed,
                    requireLabelOverlap, region, maxNodataFraction, negativeSurvivalProbability, filterSeed, split,
                    store, storeOptions, workers, grid, false, null);
        }
    }
}
