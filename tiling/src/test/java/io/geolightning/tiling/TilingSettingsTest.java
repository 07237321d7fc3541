package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import java.nio.file.Path;
import java.util.List;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A classification without --label-field lists the label layer's fields, so the user can pick one without
     * ogrinfo (it said only that a field is needed); in a file of several layers it names the layer read and the
     * others (a GeoPackage whose first layer, an area of interest, has no fields at all).
     */
    @Test
    void aMissingLabelFieldListsTheLayersFields(@TempDir Path tmp) {
        Path shp = TestData.data("olinda/olinda1.shp");
        TilingSettings s = TilingSettings.builder().labels(shp.toString()).build();
        TilingException e = assertThrows(TilingException.class,
                () -> s.toTilingConfig(GdalPath.of("a.tif"), Path.of("s"), 1, 1));
        assertEquals("labelField", e.setting());
        assertTrue(e.problem().endsWith("(olinda1.shp: fields ID, CD_GEOCODI, TIPO, CD_GEOCODB, NM_BAIR, V014)"),
                e.problem());
        Path gpkg = LabelLayers.write(tmp.resolve("two.gpkg"), "aoi", 31985, "note", ogrConstants.OFTString,
                List.of(LabelLayers.olindaSquare(0, 0, 1000)), List.of("x"));
        DataSource ds = ogr.Open(gpkg.toString(), 1);
        DataSource tracts = ogr.Open(shp.toString());
        try {
            ds.CopyLayer(tracts.GetLayer(0), "tracts");
            ds.GetLayer(0).DeleteField(0);
        } finally {
            tracts.delete();
            ds.delete();
        }
        TilingSettings first = TilingSettings.builder().labels(gpkg.toString()).build();
        assertTrue(assertThrows(TilingException.class, () -> first.toTilingConfig(GdalPath.of("a.tif"), Path.of("s"),
                1, 1)).problem().endsWith("; two.gpkg layer 'aoi' has no fields (--layer picks another of: aoi,"
                + " tracts)"));
        TilingSettings named = first.toBuilder().layer("tracts").build();
        assertTrue(assertThrows(TilingException.class, () -> named.toTilingConfig(GdalPath.of("a.tif"), Path.of("s"),
                1, 1)).problem().contains("(two.gpkg layer 'tracts': fields ID, CD_GEOCODI, TIPO"));
    }
}
