package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.data.ChipSample;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Infinite samples in a float raster (a band ratio's x/0) carry no data, as NaN does: the Olinda scene as Float32
 * with the same pixels made +Inf in one copy and NaN in the other (gdal_calc.py) tiles into the same chips with the
 * same finite band statistics, and training normalises them to finite values.
 */
class NonFiniteSamplesTest {

    @TempDir
    Path tmp;

    /** Every band where band 1 is below 60 (the whole pixel), and each band where its value is a multiple of 7. */
    private Path olindaWith(String value, String name) throws Exception {
        Path out = tmp.resolve(name);
        Path scene = TestData.data("olinda/L7_ETMs.tif");
        RasterLabelsTest.run("/usr/bin/python3", "/usr/bin/gdal_calc.py", "--quiet", "-A", scene.toString(),
                "--A_band=1", "-B", scene.toString(), "--allBands=B", "--type=Float32", "--outfile=" + out,
                "--calc=numpy.where((A < 60) | (B % 7 == 0), numpy." + value + ", B).astype(numpy.float32)");
        return out;
    }

    private static TilingResult tile(Path raster, Path store) {
        return Tiler.run(TilingConfig.builder().scenes(raster)
                .labels(LabelConfig.classification(TestData.data("olinda/olinda1.shp"), "TIPO"))
                .chipSize(16).maxNodataFraction(0.3).split(SplitConfig.random(new SplitRatios(0.8, 0.2, 0), 3))
                .store(store).workers(2).build());
    }

    @Test
    void infinitiesAreNoDataLikeNaN() throws Exception {
        TilingResult nan = tile(olindaWith("nan", "nan.tif"), tmp.resolve("nan.parquet"));
        TilingResult inf = tile(olindaWith("inf", "inf.tif"), tmp.resolve("inf.parquet"));
        assertTrue(nan.skippedNodata() > 5, "chips over 30 % no data: " + nan.skippedNodata());
        assertEquals(nan.skippedNodata(), inf.skippedNodata(), "chips skipped as no data");
        assertEquals(nan.written(), inf.written());
        BandStatistics a = nan.metadata().bandStatistics();
        BandStatistics b = inf.metadata().bandStatistics();
        assertArrayEquals(a.count(), b.count());
        assertArrayEquals(a.mean(), b.mean(), 1e-9);
        assertArrayEquals(a.std(), b.std(), 1e-9);
        assertArrayEquals(a.max(), b.max());
        for (int band = 0; band < 6; band++) {
            assertTrue(Double.isFinite(b.mean()[band]) && b.std()[band] > 1, "band " + band + ": " + b);
        }
        List<ChipRow> rows = new ArrayList<>();
        ChipStoreReader.open(tmp.resolve("inf.parquet")).forEach(rows::add);
        BandNormalization norm = BandNormalization.of(b);
        int infinite = 0;
        for (ChipRow r : rows) {
            float[] x = new float[r.bands() * r.width() * r.height()];
            norm.apply(new ChipSample(r.pixels(), r.dtype(), r.bands(), r.height(), r.width(), r.label(), null), x, 0);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Float.isFinite(x[i]), r.chipId() + " sample " + i + ": " + x[i]);
                infinite += Double.isInfinite(r.dtype().get(r.pixels(), i)) ? 1 : 0;
            }
        }
        assertTrue(infinite > 1000, "the chips hold infinite samples: " + infinite);
    }
}
