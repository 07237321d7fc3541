package io.geolightning.spark;

import io.geolightning.tiling.TilingSettings;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.TargetGrid;
import io.geolightning.tiling.Region;
import java.io.Serializable;
import java.util.List;

/**
 * One scene of a tile job, as sent to an executor.
 *
 * @param index position in the scene list (0-based); names the scene's part files
 * @param raster absolute path of the scene
 * @param where the list row it came from, for messages ("scenes.csv row 3")
 * @param settings how to tile it
 * @param block for a region split into blocks: the region and this task's block, else null
 */
public record SceneTileSpec(int index, String raster, String where, TilingSettings settings, RegionBlock block)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One block of a region tiled by several tasks: every task places and splits the whole region's chips and writes
     * those whose top-left pixel lies in its block.
     *
     * @param files the region's rasters (GDAL paths)
     * @param grid the grid they are read on (null: one raster on its own grid)
     * @param area the box or AOI chips must meet, or null
     * @param stackBands the files are single-band files stacked as bands
     * @param window the block, in pixels of the region's grid
     */
    public record RegionBlock(List<String> files, TargetGrid grid, Region area, boolean stackBands, PixelWindow window)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Copies the list. */
        public RegionBlock {
            files = List.copyOf(files);
        }
    }
}
