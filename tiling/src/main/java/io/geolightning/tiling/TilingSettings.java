package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.TargetGrid;
import io.geolightning.geo.VectorLayerPath;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.labels.ClassificationRule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.labels.RasterLabelSource;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How a scene is tiled, as the user spells it: the one home of the tiling settings of {@code geolightning tile}, the
 * Spark {@code tile} job (options and scene-list columns) and the run configuration's {@code data} section (its keys
 * are these component names). The defaults live here and only here; {@link #toTilingConfig} checks every value and
 * builds the {@link Tiler}'s {@link TilingConfig}, with {@link TilingException}s naming the command-line flag and the
 * YAML key ({@code --chip 0 (data.chipSize): ...}). Serializable: it travels to Spark executors.
 *
 * @param labels label polygons (Shapefile, GeoPackage, GeoJSON, ...) or a label raster (each value a class)
 * @param layer vector layer (null: the first)
 * @param labelField attribute holding the class (segmentation: optional, every polygon is foreground without it)
 * @param mode {@code classification} (default) or {@code segmentation}
 * @param classes class names in id order (null: the field's distinct values, sorted), or values with their names
 *                ({@code 1=wetland}: a label value read as its class name; YAML {@code classes: {1: wetland}})
 * @param background class of chips/pixels no polygon covers (segmentation default {@code background}; classification
 *                   default: such chips are skipped)
 * @param ignoreValue mask value meaning "ignore" (segmentation)
 * @param minCoverage fraction of a chip the winning class must cover (classification, default 0 = majority)
 * @param allTouched burn every pixel a polygon touches (segmentation, default false)
 * @param chipSize chip side in pixels (default 64)
 * @param stride grid step in pixels (null: the chip size; see {@link #resolvedStride()})
 * @param edge {@code drop} (default), {@code shift} or {@code pad}: chips at the right/bottom edges
 * @param maxNodata skip chips with more nodata than this fraction (default 0.5)
 * @param split {@code spatial} (default), {@code random} or {@code none} (everything trains)
 * @param val validation fraction (default 0.2)
 * @param test test fraction (default 0.1)
 * @param block spatial block side: {@code 4} = 4 chips (default), {@code 5000m} = 5000 metres (in the raster CRS's
 *     unit: feet, degrees)
 * @param seed split seed (null: the caller's, e.g. the run's seed or {@link #DEFAULT_SEED})
 * @param unknown label values that are not classes: {@code error} (default, listing them) or {@code ignore} (their
 *                pixels and polygons become the ignore value)
 */
public record TilingSettings(String labels, String layer, String labelField, String mode, List<String> classes,
                             String background, Integer ignoreValue, Double minCoverage, Boolean allTouched,
                             Integer chipSize, Integer stride, String edge, Double maxNodata, String split, Double val,
                             Double test, String block, Long seed, String unknown) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default {@code mode}. */
    public static final String DEFAULT_MODE = "classification";
    /** Default {@code chipSize}. */
    public static final int DEFAULT_CHIP_SIZE = 64;
    /** Default {@code edge}. */
    public static final String DEFAULT_EDGE = "drop";
    /** Default {@code maxNodata}. */
    public static final double DEFAULT_MAX_NODATA = 0.5;
    /** Default {@code minCoverage}. */
    public static final double DEFAULT_MIN_COVERAGE = 0;
    /** Default {@code split}. */
    public static final String DEFAULT_SPLIT = "spatial";
    /** Default {@code val}. */
    public static final double DEFAULT_VAL = 0.2;
    /** Default {@code test}. */
    public static final double DEFAULT_TEST = 0.1;
    /** Default {@code block}. */
    public static final String DEFAULT_BLOCK = "4";
    /** The split seed of the command-line tools when none is given. */
    public static final long DEFAULT_SEED = 42;
    /** Default {@code unknown}. */
    public static final String DEFAULT_UNKNOWN = "error";

    /** Fills the defaults (all but {@code stride} and {@code seed}, which depend on others) and copies the classes. */
    public TilingSettings {
        mode = mode == null ? DEFAULT_MODE : mode;
        classes = classes == null ? null : List.copyOf(classes);
        minCoverage = minCoverage == null ? DEFAULT_MIN_COVERAGE : minCoverage;
        allTouched = allTouched == null ? Boolean.FALSE : allTouched;
        chipSize = chipSize == null ? DEFAULT_CHIP_SIZE : chipSize;
        edge = edge == null ? DEFAULT_EDGE : edge;
        maxNodata = maxNodata == null ? DEFAULT_MAX_NODATA : maxNodata;
        split = split == null ? DEFAULT_SPLIT : split;
        val = val == null ? DEFAULT_VAL : val;
        test = test == null ? DEFAULT_TEST : test;
        block = block == null ? DEFAULT_BLOCK : block;
        unknown = unknown == null ? DEFAULT_UNKNOWN : unknown;
    }

    /** @return every default, no labels */
    public static TilingSettings defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static TilingSettingsBuilder builder() {
        return new TilingSettingsBuilder();
    }

    /** @return a builder holding these settings ({@code stride} and {@code seed} as given, possibly unset) */
    public TilingSettingsBuilder toBuilder() {
        return new TilingSettingsBuilder(this);
    }

    /** @return the grid step: {@code stride}, or the chip size when it is not set */
    public int resolvedStride() {
        return stride != null ? stride : chipSize;
    }

    /**
     * @param defaultSeed the seed when {@code seed} is not set
     * @return the split seed
     */
    public long resolvedSeed(long defaultSeed) {
        return seed != null ? seed : defaultSeed;
    }


    /**
     * Checks every value and builds the tiling of one scene.
     *
     * @param raster the scene: a local file or any path GDAL opens
     * @param store where the chips go
     * @param defaultSeed the split seed when {@code seed} is not set
     * @param workers reading threads (at least 1 is used)
     * @return the configuration of the {@link Tiler}
     * @throws TilingException naming the flag and the key of a value that is missing, out of range or unknown
     */
    public TilingConfig toTilingConfig(GdalPath raster, Path store, long defaultSeed, int workers) {
        return toTilingConfig(List.of(raster), null, store, defaultSeed, workers);
    }

    /**
     * Checks every value and builds the tiling of a region: several rasters read as one mosaic on {@code grid}.
     *
     * @param rasters the region's rasters (a {@link io.geolightning.geo.RasterCatalog}'s files)
     * @param grid the grid the region is read on, or null to tile each raster on its own grid
     * @param store where the chips go
     * @param defaultSeed the split seed when {@code seed} is not set
     * @param workers reading threads (at least 1 is used)
     * @return the configuration of the {@link Tiler}
     * @throws TilingException naming the flag and the key of a value that is missing, out of range or unknown
     */
    public TilingConfig toTilingConfig(List<GdalPath> rasters, TargetGrid grid, Path store, long defaultSeed,
                                       int workers) {
        LabelTask task = task();
        if (labels == null || labels.isBlank()) {
            throw new TilingException("'labels' is not set; pass the label polygons (a vector layer) or a label raster");
        }
        VectorLayerPath labelLayer = VectorLayerPath.parse(labels, blankToNull(layer), "--layer");
        GdalPath labelPath = labelLayer.file();
        boolean noField = task == LabelTask.CLASSIFICATION && (labelField == null || labelField.isBlank());
        if (noField && !labelPath.isVirtual() && !Files.exists(labelPath.local())) { // not "no --label-field"
            throw new TilingException(labelPath + ": file not found; check the path (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (noField && !RasterLabelSource.isRaster(labelPath)) {
            String fields = fieldsOf(labelLayer);
            String problem = NO_FIELD + fields;
            throw new TilingException("labelField", null, problem, "'labelField' is not set (--label-field): "
                    + problem + (fields.isEmpty() ? ", e.g. labelField: TIPO" : ""));
        }
        check();
        LabelConfig.Classes named = LabelConfig.Classes.parse(classes);
        LabelConfig lc = new LabelConfig(labelPath, labelLayer.layer(), blankToNull(labelField),
                named.names(), background, ignoreValue, ClassificationRule.minCoverage(minCoverage), allTouched, task,
                named.valueNames(), unknown.equals("ignore"));
        return TilingConfig.builder()
                .scenes(rasters.toArray(new GdalPath[0]))
                .grid(grid)
                .labels(lc)
                .chipSize(chipSize)
                .stride(resolvedStride())
                .edge(edgeMode())
                .maxNodataFraction(maxNodata)
                .split(splitConfig(resolvedSeed(defaultSeed)))
                .store(store)
                .workers(Math.max(1, workers))
                .build();
    }

    /**
     * Checks every value that needs no file: ranges and choices. Each failure is a {@link TilingException} with its
     * {@link TilingException#setting()}, so the command line names the flag, the YAML the key and Spark the column.
     *
     * @return this
     * @throws TilingException naming the setting, the value and the accepted values
     */
    public TilingSettings check() {
        LabelConfig.Classes.parse(classes); // value=name entries are well formed
        if (!unknown.equals("error") && !unknown.equals("ignore")) {
            throw invalid("unknown", unknown, "use error or ignore", "--unknown " + unknown + " (data.unknown)");
        }
        if (chipSize < 1) {
            throw invalid("chipSize", chipSize, "must be at least 1 pixel, e.g. 64", "--chip " + chipSize
                    + " (data.chipSize)");
        }
        if (resolvedStride() < 1) {
            throw invalid("stride", stride, "must be at least 1 pixel, e.g. " + chipSize, "--stride " + stride
                    + " (data.stride)");
        }
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw invalid("minCoverage", minCoverage, "must be between 0 and 1", "--min-coverage " + minCoverage
                    + " (data.minCoverage)");
        }
        if (!(maxNodata >= 0 && maxNodata <= 1)) {
            throw invalid("maxNodata", maxNodata, "must be between 0 and 1", "--max-nodata " + maxNodata
                    + " (data.maxNodata)");
        }
        if (ignoreValue != null && (ignoreValue < 0 || ignoreValue > 255)) {
            throw invalid("ignoreValue", ignoreValue, "masks are one byte per pixel; use 0..255, e.g. 255",
                    "--ignore-value " + ignoreValue + " (data.ignoreValue)");
        }
        task();
        edgeMode();
        splitConfig(0);
        return this;
    }

    /** Why a classification needs a label field; a {@link TilingException} with no value says it is not set. */
    private static final String NO_FIELD = "classification needs the attribute that holds each polygon's class";

    /** A bad value: the message is {@code named: problem}; front ends rename it from {@code setting}. */
    private static TilingException invalid(String setting, Object value, String problem, String named) {
        return new TilingException(setting, value, problem, named + ": " + problem);
    }

    private static TilingException unknown(String setting, String value, String problem) {
        return invalid(setting, value, problem, setting + " '" + value + "'");
    }

    /** @return the label task of {@code mode} */
    public LabelTask task() {
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "classification" -> LabelTask.CLASSIFICATION;
            case "segmentation" -> LabelTask.SEGMENTATION;
            default -> throw unknown("mode", mode, "unknown; use classification or segmentation");
        };
    }

    /** @return the edge mode of {@code edge} */
    public EdgeMode edgeMode() {
        try {
            return EdgeMode.valueOf(edge.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw unknown("edge", edge, "unknown; use drop, shift or pad");
        }
    }

    /** @return train/val/test fractions of {@code val} and {@code test} */
    public SplitRatios ratios() {
        if (!(val >= 0 && test >= 0 && val + test < 1)) {
            throw invalid("val", val, "val and test must each be >= 0 and sum below 1 (here " + (val + test)
                    + ") so that chips are left for training, e.g. val 0.2, test 0.1", "split fractions val " + val
                    + " / test " + test);
        }
        return new SplitRatios(1 - val - test, val, test);
    }

    /**
     * @param splitSeed the split seed
     * @return the split of {@code split}, {@code val}, {@code test} and {@code block}
     */
    public SplitConfig splitConfig(long splitSeed) {
        String kind = split.trim().toLowerCase(Locale.ROOT);
        if (kind.equals("none")) {
            return SplitConfig.allTrain();
        }
        return switch (kind) {
            case "spatial" -> SplitConfig.spatial(BlockGrid.parse(block), ratios(), splitSeed);
            case "random" -> SplitConfig.random(ratios(), splitSeed);
            default -> throw unknown("split", split, "unknown; use spatial, random or none");
        };
    }

    /** @return " (FILE: fields A, B, C)" of the label layer, or "" when it cannot be read */
    private String fieldsOf(VectorLayerPath labelLayer) {
        GdalPath labelPath = labelLayer.file();
        try (VectorSource v = VectorSource.open(labelPath, labelLayer.layer())) {
            boolean several = v.layerNames().size() > 1;
            String where = labelPath.fileName() + (several ? " layer '" + v.layerName() + "'" : "");
            String layers = several ? "--layer picks another of: " + String.join(", ", v.layerNames()) : "";
            return v.fieldNames().isEmpty() ? "; " + where + " has no fields" + (several ? " (" + layers + ")" : "")
                    : " (" + where + ": fields " + String.join(", ", v.fieldNames()) + (several ? "; " + layers : "")
                    + ")";
        } catch (GeoIOException e) {
            return ""; // the run reports what is wrong with the file once the field is given
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
