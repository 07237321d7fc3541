package io.geolightning.tiling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreOptions;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming loader against the in-memory one on real Parquet stores of many row groups and parts: every sample of
 * the split exactly once per epoch, the same values, a seeded order that changes per epoch but not with the number of
 * reader threads, a resumed epoch that continues the same order, threads that stop on close, and several stores read as
 * one with pooled statistics.
 */
class StreamingChipLoaderTest {
    private static final int SIDE = 16;
    private static final int BANDS = 3;

    @TempDir
    Path tmp;

    /**
     * Writes a folder store of {@code n} chips in parts of 300 rows and row groups of about 64 KiB (about 80 chips of
     * random bytes each); band 0's first two pixels hold the chip number, the label is the number modulo 4.
     */
    static Path store(Path dir, int n, int first, long seed) {
        Random r = new Random(seed);
        BandStatisticsAccumulator train = new BandStatisticsAccumulator(BANDS, ChipDataType.UINT8, null);
        try (ChipStoreWriter w = ChipStoreWriter.open(dir, ChipStoreOptions.defaults().withRowsPerPart(300)
                .withRowGroupBytes(1 << 16))) {
            for (int i = 0; i < n; i++) {
                int id = first + i;
                byte[] px = new byte[BANDS * SIDE * SIDE];
                r.nextBytes(px);
                px[0] = (byte) (id & 0xFF);
                px[1] = (byte) (id >> 8);
                Split s = i % 5 == 0 ? Split.VAL : i % 7 == 0 ? Split.TEST : Split.TRAIN;
                if (s == Split.TRAIN) {
                    train.add(px, SIDE * SIDE);
                }
                w.write(new ChipRow("c" + id, "scene.tif", "EPSG:32618", i * SIDE, 0, SIDE, SIDE, i, 0, i + 1, 1, s,
                        id % 4, null, BANDS, ChipDataType.UINT8, px));
            }
            w.commit(new ChipStoreMetadata(0, LabelTask.CLASSIFICATION, List.of("a", "b", "c", "d"), null, BANDS,
                    "uint8", SIDE, SIDE, null, train.result(), null, null, "hash", Map.of(), List.of(), null));
        }
        return dir;
    }

    private static LoaderConfig.Builder config(boolean shuffle) {
        return LoaderConfig.builder().batchSize(32).shuffle(shuffle).seed(11).workers(2).shuffleBuffer(200);
    }

    private static StreamingChipLoader streaming(Path store, LoaderConfig config, Set<Split> splits) {
        ChipStoreReader r = ChipStoreReader.open(store);
        BandNormalization norm = BandNormalization.of(r.requireMetadata().bandStatistics(), null);
        return StreamingChipLoader.open(List.of(r), splits, norm, config, LabelTask.CLASSIFICATION);
    }

    /** @return the chip numbers of an epoch's batches, read back from the normalised pixels */
    private static List<Integer> ids(ChipBatches loader, int epoch, int from, BandStatistics st) {
        List<Integer> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (Batch b : loader.epochData(m, epoch, from)) {
                try (b) {
                    float[] x = b.getData().head().toFloatArray();
                    long[] y = b.getLabels().head().toLongArray();
                    int plane = BANDS * SIDE * SIDE;
                    for (int i = 0; i < b.getSize(); i++) {
                        int lo = (int) Math.round(x[i * plane] * st.scale(0) + st.mean()[0]);
                        int hi = (int) Math.round(x[i * plane + 1] * st.scale(0) + st.mean()[0]);
                        int id = lo + 256 * hi;
                        assertEquals(id % 4, y[i], "label of chip " + id);
                        out.add(id);
                    }
                }
            }
        }
        return out;
    }

    private static List<Integer> trainIds(int n, int first) {
        return IntStream.range(0, n).filter(i -> i % 5 != 0 && i % 7 != 0).map(i -> first + i).boxed().toList();
    }

    @Test
    void everySampleOncePerEpochInASeededOrderThatChangesPerEpoch() {
        Path store = store(tmp.resolve("s"), 1000, 0, 1);
        BandStatistics st = ChipStoreReader.open(store).requireMetadata().bandStatistics();
        StreamingChipLoader loader = streaming(store, config(true).build(), Set.of(Split.TRAIN));
        assertTrue(loader.shardCount() >= 10, "the store has many row groups: " + loader.shardCount());
        List<Integer> expected = trainIds(1000, 0);
        assertEquals(expected.size(), loader.size());
        List<Integer> e0 = ids(loader, 0, 0, st);
        List<Integer> e1 = ids(loader, 1, 0, st);
        assertEquals(new HashSet<>(expected), new HashSet<>(e0));
        assertEquals(expected.size(), e0.size(), "no sample twice");
        assertEquals(new HashSet<>(expected), new HashSet<>(e1));
        assertNotEquals(expected, e0, "shuffled");
        assertNotEquals(e0, e1, "another order in another epoch");
        // the same seed gives the same order, whatever the number of reader threads
        StreamingChipLoader other = streaming(store, config(true).workers(1).build(), Set.of(Split.TRAIN));
        assertEquals(e0, ids(other, 0, 0, st));
        // not a local shuffle: chips from the end of the store come early
        assertTrue(e0.subList(0, 100).stream().anyMatch(id -> id > 500), "shards are shuffled, not only the buffer");
    }

    @Test
    void unshuffledStreamMatchesTheInMemoryLoaderValueForValue() {
        Path store = store(tmp.resolve("s"), 700, 0, 2);
        LoaderConfig off = config(false).streaming(LoaderConfig.Streaming.OFF).build();
        SatelliteDataModule memory = new SatelliteDataModule(SatelliteDataModule.Config.store(store, off));
        memory.setup(io.geolightning.trainer.Stage.FIT);
        SatelliteDataModule stream = new SatelliteDataModule(SatelliteDataModule.Config.store(store,
                off.toBuilder().streaming(LoaderConfig.Streaming.ON).build()));
        stream.setup(io.geolightning.trainer.Stage.FIT);
        assertFalse(memory.streams(Split.TRAIN));
        assertTrue(stream.streams(Split.TRAIN));
        ChipBatches a = memory.valDataLoader();
        ChipBatches b = stream.valDataLoader();
        assertTrue(b instanceof StreamingChipLoader);
        assertEquals(a.batchCount(), b.batchCount());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            var ia = a.getData(m).iterator();
            var ib = b.getData(m).iterator();
            while (ia.hasNext()) {
                try (Batch x = ia.next(); Batch y = ib.next()) {
                    assertArrayEquals(x.getData().head().toFloatArray(), y.getData().head().toFloatArray());
                    assertArrayEquals(x.getLabels().head().toLongArray(), y.getLabels().head().toLongArray());
                    assertEquals(x.getProgress(), y.getProgress());
                    assertEquals(x.getProgressTotal(), y.getProgressTotal());
                }
            }
            assertFalse(ib.hasNext());
        }
        assertEquals(memory.chips(Split.VAL).stream().map(ChipRow::chipId).toList(),
                stream.chips(Split.VAL).stream().map(ChipRow::chipId).toList(), "chips in loader order, no pixels");
        assertThrows(TilingException.class, () -> stream.crossValidationFolds(
                io.geolightning.tiling.splits.BlockGrid.chips(4), 3, 1));
    }

    /**
     * The store replaced under a streamed training (tile --overwrite with the classes in another order, the same
     * number of rows): the next epoch stops with one line instead of training on other rows and labels.
     */
    @Test
    void aStoreReplacedWhileTrainingStopsTheNextEpoch() throws Exception {
        Path store = store(tmp.resolve("s"), 600, 0, 1);
        BandStatistics st = ChipStoreReader.open(store).requireMetadata().bandStatistics();
        StreamingChipLoader loader = streaming(store, config(true).build(), Set.of(Split.TRAIN));
        assertEquals(trainIds(600, 0).size(), ids(loader, 0, 0, st).size());
        Path other = store(tmp.resolve("other"), 600, 0, 2);
        try (java.util.stream.Stream<Path> old = java.nio.file.Files.walk(store)) {
            old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        java.nio.file.Files.move(other, store);
        TilingException e = assertThrows(TilingException.class,
                () -> ids(loader, 1, 0, st));
        assertTrue(e.getMessage().contains(": the chip store was replaced or changed since training started"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aResumedEpochContinuesTheSameOrder() {
        Path store = store(tmp.resolve("s"), 800, 0, 3);
        BandStatistics st = ChipStoreReader.open(store).requireMetadata().bandStatistics();
        StreamingChipLoader loader = streaming(store, config(true).build(), Set.of(Split.TRAIN));
        List<Integer> whole = ids(loader, 4, 0, st);
        List<Integer> tail = ids(loader, 4, 5, st);
        assertEquals(whole.subList(5 * 32, whole.size()), tail);
        assertEquals(List.of(), ids(loader, 4, (int) loader.batchCount(), st), "resumed past the end: nothing left");
    }

    /**
     * What decides a shuffled epoch's order is what a checkpoint records and a mid-epoch resume must match: the seed,
     * the shuffle buffer (another size draws another order) and whether the chips are streamed at all.
     */
    @Test
    void theOrderNamesEverySettingThatChangesIt() {
        Path store = store(tmp.resolve("s"), 800, 0, 3);
        BandStatistics st = ChipStoreReader.open(store).requireMetadata().bandStatistics();
        StreamingChipLoader loader = streaming(store, config(true).build(), Set.of(Split.TRAIN));
        StreamingChipLoader small = streaming(store, config(true).shuffleBuffer(50).build(), Set.of(Split.TRAIN));
        assertNotEquals(ids(loader, 0, 0, st), ids(small, 0, 0, st), "another shuffle buffer, another order");
        assertEquals(java.util.Map.of("shuffle", "true", "streaming", "true", "seed", "11", "shuffleBuffer", "200"),
                loader.order());
        assertEquals("50", small.order().get("shuffleBuffer"));
        SatelliteDataModule memory = new SatelliteDataModule(SatelliteDataModule.Config.store(store,
                config(true).streaming(LoaderConfig.Streaming.OFF).build()));
        memory.setup(io.geolightning.trainer.Stage.FIT);
        assertEquals(java.util.Map.of("shuffle", "true", "streaming", "false", "seed", "11"),
                memory.trainDataLoader().order(), "in memory: no shuffle buffer, another order for the same seed");
    }

    @Test
    void dropLastAndCloseStopTheThreads() throws InterruptedException {
        Path store = store(tmp.resolve("s"), 500, 0, 4);
        StreamingChipLoader loader = streaming(store, config(true).dropLast(true).build(), Set.of(Split.TRAIN));
        assertEquals(loader.size() / 32, loader.batchCount());
        assertEquals(loader.batchCount() * 32, loader.samplesPerEpoch());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            var it = (StreamingChipLoader.BatchIterator) loader.epochData(m, 0, 0).iterator();
            it.next().close();
            it.close();
            assertFalse(it.hasNext());
            for (int i = 0; i < 100 && !it.isTerminated(); i++) {
                Thread.sleep(20);
            }
            assertTrue(it.isTerminated(), "producer and readers end after close");
        }
    }

    private static long streamThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("chip-stream-")
                && t.isAlive()).count();
    }

    /** Takes one batch and drops the iterator without closing it. */
    private static void abandon(StreamingChipLoader loader, NDManager m) {
        var it = loader.epochData(m, 0, 0).iterator();
        it.next().close();
    }

    @Test
    void anIteratorDroppedUnclosedStopsItsThreadsOnceCollected() throws InterruptedException {
        Path store = store(tmp.resolve("s"), 800, 0, 8);
        StreamingChipLoader loader = streaming(store, config(true).build(), Set.of(Split.TRAIN));
        long before = streamThreads();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            abandon(loader, m);
            assertTrue(streamThreads() > before, "the pipeline runs while its iterator is reachable");
            for (int i = 0; i < 100 && streamThreads() > before; i++) {
                System.gc();
                Thread.sleep(50);
            }
        }
        assertEquals(before, streamThreads(), "the cleaner stopped the producer and the readers");
    }

    @Test
    void severalStoresReadAsOneWithPooledStatistics() {
        Path a = store(tmp.resolve("a"), 400, 0, 5);
        Path b = store(tmp.resolve("b.parquet"), 300, 400, 6);
        // the statistics of one store holding both stores' training chips
        BandStatisticsAccumulator all = new BandStatisticsAccumulator(BANDS, ChipDataType.UINT8, null);
        for (Path p : List.of(a, b)) {
            ChipStoreReader.open(p).forEach(r -> {
                if (r.split() == Split.TRAIN) {
                    all.add(r.pixels(), SIDE * SIDE);
                }
            });
        }
        BandStatistics expected = all.result();
        SatelliteDataModule dm = new SatelliteDataModule(SatelliteDataModule.Config.stores(List.of(a, b),
                config(true).streaming(LoaderConfig.Streaming.ON).build()));
        dm.setup(io.geolightning.trainer.Stage.FIT);
        BandStatistics pooled = dm.bandStatistics();
        for (int i = 0; i < BANDS; i++) {
            assertEquals(expected.count()[i], pooled.count()[i]);
            assertEquals(expected.mean()[i], pooled.mean()[i], 1e-9);
            assertEquals(expected.std()[i], pooled.std()[i], 1e-9);
            assertEquals(expected.min()[i], pooled.min()[i]);
            assertEquals(expected.max()[i], pooled.max()[i]);
        }
        List<Integer> want = new ArrayList<>(trainIds(400, 0));
        want.addAll(trainIds(300, 400));
        assertEquals(want.size(), dm.sampleCount(Split.TRAIN));
        List<Integer> got = ids(dm.trainDataLoader(), 0, 0, pooled);
        assertEquals(new HashSet<>(want), new HashSet<>(got));
        assertEquals(want.size(), got.size());
    }

    @Test
    void storesThatDisagreeAreRefusedNamingTheStore() {
        Path a = store(tmp.resolve("a"), 50, 0, 7);
        Path b = tmp.resolve("b.parquet");
        try (ChipStoreWriter w = ChipStoreWriter.open(b, ChipStoreOptions.defaults())) {
            w.write(new ChipRow("x", "s.tif", "EPSG:32618", 0, 0, SIDE, SIDE, 0, 0, 1, 1, Split.TRAIN, 0, null, 4,
                    ChipDataType.UINT8, new byte[4 * SIDE * SIDE]));
            w.commit(new ChipStoreMetadata(0, LabelTask.CLASSIFICATION, List.of("a", "b", "c", "d"), null, 4, "uint8",
                    SIDE, SIDE, null, null, null, null, "hash", Map.of(), List.of(), null));
        }
        TilingException e = assertThrows(TilingException.class, () -> new SatelliteDataModule(
                SatelliteDataModule.Config.stores(List.of(a, b), config(true).build())).prepareData());
        assertTrue(e.getMessage().startsWith(b + ": band count 4, but 3 in " + a), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
