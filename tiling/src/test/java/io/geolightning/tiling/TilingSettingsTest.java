package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TilingSettingsTest {

    @Test
    void defaultsLiveInOnePlaceAndStrideFollowsTheChip() {
        TilingSettings d = TilingSettings.defaults();
        assertEquals(64, d.chipSize());
        assertEquals(64, d.resolvedStride());
        assertEquals(32, d.toBuilder().chipSize(32).build().resolvedStride(), "an unset stride follows the chip");
        assertEquals(42, d.resolvedSeed(TilingSettings.DEFAULT_SEED));
        TilingConfig c = d.toBuilder().labels("l.shp").labelField("F").block("5000m").build()
                .toTilingConfig(GdalPath.of("a.tif"), Path.of("s"), 7, 0);
        assertEquals(SplitConfig.Kind.SPATIAL, c.split().kind());
        assertEquals(BlockGrid.metres(5000), c.split().grid());
        assertEquals(7, c.split().seed());
        assertEquals(1, c.workers());
    }

    @Test
    void messagesNameTheFlagAndTheKey() {
        TilingSettings s = TilingSettings.builder().labels("l.shp").labelField("F").chipSize(0).build();
        TilingException e = assertThrows(TilingException.class,
                () -> s.toTilingConfig(GdalPath.of("a.tif"), Path.of("s"), 1, 1));
        assertEquals("--chip 0 (data.chipSize): must be at least 1 pixel, e.g. 64", e.getMessage());
        TilingSettings n = TilingSettings.builder().labels("l.shp").labelField("F").maxNodata(2.0).build();
        assertEquals("--max-nodata 2.0 (data.maxNodata): must be between 0 and 1", assertThrows(TilingException.class,
                () -> n.toTilingConfig(GdalPath.of("a.tif"), Path.of("s"), 1, 1)).getMessage());
    }

    /** A class named twice got two ids (tile exit 0, classes [URBANO, URBANO, RURAL]); a value mapped twice did not. */
    @Test
    void aClassNamedTwiceIsRefused() {
        TilingException e = assertThrows(TilingException.class, () -> TilingSettings.builder().labels("l.shp")
                .labelField("F").classes(java.util.List.of("URBANO", "URBANO", "RURAL")).build().check());
        assertEquals("classes", e.setting());
        assertEquals("class URBANO is named twice; name each class once", e.problem());
        TilingSettings.builder().labels("l.shp").labelField("F").classes(java.util.List.of("1=water", "2=water"))
                .build().check(); // two values of one class
    }
}
