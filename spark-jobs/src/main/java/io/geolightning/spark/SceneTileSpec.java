package io.geolightning.spark;

import io.geolightning.tiling.TilingSettings;
import java.io.Serializable;

/**
 * One scene of a tile job, as sent to an executor.
 *
 * @param index position in the scene list (0-based); names the scene's part files
 * @param raster absolute path of the scene
 * @param where the list row it came from, for messages ("scenes.csv row 3")
 * @param settings how to tile it
 */
public record SceneTileSpec(int index, String raster, String where, TilingSettings settings) implements Serializable {
    private static final long serialVersionUID = 1L;
}
