package io.geolightning.models.predict;

import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.Polygonizer;
import io.geolightning.geo.RasterFormat;
import io.geolightning.models.nn.ModelException;
import java.awt.Color;
import io.geolightning.tiling.Region;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Options of {@link ScenePredictor#predict}.
 *
 * @param windowSize window side in pixels; 0 = the model's chip size (a segmenter also accepts larger windows, a
 *     classifier only its chip size)
 * @param overlap pixels shared by neighbouring windows, below the window size; -1 = automatic (half the window for a
 *     classifier, a quarter for a segmenter)
 * @param batchSize windows per forward pass
 * @param blending how overlapping windows are combined
 * @param probabilities whether to write a per-class probability raster as well
 * @param probabilitiesPath where to write it; null = next to the output, {@code <name>_probabilities.tif}
 * @param bands 1-based raster bands to feed the model, in model order; empty = all bands
 * @param colors colours of the class raster's palette, legend and QGIS style, by class name or class value ("URBANO" or
 *     "1"); classes not listed get the default palette's colour; a key naming no class of the model is refused when
 *     predicting
 * @param format COG (default) or GTIFF
 * @param overwrite replace existing outputs
 * @param allowPadding classify a raster smaller than the window (mostly padding) instead of refusing it
 * @param tta average each window's probabilities over its eight flips and quarter turns (test-time augmentation,
 *     eight times the compute)
 * @param area an area of interest: with polygons ({@link Region#aoi()}), pixels outside them are nodata and windows
 *     that miss them are not run; null (or a box) = every pixel of the raster
 * @param polygons also polygonize the class raster into this vector file (.gpkg, .geojson or .fgb; one feature per
 *     region with its class and name, {@link Polygonizer}); null = no polygons. Made by the whole-scene
 *     {@link ScenePredictor#predict(io.geolightning.geo.GeoRaster, Path, PredictOptions)} and by
 *     {@link ScenePredictor#assemble}, not per block
 * @param polygonOptions connectivity, minimum area and simplification of the polygons
 */
public record PredictOptions(int windowSize, int overlap, int batchSize, Blending blending,
                             ProbabilityOutput probabilities, Path probabilitiesPath, List<Integer> bands,
                             Map<String, Color> colors, RasterFormat format, boolean overwrite,
                             boolean allowPadding, boolean tta, Region area, Path polygons,
                             Polygonizer.Options polygonOptions) {

    /** Validates the values. */
    public PredictOptions {
        if (windowSize < 0) {
            throw new PredictOptionException("--window " + windowSize + ": negative; pass 0 for the model's chip size"
                    + " or a positive size");
        }
        if (overlap < -1 || (windowSize > 0 && overlap >= windowSize)) {
            throw new PredictOptionException("--overlap " + overlap + ": must be -1 (automatic) or 0.."
                    + (windowSize > 0 ? windowSize - 1 : "the window size - 1") + "; pass a smaller overlap");
        }
        if (batchSize < 1) {
            throw new PredictOptionException("--batch-size " + batchSize + ": must be at least 1; pass e.g. 8");
        }
        blending = blending == null ? Blending.TAPERED : blending;
        probabilities = probabilities == null ? ProbabilityOutput.NONE : probabilities;
        bands = bands == null ? List.of() : List.copyOf(bands);
        for (int b : bands) {
            if (b < 1) {
                throw new PredictOptionException("--bands " + bands.stream().map(String::valueOf).collect(
                        java.util.stream.Collectors.joining(",")) + ": band " + b + " does not exist; bands are"
                        + " numbered from 1");
            }
        }
        colors = colors == null ? Map.of() : Map.copyOf(colors);
        format = format == null ? RasterFormat.COG : format;
        polygonOptions = polygonOptions == null ? Polygonizer.Options.DEFAULTS : polygonOptions;
        if (polygons != null) {
            try {
                Polygonizer.checkOutput(polygons);
            } catch (GeoIOException e) {
                throw new PredictOptionException("--polygons " + e.getMessage());
            }
        }
    }

    /** @return automatic window and overlap, batch 8, tapered blending, no probabilities, COG, no overwrite */
    public static PredictOptions defaults() {
        return builder().build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param chipSize the model's chip size
     * @return the window side to use
     */
    int resolvedWindow(int chipSize) {
        return windowSize == 0 ? chipSize : windowSize;
    }

    /**
     * @param window the window side in use
     * @param classifier whether the model classifies whole windows
     * @return the overlap to use
     */
    int resolvedOverlap(int window, boolean classifier) {
        if (overlap >= 0) {
            if (overlap >= window) {
                throw new PredictOptionException("--overlap " + overlap + ": not below the window size " + window
                        + "; pass a smaller overlap");
            }
            return overlap;
        }
        return classifier ? window / 2 : window / 4;
    }

    /** Builder of {@link PredictOptions}. */
    public static final class Builder {
        private int windowSize;
        private int overlap = -1;
        private int batchSize = 8;
        private Blending blending = Blending.TAPERED;
        private ProbabilityOutput probabilities = ProbabilityOutput.NONE;
        private Path probabilitiesPath;
        private List<Integer> bands = List.of();
        private Map<String, Color> colors = Map.of();
        private RasterFormat format = RasterFormat.COG;
        private Path polygons;
        private Polygonizer.Options polygonOptions = Polygonizer.Options.DEFAULTS;
        private boolean overwrite;
        private boolean allowPadding;
        private Region area;
        private boolean tta;

        private Builder() {
        }

        /** @param v window side, 0 = chip size @return this */
        public Builder windowSize(int v) {
            windowSize = v;
            return this;
        }

        /** @param v overlap in pixels, -1 = automatic @return this */
        public Builder overlap(int v) {
            overlap = v;
            return this;
        }

        /** @param v windows per forward pass @return this */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** @param v blending of overlapping windows @return this */
        public Builder blending(Blending v) {
            blending = v;
            return this;
        }

        /** @param v probability raster kind @return this */
        public Builder probabilities(ProbabilityOutput v) {
            probabilities = v;
            return this;
        }

        /** @param v probability raster path @return this */
        public Builder probabilitiesPath(Path v) {
            probabilitiesPath = v;
            return this;
        }

        /** @param v 1-based bands in model order @return this */
        public Builder bands(List<Integer> v) {
            bands = v;
            return this;
        }

        /** @param v class colours @return this */
        public Builder colors(Map<String, Color> v) {
            colors = v;
            return this;
        }

        /** @param v COG or GTIFF @return this */
        public Builder format(RasterFormat v) {
            format = v;
            return this;
        }

        /** @param v replace existing outputs @return this */
        public Builder overwrite(boolean v) {
            overwrite = v;
            return this;
        }

        /** @param v classify rasters smaller than the window, padded, instead of refusing them @return this */
        public Builder allowPadding(boolean v) {
            allowPadding = v;
            return this;
        }

        /** @param v average over the eight flips and quarter turns of each window @return this */
        public Builder tta(boolean v) {
            tta = v;
            return this;
        }

        /** @param v an area of interest whose polygons mask the output (null: none) @return this */
        public Builder area(Region v) {
            area = v;
            return this;
        }

        /** @param v vector file to polygonize the class raster into (null: none) @return this */
        public Builder polygons(Path v) {
            polygons = v;
            return this;
        }

        /** @param v connectivity, minimum area and simplification of the polygons @return this */
        public Builder polygonOptions(Polygonizer.Options v) {
            polygonOptions = v;
            return this;
        }

        /** @return the validated options */
        public PredictOptions build() {
            return new PredictOptions(windowSize, overlap, batchSize, blending, probabilities, probabilitiesPath,
                    bands, colors, format, overwrite, allowPadding, tta, area, polygons, polygonOptions);
        }
    }
}
