package io.geolightning.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One row of the predict job's summary table.
 *
 * @param index position in the scene list
 * @param scene the input raster
 * @param output the class raster (written when OK)
 * @param status OK or FAILED
 * @param error one line naming the scene, the problem and the fix (FAILED), else null
 * @param classNames the model's classes, index = class value
 * @param classPixels pixels per class, aligned with {@code classNames} (OK), else empty
 * @param classArea square metres per class, aligned with {@code classNames} (OK), else empty (in a geographic CRS
 *     each row's pixels measured at its latitude)
 * @param nodataPixels pixels without a class (input nodata)
 * @param pixelArea area of one pixel in square metres (in a geographic CRS, at the raster's central latitude)
 * @param crs the scene's CRS ("EPSG:n" or its name)
 * @param width raster columns
 * @param height raster rows
 * @param seconds wall time of the scene (prediction and counting)
 */
public record ScenePredictionOutcome(int index, String scene, String output, SceneStatus status, String error,
                                     List<String> classNames, List<Long> classPixels, List<Double> classArea,
                                     long nodataPixels, double pixelArea, String crs, int width, int height,
                                     double seconds)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public ScenePredictionOutcome {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        classPixels = classPixels == null ? List.of() : List.copyOf(classPixels);
        classArea = classArea == null ? List.of() : List.copyOf(classArea);
    }

    static ScenePredictionOutcome failed(PredictSceneSpec s, List<String> classes, String error, double seconds) {
        return new ScenePredictionOutcome(s.index(), s.raster(), s.output(), SceneStatus.FAILED, error, classes,
                List.of(), List.of(), 0, Double.NaN, null, 0, 0, seconds);
    }
}
