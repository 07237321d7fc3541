package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Crs;
import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelSet;
import io.geolightning.tiling.labels.SceneLabels;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;

class ChipGridTest {

    @Test
    void gridIsAlignedToPixelsWithStrideAndEdgeModes() {
        try (GeoRaster r = GeoRaster.open(TestData.data("olinda/L7_ETMs.tif"))) {
            List<Chip> drop = ChipGrid.of(32).chips(r);
            assertEquals(10 * 11, drop.size());
            assertEquals(new PixelWindow(32, 0, 32, 32), drop.get(1).window());
            Chip c = drop.get(12);
            var ul = r.geoTransform().pixelToMap(c.x(), c.y());
            assertEquals(ul.x, c.bounds().getMinX(), 1e-6);
            assertEquals(ul.y, c.bounds().getMaxY(), 1e-6);
            assertEquals(32 * r.geoTransform().pixelSizeX(), c.bounds().getWidth(), 1e-6);

            List<Chip> overlap = new ChipGrid(32, 16, EdgeMode.DROP).chips(r);
            assertEquals(20 * 21, overlap.size(), "stride 16: (349-32)/16+1 = 20 columns, (352-32)/16+1 = 21 rows");

            List<Chip> shift = new ChipGrid(32, 32, EdgeMode.SHIFT).chips(r);
            assertEquals(11 * 11, shift.size());
            assertTrue(shift.stream().anyMatch(ch -> ch.x() == 349 - 32), "last column flush with the edge");
            assertTrue(shift.stream().allMatch(ch -> ch.x() + 32 <= 349 && ch.y() + 32 <= 352));

            List<Chip> pad = new ChipGrid(32, 32, EdgeMode.PAD).chips(r);
            assertEquals(11 * 11, pad.size());
            assertTrue(pad.stream().anyMatch(ch -> ch.x() == 320 && ch.x() + 32 > 349), "padded past the edge");
            Set<String> ids = new HashSet<>();
            pad.forEach(ch -> ids.add(ch.id()));
            assertEquals(pad.size(), ids.size(), "unique ids");
        }
    }

    @Test
    void regionInAnotherCrsIsTransformedIntoTheRasterCrs() {
        try (GeoRaster r = GeoRaster.open(TestData.data("olinda/L7_ETMs.tif"))) {
            Envelope utm = new Envelope(r.bounds().getMinX() + 3000, r.bounds().getMinX() + 6000,
                    r.bounds().getMaxY() - 6000, r.bounds().getMaxY() - 3000);
            Crs wgs84 = Crs.fromEpsg(4326);
            Envelope lonLat = CrsTransform.of(r.requireCrs(), wgs84).transform(utm);
            List<Chip> chips = ChipGrid.of(16).chips(r, lonLat, wgs84);
            assertTrue(chips.size() >= 36, "about 105x105 px region: " + chips.size());
            PixelWindow area = ChipGrid.regionWindow(r, lonLat, wgs84);
            for (Chip c : chips) {
                assertTrue(area.contains(c.window()), c.id());
                assertEquals(0, c.x() % 16, "aligned to the raster grid");
            }
        }
    }

    @Test
    void randomSamplerIsSeededUniformAndCanRequireLabels() {
        try (GeoRaster r = GeoRaster.open(TestData.data("rgb-byte/RGB.byte.tif"))) {
            RandomChipSampler s = new RandomChipSampler(64, 50, 9);
            List<Chip> a = s.sample(r);
            List<Chip> b = s.sample(r);
            assertEquals(a, b, "same seed, same chips");
            assertNotEquals(a, new RandomChipSampler(64, 50, 10).sample(r));
            double meanX = a.stream().mapToInt(Chip::x).average().orElse(0);
            assertEquals((791 - 64) / 2.0, meanX, 120, "roughly uniform");
            assertTrue(a.stream().allMatch(c -> c.x() >= 0 && c.x() + 64 <= 791 && c.y() + 64 <= 718));
        }
        try (GeoRaster r = GeoRaster.open(TestData.data("massachusetts/22978945_15.tif"))) {
            SceneLabels labels = new SceneLabels(LabelSet.load(LabelConfig.segmentation(
                    TestData.data("massachusetts/buildings_22978945_15.gpkg"), null)), r);
            List<Chip> withLabels = new RandomChipSampler(32, 40, 1).sample(r, r.extent(), labels::overlaps);
            assertEquals(40, withLabels.size());
            assertTrue(withLabels.stream().allMatch(labels::overlaps));
        }
    }

    /**
     * A box in EPSG:4326 written latitudes first (the CRS's own axis order, which GIS software does not follow) misses
     * the raster: the message says x and y look swapped and gives the box that overlaps; a box that misses either way
     * gets no such hint. It said only "does not overlap".
     */
    @Test
    void aLatitudeFirstBoxIsSaidToLookSwapped() {
        try (GeoRaster l7 = GeoRaster.open(TestData.data("olinda/L7_ETMs.tif"))) {
            Crs wgs84 = Crs.fromEpsg(4326);
            String m = assertThrows(TilingException.class, () -> ChipGrid.regionWindow(l7,
                    new Envelope(-8.03, -7.98, -34.9, -34.85), wgs84)).getMessage();
            assertTrue(m.contains("does not overlap") && m.endsWith("(x and y look swapped: a box in a geographic CRS"
                    + " is written longitudes first, minlon,minlat,maxlon,maxlat, as GIS software writes it whatever"
                    + " the axis order of the CRS's definition; --bbox -34.9,-8.03,-34.85,-7.98,EPSG:4326 overlaps the"
                    + " raster)"), m);
            String far = assertThrows(TilingException.class, () -> ChipGrid.regionWindow(l7,
                    new Envelope(0, 1, 0, 1), wgs84)).getMessage();
            assertFalse(far.contains("swapped"), far);
            assertTrue(ChipGrid.regionWindow(l7, new Envelope(-34.9, -34.85, -8.03, -7.98), wgs84).area() > 10_000,
                    "the box the hint gives is inside the raster");
        }
    }
}
