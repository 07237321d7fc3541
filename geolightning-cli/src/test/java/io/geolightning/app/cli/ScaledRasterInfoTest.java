package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.foundation.testing.Quadrants;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raster whose bands declare a GDAL scale and offset (gdal_translate -a_scale / -a_offset, as reflectance products
 * carry them): info shows them and says they are not applied; tile reads the stored values, as rasterio does, so
 * the chips and band statistics are those of the same raster without them.
 */
class ScaledRasterInfoTest {

    @TempDir
    Path tmp;

    @Test
    void scaleAndOffsetAreShownAndNotApplied() throws Exception {
        Path olinda = CliRun.sample("olinda/L7_ETMs.tif");
        Quadrants.gdal("gdal_translate", "-q", "-a_scale", "0.0001", "-a_offset", "-0.1", olinda.toString(),
                tmp.resolve("scaled.tif").toString());
        Path scaled = tmp.resolve("scaled.tif");
        CliRun info = CliRun.of("info", scaled);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("scale/offset: 0.0001 / -0.1 (all bands); not applied: tile, train and predict"
                + " read the stored values (gdal_translate -unscale -ot Float32 applies them)"), info.out());
        CliRun plain = CliRun.of("info", olinda);
        assertFalse(plain.out().contains("scale/offset"), plain.out());
        ChipStoreMetadata[] stores = new ChipStoreMetadata[2];
        Path[] rasters = {olinda, scaled};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("chips-" + i);
            CliRun tile = CliRun.of("tile", "--raster", rasters[i], "--labels", CliRun.sample("olinda/olinda1.shp"),
                    "--label-field", "TIPO", "--chip", 16, "--split", "random", "--seed", 3, "--out", out);
            assertEquals(0, tile.code(), tile.err());
            stores[i] = ChipStoreReader.open(out).metadata();
        }
        assertEquals(stores[0].dtype(), stores[1].dtype());
        assertTrue(Arrays.equals(stores[0].bandStatistics().mean(), stores[1].bandStatistics().mean()));
        assertTrue(stores[1].bandStatistics().mean()[0] > 50, "digital numbers, not reflectance");
    }
}
