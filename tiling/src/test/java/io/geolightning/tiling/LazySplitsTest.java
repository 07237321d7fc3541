package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoTransform;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.ItemSequence;
import io.geolightning.tiling.splits.ItemSplits;
import io.geolightning.tiling.splits.RandomSplitter;
import io.geolightning.tiling.splits.SpatialBlockSplitter;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.splits.SplitResult;
import io.geolightning.tiling.store.ChipStoreOptions;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chips placed on demand and split one at a time deal exactly what placing every chip in a list and splitting the
 * list dealt: same chips, same splits, same order.
 */
class LazySplitsTest {
    @TempDir
    Path tmp;

    /** Tiles, then hashes the store's "chip id split" rows and the run's counts. */
    private static String tile(TilingConfig config) throws Exception {
        TilingResult r = Tiler.run(config);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ChipStoreReader.open(config.store()).forEach(row -> sha.update((row.chipId() + " " + row.split() + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        return r.candidates() + " " + r.written() + " " + r.skippedUnlabelled() + " " + r.droppedNegatives() + " "
                + r.droppedBySplit() + " " + HexFormat.of().formatHex(sha.digest());
    }

    /** Hashes recorded from the tiler that listed every candidate chip before splitting them. */
    @Test
    void sameChipsSplitsAndOrderAsWhenEveryCandidateWasListed() throws Exception {
        Path olinda = TestData.data("olinda/L7_ETMs.tif");
        LabelConfig tipo = LabelConfig.classification(TestData.data("olinda/olinda1.shp"), "TIPO");
        assertEquals("1806 857 734 0 215 ebb7a62ea6e98aa6c59280c3244e6633f9f3bf1819cad38c31afdd0f89eab27e",
                tile(TilingConfig.builder().scenes(olinda).labels(tipo).chipSize(16).stride(8)
                        .split(SplitConfig.spatial(BlockGrid.chips(4), SplitRatios.defaults(), 42))
                        .store(tmp.resolve("a")).storeOptions(ChipStoreOptions.defaults().withRowsPerPart(100))
                        .workers(2).build()));
        assertEquals("462 243 219 0 0 e7c52927e649ebffeb14e3ed43bef8bca23e74389032fe3a3edb48301508aae7",
                tile(TilingConfig.builder().scenes(olinda).labels(tipo).chipSize(16)
                        .split(SplitConfig.random(new SplitRatios(0.6, 0.2, 0.2), 5)).store(tmp.resolve("c"))
                        .storeOptions(ChipStoreOptions.defaults().withRowsPerPart(50)).workers(2).build()));
        assertEquals("100 78 0 0 22 44f5bd70656d1626ccfb2631e067782d3d0408cb2bed2a0fbc8a38e8d50bf0f8",
                tile(TilingConfig.builder().scenes(olinda).labels(tipo).chipSize(24).random(100, 3, true)
                        .split(SplitConfig.spatial(BlockGrid.chips(3), SplitRatios.defaults(), 1))
                        .store(tmp.resolve("f.parquet")).workers(2).build()));
        Path a = TestData.data("new-brunswick/23322E759967N_clipped_1m_1of2.tif");
        Path b = TestData.data("new-brunswick/23322E759967N_clipped_1m_2of2.tif");
        assertEquals("55 38 0 0 17 e981c8031c791696c693d707a7a4df1cf2af60224e9dce0a0ac2382baaa4119b",
                tile(TilingConfig.builder().scenes(b, a)
                        .labels(LabelConfig.segmentation(TestData.data("new-brunswick/BakerLake_2017_clipped.gpkg"),
                                "Quatreclasses").withIgnoreValue(255).withClassNames(List.of("1", "2", "3", "4")))
                        .chipSize(64).split(SplitConfig.spatial(BlockGrid.mapUnits(150), SplitRatios.defaults(), 9))
                        .store(tmp.resolve("d.parquet")).workers(2).build()));
        Gdal.ensureInitialised();
        Path rotated = tmp.resolve("rotated.tif");
        Dataset src = gdal.Open(olinda.toString());
        Dataset dst = gdal.GetDriverByName("GTiff").CreateCopy(rotated.toString(), src);
        dst.SetGeoTransform(new double[] {288776.25, 28.5, 2.0, 9120760.75, 2.0, -28.5});
        dst.delete();
        src.delete();
        assertEquals("812 307 295 0 210 58256292b25f2cdec7e7e30972fd6cbbbcb85548eeac3953632de0fdf83135e0",
                tile(TilingConfig.builder().scenes(rotated).labels(tipo).chipSize(16).stride(12)
                        .split(SplitConfig.spatial(BlockGrid.mapUnits(1500), SplitRatios.defaults(), 8))
                        .store(tmp.resolve("i")).storeOptions(ChipStoreOptions.defaults().withRowsPerPart(60))
                        .workers(2).build()));
    }

    /** Grid chips at three geotransforms (north-up, east-to-west, rotated), of two scenes, and a sampled list. */
    private static List<ItemSequence<Chip>> scenes() {
        int[] xs = IntStream.range(0, 70).map(i -> i * 12).toArray();
        int[] ys = IntStream.range(0, 90).map(i -> i * 12).toArray();
        GridChips north = new GridChips(GdalPath.of("/s/north.tif"), GeoTransform.northUp(300000, 9000000, 10, 10), 16,
                xs, ys);
        GridChips west = new GridChips(GdalPath.of("/s/west.tif"), new GeoTransform(310000, -10, 0, 9000000, 0, -10), 16,
                xs, ys);
        GridChips rotated = new GridChips(GdalPath.of("/s/rot.tif"), new GeoTransform(305000, 9.8, 1.5, 9001000, 1.5,
                -9.8), 16, xs, ys);
        ItemSequence<Chip> list = ItemSequence.of(new ArrayList<>(north.asList()).subList(1000, 1400));
        return List.of(north, rotated, west, list);
    }

    @Test
    void plannedSplitsMatchTheListSplitters() {
        List<ItemSequence<Chip>> scenes = scenes();
        List<Chip> all = new ArrayList<>();
        scenes.forEach(s -> {
            for (long i = 0; i < s.size(); i++) {
                all.add(s.get(i));
            }
        });
        SplitRatios ratios = new SplitRatios(0.6, 0.25, 0.15);
        for (SplitConfig config : List.of(SplitConfig.spatial(BlockGrid.chips(3), ratios, 7),
                SplitConfig.spatial(BlockGrid.mapUnits(500), ratios, 8),
                new SplitConfig(SplitConfig.Kind.SPATIAL, BlockGrid.mapUnits(330), ratios, 9, false),
                SplitConfig.random(ratios, 10))) {
            SplitResult<Chip> listed = config.kind() == SplitConfig.Kind.RANDOM
                    ? new RandomSplitter(ratios, config.seed()).split(all)
                    : new SpatialBlockSplitter(config.grid(), ratios, config.seed(), config.strict()).split(all);
            Map<Chip, Split> expected = new IdentityHashMap<>();
            for (Split s : new Split[] {Split.TRAIN, Split.VAL, Split.TEST}) {
                listed.get(s).forEach(c -> expected.put(c, s));
            }
            ItemSplits planned = ItemSplits.plan(config, scenes);
            List<Chip> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                Split s = planned.of(i, all.get(i));
                assertEquals(expected.get(all.get(i)), s, config + ": chip " + i + " " + all.get(i).id());
                if (s != null) {
                    kept.add(all.get(i));
                }
            }
            KeptChips todo = KeptChips.of(ChipCandidates.of(scenes), planned, null);
            assertEquals(kept.size(), todo.size());
            assertEquals(all.size() - kept.size(), todo.dropped());
            for (long first : new long[] {0, 1, 4095, 4096, 4097, 9000, kept.size() - 1, kept.size()}) {
                Iterator<KeptChips.Kept> it = todo.from(first);
                for (long k = first; k < Math.min(kept.size(), first + 3); k++) {
                    KeptChips.Kept next = it.next();
                    assertEquals(k, next.index());
                    assertEquals(kept.get((int) k).id(), next.chip().id(), config + " from " + first);
                    assertEquals(expected.get(kept.get((int) k)), next.split());
                }
            }
        }
    }
}
