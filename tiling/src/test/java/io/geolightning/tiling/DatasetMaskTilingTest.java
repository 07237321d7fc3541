package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.WarpOptions;
import org.gdal.gdal.gdal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raster's per-dataset mask (here the alpha band gdalwarp gives a reprojected scene, transparent in its corners)
 * counts in the nodata filter and the band statistics of chips inside the raster, not only of chips crossing its
 * edge: with no nodata allowed no written chip holds a transparent pixel, and the statistics count exactly the opaque
 * pixels of the training chips (the black under the transparency used to enter both). The masks of the chips kept
 * with some transparent pixels give those the ignore value (255, or the one given), so that neither the loss nor the
 * metrics count them as background.
 */
class DatasetMaskTilingTest {

    @Test
    void transparentPixelsAreNoData(@TempDir Path tmp) {
        Gdal.ensureInitialised();
        Path rgba = tmp.resolve("rgba.tif");
        Dataset src = gdal.Open(TestData.data("massachusetts/22978945_15.tif").toString());
        gdal.Warp(rgba.toString(), new Dataset[] {src}, new WarpOptions(new Vector<>(List.of("-t_srs", "EPSG:4326",
                "-dstalpha")))).delete();
        src.delete();
        LabelConfig buildings = LabelConfig.segmentation(TestData.data("massachusetts/buildings_22978945_15.gpkg"),
                null);
        for (double maxNodata : new double[] {0, 0.5, 0.6}) {
            Path store = tmp.resolve("store-" + maxNodata);
            Integer ignore = maxNodata == 0.6 ? 200 : null; // the user's ignore value, or none (255)
            TilingResult r = Tiler.run(TilingConfig.builder().scenes(rgba).labels(buildings.withIgnoreValue(ignore))
                    .chipSize(64).maxNodataFraction(maxNodata).split(SplitConfig.random(new SplitRatios(0.7, 0.2, 0.1),
                            3)).store(store).build());
            List<ChipRow> rows = new ArrayList<>();
            ChipStoreReader.open(store).forEach(rows::add);
            long opaqueTrain = 0;
            long transparentWritten = 0;
            long buildingPixels = 0;
            try (GeoRaster raster = GeoRaster.open(rgba)) {
                for (ChipRow row : rows) {
                    byte[] alpha = raster.read(new PixelWindow(row.x(), row.y(), row.width(), row.height()), 4)
                            .bytes();
                    long opaque = 0;
                    for (int p = 0; p < alpha.length; p++) {
                        opaque += alpha[p] == 0 ? 0 : 1;
                        int label = row.mask()[p] & 0xFF;
                        if (alpha[p] == 0) {
                            assertEquals(ignore == null ? 255 : ignore, label, "a transparent pixel is ignored");
                        } else {
                            assertTrue(label <= 1, "an opaque pixel keeps its class: " + label);
                            buildingPixels += label;
                        }
                    }
                    transparentWritten += alpha.length - opaque;
                    opaqueTrain += row.split() == Split.TRAIN ? opaque : 0;
                }
            }
            if (maxNodata == 0) {
                assertTrue(r.skippedNodata() > 0, "the corner chips hold transparent pixels: " + r);
                assertEquals(0, transparentWritten, "no written chip holds a transparent pixel");
            } else {
                assertTrue(transparentWritten > 0, "some kept chips reach into the transparent corners");
            }
            assertTrue(buildingPixels > 10_000, "buildings are burnt: " + buildingPixels);
            for (long count : r.metadata().bandStatistics().count()) {
                assertEquals(opaqueTrain, count, "statistics over the opaque pixels of training chips");
            }
        }
    }
}
