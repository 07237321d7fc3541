package io.geolightning.tiling;

import io.geolightning.tiling.labels.LabelTask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.BlockKey;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Olinda (Landsat-7, UTM) + census polygons (geographic): URBANO/RURAL classification chips. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OlindaClassificationTest {
    static final BlockGrid BLOCKS = BlockGrid.chips(3);

    Path store;
    TilingResult result;
    List<ChipRow> rows = new ArrayList<>();

    @BeforeAll
    void tile(@TempDir Path tmp) {
        store = tmp.resolve("olinda.parquet");
        result = Tiler.run(TilingConfig.builder()
                .scenes(TestData.data("olinda/L7_ETMs.tif"))
                .labels(LabelConfig.classification(TestData.data("olinda/olinda1.shp"), "TIPO"))
                .chipSize(32)
                .split(SplitConfig.spatial(BLOCKS, new SplitRatios(0.6, 0.2, 0.2), 7))
                .store(store)
                .workers(2)
                .build());
        ChipStoreReader.open(store).forEach(rows::add);
    }

    @Test
    void labelsAreReprojectedAndBothClassesPresent() {
        try (VectorSource v = VectorSource.open(TestData.data("olinda/olinda1.shp"));
             GeoRaster r = GeoRaster.open(TestData.data("olinda/L7_ETMs.tif"))) {
            assertTrue(v.requireCrs().isGeographic(), "labels are lon/lat, raster is UTM: reprojection is exercised");
            assertFalse(v.requireCrs().isEquivalent(r.requireCrs()));
        }
        ChipStoreMetadata m = result.metadata();
        assertEquals(List.of("RURAL", "URBANO"), m.classNames());
        assertEquals(LabelTask.CLASSIFICATION, m.task());
        assertEquals(10 * 11, result.candidates());
        assertEquals(rows.size(), result.written());
        long urban = rows.stream().filter(r -> r.label() == 1).count();
        long rural = rows.stream().filter(r -> r.label() == 0).count();
        assertTrue(urban > 5 && rural > 5, "urban " + urban + ", rural " + rural);
        assertEquals(6, rows.get(0).bands());
        assertEquals(32, rows.get(0).width());
    }

    @Test
    void spatialSplitSharesNoBlockBetweenSplits() {
        Map<BlockKey, Split> owner = new HashMap<>();
        Map<Split, Integer> n = new HashMap<>();
        for (ChipRow r : rows) {
            n.merge(r.split(), 1, Integer::sum);
            for (BlockKey k : BLOCKS.blocksTouched(r)) {
                Split prev = owner.putIfAbsent(k, r.split());
                assertTrue(prev == null || prev == r.split(), "block " + k + " in " + prev + " and " + r.split());
            }
        }
        assertEquals(3, n.size(), "train, val and test all present: " + n);
        assertTrue(n.get(Split.TRAIN) > n.get(Split.VAL) && n.get(Split.TRAIN) > n.get(Split.TEST), n.toString());
        assertEquals(result.metadata().rows("train"), (long) n.get(Split.TRAIN));
    }

    @Test
    void statisticsComeFromTrainChipsOnly() {
        BandStatistics saved = result.metadata().bandStatistics();
        BandStatisticsAccumulator train = new BandStatisticsAccumulator(6, ChipDataType.UINT8, null);
        BandStatisticsAccumulator all = new BandStatisticsAccumulator(6, ChipDataType.UINT8, null);
        for (ChipRow r : rows) {
            all.add(r.pixels(), 32 * 32);
            if (r.split() == Split.TRAIN) {
                train.add(r.pixels(), 32 * 32);
            }
        }
        assertEquals(train.result(), saved, "sidecar stats = recomputation over train chips, bit for bit");
        assertNotEquals(all.result(), saved);
        assertNotEquals(all.result().mean()[0], saved.mean()[0]);
        assertEquals(result.metadata().rows("train") * 32 * 32, saved.count()[0]);
    }

    @Test
    void storeRoundTripsPixelExact() {
        try (GeoRaster r = GeoRaster.open(TestData.data("olinda/L7_ETMs.tif"))) {
            for (ChipRow row : rows) {
                byte[] expected = r.read(new io.geolightning.geo.PixelWindow(row.x(), row.y(), 32, 32)).asBytes();
                assertArrayEquals(expected, row.pixels(), row.chipId());
                assertNull(row.mask());
                assertEquals("EPSG:31985", row.crs());
            }
        }
    }

    @Test
    void nonJavaReaderAgrees() throws Exception {
        assumeTrue(NodeParquetCheck.available(), "scripts/parquet-check/node_modules missing (run scripts/setup)");
        JsonNode js = NodeParquetCheck.run(store);
        assertEquals(rows.size(), js.get("rows").asLong());
        assertEquals(rows.stream().mapToLong(ChipRow::label).sum(), js.get("labelSum").asLong());
        assertEquals(rows.size(), js.get("labelCount").asLong());
        long pixelSum = 0;
        for (ChipRow r : rows) {
            for (byte b : r.pixels()) {
                pixelSum += b & 0xFF;
            }
        }
        assertEquals(pixelSum, js.get("pixelSum").asLong());
        assertEquals(result.metadata().rows("val"), js.get("splits").get("val").asLong());
    }
}
