package io.geolightning.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What a tile task did with one scene, sent back to the driver.
 *
 * @param index position in the scene list
 * @param raster the scene
 * @param status OK or FAILED
 * @param error the one-line error naming the scene (FAILED), else null
 * @param parts the scene's Parquet part files, now in the store folder (OK), in chip order
 * @param sidecarJson the scene's own chip-store sidecar as JSON (OK): classes, band statistics, row counts, ...
 * @param seconds wall time of the task for this scene
 */
public record SceneTileOutcome(int index, String raster, SceneStatus status, String error, List<String> parts,
                               String sidecarJson, double seconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the part list. */
    public SceneTileOutcome {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** @return a FAILED outcome */
    static SceneTileOutcome failed(int index, String raster, String error, double seconds) {
        return new SceneTileOutcome(index, raster, SceneStatus.FAILED, error, List.of(), null, seconds);
    }
}
