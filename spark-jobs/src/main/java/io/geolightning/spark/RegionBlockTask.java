package io.geolightning.spark;

import io.geolightning.geo.PixelWindow;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.tiling.RegionRaster;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Executor side of region prediction: a partition of blocks of one region raster. The region is opened once per
 * partition (GDAL rebuilds the same mosaic from the same files and grid) and the model is borrowed from the per-JVM
 * {@link ModelCache}; each block goes through {@link ScenePredictor#predict(io.geolightning.geo.GeoRaster,
 * PixelWindow, Path, PredictOptions)}, which writes the block's class GeoTIFF under a temporary name and renames it,
 * so a retried task (a lost executor) simply writes its blocks again.
 */
final class RegionBlockTask {

    /**
     * One block to predict.
     *
     * @param index position in the block list
     * @param window the block, in the region raster's pixels
     * @param output its class GeoTIFF
     */
    record Block(int index, PixelWindow window, String output) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A predicted block.
     *
     * @param index position in the block list
     * @param windows model windows run
     * @param seconds wall time
     */
    record Done(int index, long windows, double seconds) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private RegionBlockTask() {
    }

    static Iterator<Done> run(Iterator<Block> blocks, RegionRaster region, Path checkpoint, PredictOptions options,
                              int torchThreads) {
        List<Block> todo = new ArrayList<>();
        blocks.forEachRemaining(todo::add);
        List<Done> out = new ArrayList<>();
        if (todo.isEmpty()) {
            return out.iterator();
        }
        NativeLibraries.requireGdal();
        try (ModelCache.Lease lease = ModelCache.borrow(checkpoint, torchThreads);
             RegionRaster.Opened in = region.open()) {
            ScenePredictor predictor = new ScenePredictor(lease.model());
            for (Block b : todo) {
                long t0 = System.nanoTime();
                long windows = predictor.predict(in.raster(), b.window(), Path.of(b.output()), options).windows();
                out.add(new Done(b.index(), windows, (System.nanoTime() - t0) / 1e9));
            }
        }
        return out.iterator();
    }
}
