package io.geolightning.spark;

import io.geolightning.geo.Polygonizer;
import io.geolightning.geo.RasterFormat;
import io.geolightning.models.predict.Blending;
import io.geolightning.models.predict.PredictOptions;
import java.awt.Color;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

/**
 * The prediction options of the predict job (the single-machine {@code geolightning predict} options), serializable
 * so they can travel to the executors, where they become the ScenePredictor's {@link PredictOptions}.
 *
 * @param windowSize window side, 0 = the model's chip size
 * @param overlap overlap of neighbouring windows, -1 = automatic
 * @param batchSize windows per forward pass
 * @param blending how overlapping windows are combined
 * @param format COG or GTIFF
 * @param overwrite replace class rasters that exist before the job starts
 * @param tta average each window over its eight flips and quarter turns (test-time augmentation)
 * @param polygons also polygonize each class raster into {@code <name>.gpkg} beside it, with these options; null =
 *     no polygons
 * @param colors class colours by class name or value, over the checkpoint's and the default palette
 */
public record PredictSettings(int windowSize, int overlap, int batchSize, Blending blending, RasterFormat format,
                              boolean overwrite, boolean tta, Polygonizer.Options polygons, Map<String, Color> colors)
        implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Validates through {@link PredictOptions} (one-line errors for bad values). */
    public PredictSettings {
        blending = blending == null ? Blending.TAPERED : blending;
        format = format == null ? RasterFormat.COG : format;
        colors = colors == null ? Map.of() : Map.copyOf(colors);
        options(windowSize, overlap, batchSize, blending, format, overwrite, tta, null, colors).build();
    }

    /**
     * @param windowSize window side, 0 = the model's chip size
     * @param overlap overlap of neighbouring windows, -1 = automatic
     * @param batchSize windows per forward pass
     * @param blending how overlapping windows are combined
     * @param format COG or GTIFF
     * @param overwrite replace class rasters that exist before the job starts
     * @param tta test-time augmentation
     * @param polygons polygon options, null = no polygons
     */
    public PredictSettings(int windowSize, int overlap, int batchSize, Blending blending, RasterFormat format,
                           boolean overwrite, boolean tta, Polygonizer.Options polygons) {
        this(windowSize, overlap, batchSize, blending, format, overwrite, tta, polygons, Map.of());
    }

    /**
     * @return the CLI's defaults: automatic window and overlap, batch 8, tapered blending, COG, no overwrite, no
     *     test-time augmentation
     */
    public static PredictSettings defaults() {
        return new PredictSettings(0, -1, 8, Blending.TAPERED, RasterFormat.COG, false, false, null);
    }

    /** @return a copy with {@code overwrite} set */
    public PredictSettings withOverwrite(boolean v) {
        return new PredictSettings(windowSize, overlap, batchSize, blending, format, v, tta, polygons, colors);
    }

    /** @return a copy with test-time augmentation on or off */
    public PredictSettings withTta(boolean v) {
        return new PredictSettings(windowSize, overlap, batchSize, blending, format, overwrite, v, polygons, colors);
    }

    /** @return a copy with these class colours (by class name or value) */
    public PredictSettings withColors(Map<String, Color> v) {
        return new PredictSettings(windowSize, overlap, batchSize, blending, format, overwrite, tta, polygons, v);
    }

    /** @return a copy that polygonizes each class raster with these options (null: no polygons) */
    public PredictSettings withPolygons(Polygonizer.Options v) {
        return new PredictSettings(windowSize, overlap, batchSize, blending, format, overwrite, tta, v, colors);
    }

    /**
     * @param classRaster a class raster the options are for
     * @return the polygon file of that raster, or null when the settings make none
     */
    public Path polygonsFor(Path classRaster) {
        return polygons == null ? null : Polygonizer.besideRaster(classRaster);
    }

    /**
     * @param area an area of interest whose polygons mask the output, or null
     * @param classRaster the class raster the options write (its polygons go beside it)
     * @return the predictor's options for it
     */
    public PredictOptions toOptions(io.geolightning.tiling.Region area, Path classRaster) {
        return options(windowSize, overlap, batchSize, blending, format, overwrite, tta, area, colors)
                .polygons(polygonsFor(classRaster)).polygonOptions(polygons).build();
    }

    /** @return the predictor's options */
    public PredictOptions toOptions() {
        return toOptions(null);
    }

    /**
     * @param area an area of interest whose polygons mask the output, or null
     * @return the predictor's options with it
     */
    public PredictOptions toOptions(io.geolightning.tiling.Region area) {
        return options(windowSize, overlap, batchSize, blending, format, overwrite, tta, area, colors).build();
    }

    private static PredictOptions.Builder options(int window, int overlap, int batch, Blending blending, RasterFormat format,
                                          boolean overwrite, boolean tta, io.geolightning.tiling.Region area,
                                          Map<String, Color> colors) {
        return PredictOptions.builder().windowSize(window).overlap(overlap).batchSize(batch).blending(blending)
                .format(format).overwrite(overwrite).tta(tta).area(area).colors(colors);
    }
}
