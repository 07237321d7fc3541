package io.geolightning.spark;

import java.io.Serializable;

/**
 * One scene of a predict job, as sent to an executor.
 *
 * @param index position in the scene list (0-based)
 * @param raster absolute path of the scene
 * @param output absolute path of its class raster
 */
public record PredictSceneSpec(int index, String raster, String output) implements Serializable {
    private static final long serialVersionUID = 1L;
}
