package io.geolightning.models.predict;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ScenePredictor#predict} wrote and how.
 *
 * @param classes the class raster (uint8, nodata 255)
 * @param probabilities the probability raster, or null
 * @param polygons the class raster's polygons, or null
 * @param width raster columns
 * @param height raster rows
 * @param windowSize window side used
 * @param overlap overlap used
 * @param windows windows in the grid
 * @param windowsSkipped windows skipped because all their pixels were nodata
 * @param stripBufferBytes bytes of the prediction strip (the largest buffer; independent of the raster's height)
 * @param seconds wall time
 * @param warnings one-line warnings about the input (a raster not on the training data's scale), also logged
 */
public record PredictionResult(Path classes, Path probabilities, Path polygons, int width, int height,
                               int windowSize, int overlap, long windows, long windowsSkipped, long stripBufferBytes,
                               double seconds, List<String> warnings) {

    /** Copies the warnings. */
    public PredictionResult {
        warnings = List.copyOf(warnings);
    }

    /**
     * @param path the polygons written
     * @return this result with them
     */
    PredictionResult withPolygons(Path path) {
        return new PredictionResult(classes, probabilities, path, width, height, windowSize, overlap, windows,
                windowsSkipped, stripBufferBytes, seconds, warnings);
    }
}
