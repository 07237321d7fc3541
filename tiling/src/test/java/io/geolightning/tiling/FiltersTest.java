package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiltersTest {
    @TempDir
    Path tmp;

    static double nodataFraction(ChipRow r) {
        int n = r.width() * r.height();
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (r.pixels()[i] == 0 && r.pixels()[n + i] == 0 && r.pixels()[2 * n + i] == 0) {
                bad++;
            }
        }
        return bad / (double) n;
    }

    @Test
    void nodataThresholdSkipsChipsAndStatsIgnoreNodata() {
        Path rgb = TestData.data("rgb-byte/RGB.byte.tif");
        TilingResult all = Tiler.run(TilingConfig.builder().scenes(rgb).chipSize(64).maxNodataFraction(1.0)
                .split(null).store(tmp.resolve("all.parquet")).build());
        TilingResult strict = Tiler.run(TilingConfig.builder().scenes(rgb).chipSize(64).maxNodataFraction(0.25)
                .store(tmp.resolve("strict.parquet")).build());
        assertEquals(12 * 11, all.written());
        assertTrue(strict.written() < all.written() - 20, strict.written() + " vs " + all.written());
        assertEquals(all.written() - strict.written(), strict.skippedNodata());
        List<ChipRow> rows = new ArrayList<>();
        ChipStoreReader.open(tmp.resolve("strict.parquet")).forEach(rows::add);
        for (ChipRow r : rows) {
            assertTrue(nodataFraction(r) <= 0.25, r.chipId());
        }
        assertEquals(0.0, strict.metadata().nodata().get(0));
        assertEquals("predict", rows.get(0).split().id());
    }

    @Test
    void nodataScanAgreesWithGeoIo() {
        try (io.geolightning.geo.GeoRaster r = io.geolightning.geo.GeoRaster.open(TestData.data("rgb-byte/RGB.byte.tif"))) {
            Double[] nd = {0.0, 0.0, 0.0};
            int partial = 0;
            for (Chip c : new ChipGrid(48, 40, EdgeMode.DROP).chips(r)) {
                io.geolightning.geo.RasterWindow w = r.read(c.window());
                double ours = NodataScan.fraction(w.bytes(), ChipDataType.UINT8, 3, 48 * 48, nd);
                assertEquals(w.nodataFraction(), ours, 1e-12, c.id());
                partial += ours > 0 && ours < 1 ? 1 : 0;
            }
            assertTrue(partial > 10, "windows with some nodata: " + partial);
        }
    }

    @Test
    void negativeSurvivalIsSeededAndDropsOnlyNegatives() {
        Path img = TestData.data("massachusetts/22978945_15.tif");
        LabelConfig labels = LabelConfig.segmentation(TestData.data("massachusetts/buildings_22978945_15.gpkg"), null);
        TilingConfig.Builder b = TilingConfig.builder().scenes(img).labels(labels).chipSize(64).workers(2);
        TilingResult keepAll = Tiler.run(b.store(tmp.resolve("a.parquet")).build());
        TilingResult none = Tiler.run(b.negativeSurvival(0, 1).store(tmp.resolve("b.parquet")).build());
        TilingResult half1 = Tiler.run(b.negativeSurvival(0.5, 1).store(tmp.resolve("c.parquet")).build());
        TilingResult half2 = Tiler.run(b.negativeSurvival(0.5, 1).store(tmp.resolve("d.parquet")).build());
        long negatives = none.droppedNegatives();
        assertTrue(negatives > 10, "negatives: " + negatives);
        assertEquals(keepAll.written() - negatives, none.written());
        ChipStoreReader.open(tmp.resolve("b.parquet")).forEach(r -> {
            boolean any = false;
            for (byte v : r.mask()) {
                any |= v != 0;
            }
            assertTrue(any, r.chipId() + " is negative but survived p = 0");
        });
        assertEquals(half1.written(), half2.written(), "seeded");
        assertTrue(half1.droppedNegatives() > 0 && half1.droppedNegatives() < negatives,
                half1.droppedNegatives() + " of " + negatives);
    }
}
