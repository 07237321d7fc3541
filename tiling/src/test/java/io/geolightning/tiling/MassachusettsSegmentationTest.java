package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import com.fasterxml.jackson.databind.JsonNode;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterizeOptions;
import io.geolightning.geo.Rasterizer;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.data.Augmentation;
import io.geolightning.tiling.data.ChipFolds;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.trainer.Stage;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreOptions;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Massachusetts 1 m RGB + building footprints: 64x64 segmentation chips through the data module. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MassachusettsSegmentationTest {
    Path store;
    TilingConfig tiling;
    SatelliteDataModule dm;
    List<ChipRow> rows = new ArrayList<>();

    @BeforeAll
    void tile(@TempDir Path tmp) {
        store = tmp.resolve("mass-store");
        tiling = TilingConfig.builder()
                .scenes(TestData.data("massachusetts/22978945_15.tif"))
                .labels(LabelConfig.segmentation(TestData.data("massachusetts/buildings_22978945_15.gpkg"), null)
                        .withClassNames(List.of("building")))
                .chipSize(64)
                .split(SplitConfig.random(new SplitRatios(0.7, 0.15, 0.15), 3))
                .store(store)
                .storeOptions(ChipStoreOptions.defaults().withCodec(CompressionCodecName.ZSTD).withRowsPerPart(100))
                .workers(2)
                .build();
        dm = new SatelliteDataModule(SatelliteDataModule.Config.tile(tiling, LoaderConfig.builder().batchSize(16)
                .shuffle(true).augmentation(Augmentation.flipsAndRotations()).build()));
        dm.prepareData();
        assertTrue(dm.tiledThisRun());
        ChipStoreReader.open(store).forEach(rows::add);
    }

    @Test
    void everyMaskEqualsTheRasterizerOutputForItsWindow() {
        RasterizeOptions opts = RasterizeOptions.builder().burnValue(1).background(0).build();
        int withBuildings = 0;
        try (GeoRaster r = GeoRaster.open(TestData.data("massachusetts/22978945_15.tif"));
             VectorSource v = VectorSource.open(TestData.data("massachusetts/buildings_22978945_15.gpkg"))) {
            for (ChipRow row : rows) {
                byte[] expected = Rasterizer.rasterize(v, opts, r, new PixelWindow(row.x(), row.y(), 64, 64)).bytes();
                assertArrayEquals(expected, row.mask(), row.chipId());
                boolean any = false;
                for (byte b : row.mask()) {
                    any |= b == 1;
                }
                withBuildings += any ? 1 : 0;
            }
        }
        assertTrue(withBuildings > 20 && withBuildings < rows.size(), "chips with buildings: " + withBuildings);
        assertEquals(List.of("background", "building"), dm.classNames());
        assertEquals(3, dm.bandCount());
        assertArrayEquals(new int[] {64, 64}, dm.chipSize());
        ChipStoreReader reader = ChipStoreReader.open(store);
        assertTrue(reader.parts().size() >= 3, "folder store with parts of at most 100 rows: " + reader.parts());
        assertEquals(rows.size(), reader.rowCount());
    }

    @Test
    @Order(Integer.MAX_VALUE) // rewrites the store: runs last (99 ran first: unordered tests are Order.DEFAULT)
    void currentStoreIsNotTiledAgainButAChangedConfigIs() {
        SatelliteDataModule again = new SatelliteDataModule(SatelliteDataModule.Config.tile(tiling, null));
        again.prepareData();
        assertFalse(again.tiledThisRun(), "same config, same inputs: store is current");
        TilingConfig changed = new TilingConfig(tiling.scenes(), tiling.labels(), 64, 64, tiling.edge(), 0, 0, false,
                null, 0.4, 1.0, 0, tiling.split(), tiling.store(), tiling.storeOptions(), 2, null, false, null);
        SatelliteDataModule other = new SatelliteDataModule(SatelliteDataModule.Config.tile(changed, null));
        other.prepareData();
        assertTrue(other.tiledThisRun(), "changed nodata threshold: tiled again");
    }

    @Test
    void loadersGiveNormalisedImagesAndInt64Masks() {
        dm.setup(Stage.FIT);
        dm.setup(Stage.TEST);
        long train = dm.metadata().rows("train");
        assertEquals(train, dm.trainDataLoader().size());
        assertEquals(dm.chips(Split.VAL).size(), dm.valDataLoader().size());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            double sum = 0;
            long n = 0;
            for (Batch b : dm.trainDataLoader().getData(m)) {
                try (b) {
                    NDArray x = b.getData().singletonOrThrow();
                    NDArray y = b.getLabels().singletonOrThrow();
                    assertEquals(DataType.FLOAT32, x.getDataType());
                    assertEquals(DataType.INT64, y.getDataType());
                    assertEquals(new Shape(b.getSize(), 3, 64, 64), x.getShape());
                    assertEquals(new Shape(b.getSize(), 64, 64), y.getShape());
                    assertTrue(y.max().getLong() <= 1 && y.min().getLong() >= 0);
                    sum += x.sum().getFloat();
                    n += x.size();
                }
            }
            assertEquals(0, sum / n, 0.05, "train images normalised with train stats have mean ~0");
            Batch t = dm.testDataLoader().getData(m).iterator().next();
            try (t) {
                assertEquals(new Shape(t.getSize(), 64, 64), t.getLabels().singletonOrThrow().getShape());
            }
        }
    }

    @Test
    void parallelPartsKeepChipOrderAndTrainOnlyStatistics() {
        BandStatisticsAccumulator train = new BandStatisticsAccumulator(3, io.geolightning.tiling.ChipDataType.UINT8,
                dm.metadata().nodataArray());
        for (ChipRow r : rows) {
            if (r.split() == Split.TRAIN) {
                train.add(r.pixels(), 64 * 64);
            }
        }
        assertEquals(train.result(), dm.bandStatistics(), "bit for bit, in store order");
        for (int i = 1; i < rows.size(); i++) {
            ChipRow a = rows.get(i - 1);
            ChipRow b = rows.get(i);
            assertTrue(a.y() < b.y() || (a.y() == b.y() && a.x() < b.x()), "row-major chip order at " + i);
        }
    }

    @Test
    void spatialCrossValidationFoldsHaveDisjointBlocksAndOwnStatistics() {
        dm.setup(Stage.FIT);
        BlockGrid grid = BlockGrid.chips(4);
        List<ChipFolds.Fold> folds = dm.crossValidationFolds(grid, 3, 5);
        assertEquals(3, folds.size());
        long loaded = dm.chips(Split.TRAIN).size() + dm.chips(Split.VAL).size();
        long valTotal = 0;
        for (ChipFolds.Fold f : folds) {
            assertTrue(f.train().size() > f.val().size() && f.val().size() > 0);
            assertTrue(f.train().size() + f.val().size() <= loaded);
            valTotal += f.val().size();
        }
        assertTrue(valTotal <= loaded && valTotal > loaded / 2, valTotal + " of " + loaded);
        assertFalse(folds.get(0).statistics().equals(folds.get(1).statistics()));
    }

    @Test
    void nonJavaReaderAgreesOnAFolderStore() throws Exception {
        assumeTrue(NodeParquetCheck.available(), "scripts/parquet-check/node_modules missing (run scripts/setup)");
        JsonNode js = NodeParquetCheck.run(store);
        assertEquals(rows.size(), js.get("rows").asLong());
        assertEquals(0, js.get("labelCount").asLong());
        long maskSum = 0;
        for (ChipRow r : rows) {
            for (byte b : r.mask()) {
                maskSum += b & 0xFF;
            }
        }
        assertEquals(maskSum, js.get("maskSum").asLong());
        assertEquals(rows.size() * 64L * 64, js.get("maskBytes").asLong());
    }
}
