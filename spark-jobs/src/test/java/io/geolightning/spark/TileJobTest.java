package io.geolightning.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.trainer.Stage;
import static io.geolightning.spark.SparkTestSupport.csv;
import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.nbClip;
import static io.geolightning.spark.SparkTestSupport.nbLabels;
import static io.geolightning.spark.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.app.cli.GeoLightningCli;
import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.EdgeMode;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.labels.ClassificationRule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.SidecarJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed tile job against the single-machine tiler on real scenes (local[2]): Olinda through the job's
 * command line vs the Tiler API, the two New Brunswick clips (plus a missing and a corrupt scene) through the job's API
 * vs the single-machine CLI, scene by scene (rows per split, label and mask sums, every chip's bytes), the merged
 * sidecar, Spark reading the parts, and a rerun over leftovers of an earlier, interrupted run.
 */
class TileJobTest {

    @TempDir
    Path tmp;

    @Test
    void olindaThroughTheJobCommandEqualsTheSingleMachineTiler() throws Exception {
        Path raster = data("olinda/L7_ETMs.tif");
        Path shp = data("olinda/olinda1.shp");
        Path list = csv(tmp.resolve("olinda.csv"), "scene,labels,label_field,chip", List.of(
                raster + "," + shp + ",TIPO,32"));
        Path store = tmp.resolve("chips");
        SparkTestSupport.Run run = SparkTestSupport.jobs("tile", "--scenes", list, "--out", store, "--split",
                "spatial", "--val", 0.2, "--test", 0.1, "--block", 4, "--master", "local[2]");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("OK      " + raster), run.out());

        Path ref = tmp.resolve("ref.parquet");
        LabelConfig labels = new LabelConfig(GdalPath.of(shp), null, "TIPO", null, null, null, ClassificationRule.minCoverage(0),
                false, LabelTask.CLASSIFICATION);
        Tiler.run(TilingConfig.builder().scenes(raster).labels(labels).chipSize(32).stride(32).edge(EdgeMode.DROP)
                .maxNodataFraction(0.5).split(SplitConfig.spatial(BlockGrid.chips(4),
                        new SplitRatios(1 - 0.2 - 0.1, 0.2, 0.1), 42)).store(ref).workers(2).build());

        StoreDigest job = StoreDigest.of(store);
        StoreDigest single = StoreDigest.of(ref);
        assertEquals(single, job);
        assertTrue(job.counts().get(raster.toString()).keySet().containsAll(List.of("train", "val", "test")),
                job.counts().toString());
        assertTrue(job.labelSums().get(raster.toString()) > 0, "both classes present");
        ChipStoreMetadata a = ChipStoreReader.open(store).requireMetadata();
        ChipStoreMetadata b = ChipStoreReader.open(ref).requireMetadata();
        assertEquals(b.classNames(), a.classNames());
        assertEquals(b.rowCounts(), a.rowCounts());
        assertEquals(b.bandStatistics(), a.bandStatistics(), "one scene: its train statistics unchanged");
        assertEquals(b.bands(), a.bands());

        // the folder of parts trains as a store: streamed, its batches are the single-machine store's, value for value
        LoaderConfig loader = LoaderConfig.builder().batchSize(16).streaming(LoaderConfig.Streaming.ON).build();
        SatelliteDataModule streamed = new SatelliteDataModule(SatelliteDataModule.Config.store(store, loader));
        SatelliteDataModule memory = new SatelliteDataModule(SatelliteDataModule.Config.store(ref,
                loader.toBuilder().streaming(LoaderConfig.Streaming.OFF).build()));
        streamed.setup(Stage.FIT);
        memory.setup(Stage.FIT);
        assertTrue(streamed.streams(Split.TRAIN));
        try (NDManager m = NDManager.newBaseManager()) {
            float sumStreamed = 0;
            float sumMemory = 0;
            long n = 0;
            for (Batch batch : streamed.trainDataLoader().getData(m)) {
                try (batch) {
                    sumStreamed += batch.getData().head().sum().getFloat();
                    n += batch.getSize();
                }
            }
            for (Batch batch : memory.trainDataLoader().getData(m)) {
                try (batch) {
                    sumMemory += batch.getData().head().sum().getFloat();
                }
            }
            assertEquals(b.rows("train"), n);
            assertEquals(sumMemory, sumStreamed, Math.abs(sumMemory) * 1e-4 + 1e-2);
        }
    }

    @Test
    void newBrunswickClipsEqualTheCliAndBadScenesFailAlone() throws Exception {
        Path missing = tmp.resolve("missing.tif");
        Path corrupt = SparkTestSupport.corruptTif(tmp);
        Path list = csv(tmp.resolve("scenes.csv"), "raster,seed", List.of(nbClip(1) + ",", "missing.tif,",
                "corrupt.tif,", nbClip(2) + ",7"));
        TilingSettings defaults = new TilingSettings(nbLabels().toString(), null, "Quatreclasses", "segmentation",
                List.of("1", "2", "3", "4"), null, 255, null, null, 64, 48, null, null, null, null, null, "1", null, null);
        Path store = tmp.resolve("nb");
        TileJob.Result r = TileJob.run(spark(), new TileJob.Config(list, store, defaults, 1, false));

        assertEquals(4, r.scenes().size());
        assertEquals(List.of(SceneStatus.OK, SceneStatus.FAILED, SceneStatus.FAILED, SceneStatus.OK),
                r.scenes().stream().map(SceneTileOutcome::status).toList());
        String missingError = r.scenes().get(1).error();
        assertTrue(missingError.contains("missing.tif: file not found; check the path"), missingError);
        String corruptError = r.scenes().get(2).error();
        assertTrue(corruptError.contains("corrupt.tif: not a raster GDAL can read"), corruptError);
        for (String e : List.of(missingError, corruptError)) {
            assertFalse(e.contains("\n"), e);
        }

        // scene by scene equal to the single-machine CLI
        StoreDigest job = StoreDigest.of(store);
        assertEquals(2, job.counts().size(), "only the good scenes: " + job.counts().keySet());
        for (int clip = 1; clip <= 2; clip++) {
            Path ref = tmp.resolve("ref" + clip);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = GeoLightningCli.execute(new String[] {"tile", "--raster", nbClip(clip).toString(), "--labels",
                nbLabels().toString(), "--label-field", "Quatreclasses", "--mode", "segmentation", "--ignore-value",
                "255", "--classes", "1,2,3,4", "--chip", "64", "--stride", "48", "--block", "1", "--seed", clip == 1 ? "42" : "7",
                "--out", ref.toString()}, new PrintWriter(out), new PrintWriter(err));
            assertEquals(0, code, err.toString());
            StoreDigest single = StoreDigest.of(ref);
            assertEquals(single, job.scene(nbClip(clip).toString()), "clip " + clip);
            assertTrue(single.maskSums().values().iterator().next() > 0);
        }

        // the merged sidecar
        ChipStoreMetadata m = ChipStoreReader.open(store).requireMetadata();
        assertEquals(List.of("background", "1", "2", "3", "4"), m.classNames());
        assertEquals(255, m.ignoreValue());
        long total = job.counts().values().stream().flatMap(x -> x.values().stream()).mapToLong(Long::longValue).sum();
        assertEquals(total, m.rows("total"));
        assertEquals(total, ChipStoreReader.open(store).rowCount());
        assertTrue(m.parts().stream().allMatch(p -> p.startsWith("part-00000-") || p.startsWith("part-00003-")),
                m.parts().toString());
        assertEquals(m.parts(), partFiles(store));
        assertFalse(Files.exists(store.resolve(SceneTiler.STAGING)), "staging removed");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> scenes = (List<Map<String, Object>>) m.tilingConfig().get("scenes");
        assertEquals("FAILED", scenes.get(1).get("status"));
        assertEquals(missingError, scenes.get(1).get("error"));

        // merged train statistics = a recomputation over the store's train chips
        BandStatisticsAccumulator acc = new BandStatisticsAccumulator(m.bands(), ChipDataType.parse(m.dtype()),
                m.nodataArray());
        ChipStoreReader.open(store).forEach(row -> {
            if (row.split() == Split.TRAIN) {
                acc.add(row.pixels(), row.width() * row.height());
            }
        });
        BandStatistics expected = acc.result();
        BandStatistics merged = m.bandStatistics();
        for (int b = 0; b < m.bands(); b++) {
            assertEquals(expected.count()[b], merged.count()[b]);
            assertEquals(expected.mean()[b], merged.mean()[b], 1e-9 * Math.abs(expected.mean()[b]));
            assertEquals(expected.std()[b], merged.std()[b], 1e-9 * expected.std()[b]);
            assertEquals(expected.min()[b], merged.min()[b]);
            assertEquals(expected.max()[b], merged.max()[b]);
        }

        // Spark (Parquet 1.17) reads the parts tiling's writer produced
        Map<String, Map<String, Long>> sparkCounts = new TreeMap<>();
        for (Row row : spark().read().option("pathGlobFilter", "part-*.parquet").parquet(store.toString())
                .groupBy("scene", "split").count().collectAsList()) {
            sparkCounts.computeIfAbsent(row.getString(0), k -> new TreeMap<>()).put(row.getString(1), row.getLong(2));
        }
        assertEquals(job.counts(), sparkCounts);

        // a rerun over an interrupted run's leftovers: stale staging, a stale part, no sidecar
        Files.createDirectories(store.resolve("_temporary/scene-00000/attempt-old"));
        Files.copy(store.resolve(m.parts().get(0)), store.resolve("_temporary/scene-00000/attempt-old/part-00000.parquet"));
        Files.copy(store.resolve(m.parts().get(0)), store.resolve("part-00009-00000.parquet"));
        Map<String, Long> before = fileSizes(store);
        TilingException refused = assertThrows(TilingException.class,
                () -> TileJob.run(spark(), new TileJob.Config(list, store, defaults, 2, false)));
        assertTrue(refused.getMessage().contains("pass --overwrite to replace it"), refused.getMessage());
        assertEquals(before, fileSizes(store), "without --overwrite the leftovers are not touched");
        Path foreign = Files.writeString(tmp.resolve("notes.txt"), "field notes");
        Files.createDirectories(tmp.resolve("mine"));
        Files.copy(foreign, tmp.resolve("mine/notes.txt"));
        TilingException notAStore = assertThrows(TilingException.class,
                () -> TileJob.run(spark(), new TileJob.Config(list, tmp.resolve("mine"), defaults, 1, true)));
        assertTrue(notAStore.getMessage().contains("is not a chip store (it holds notes.txt)"), notAStore.getMessage());
        assertEquals("field notes", Files.readString(tmp.resolve("mine/notes.txt")), "a user's folder is never replaced");
        TileJob.Result again = TileJob.run(spark(), new TileJob.Config(list, store, defaults, 2, true));
        assertEquals(r.scenes().stream().map(SceneTileOutcome::status).toList(),
                again.scenes().stream().map(SceneTileOutcome::status).toList());
        assertEquals(job, StoreDigest.of(store), "same chips, no duplicates");
        assertEquals(again.metadata().parts(), partFiles(store), "stale part removed, 2 readers per task: 4 parts");
        assertEquals(8, again.metadata().parts().size());
        assertFalse(Files.exists(store.resolve(SceneTiler.STAGING)));
        assertEquals(m.configHash(), again.metadata().configHash(), "deterministic description");
    }

    @Test
    void anOverwriteWhereNoSceneTilesKeepsTheStoreThatWasThere() throws Exception {
        // --overwrite with only bad scenes said "nothing was written" and left the folder empty: the earlier store's
        // chips.json was deleted when the job started and its parts when no scene succeeded
        Path shp = data("olinda/olinda1.shp");
        Path good = csv(tmp.resolve("good.csv"), "scene,labels,label_field,chip", List.of(
                data("olinda/L7_ETMs.tif") + "," + shp + ",TIPO,32"));
        Path store = tmp.resolve("chips");
        SparkTestSupport.Run first = SparkTestSupport.jobs("tile", "--scenes", good, "--out", store, "--master",
                "local[2]");
        assertEquals(0, first.code(), first.err());
        Map<String, Long> files = fileSizes(store);
        String sidecar = Files.readString(store.resolve("chips.json"));
        StoreDigest digest = StoreDigest.of(store);
        Path missing = tmp.resolve("missing.tif");
        Path bad = csv(tmp.resolve("bad.csv"), "scene,labels,label_field,chip", List.of(missing + "," + shp
                + ",TIPO,32", SparkTestSupport.corruptTif(tmp) + "," + shp + ",TIPO,32"));
        SparkTestSupport.Run run = SparkTestSupport.jobs("tile", "--scenes", bad, "--out", store, "--overwrite",
                "--master", "local[2]");
        assertEquals(1, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("error: bad.csv: none of the 2 scene(s) could be tiled, nothing was written"
                + " (the chip store already there is kept); first error: " + missing + ": file not found"), run.err());
        assertEquals(files, fileSizes(store), "the earlier store's files, no staging folder");
        assertEquals(sidecar, Files.readString(store.resolve("chips.json")));
        assertEquals(digest, StoreDigest.of(store));
    }

    private static Map<String, Long> fileSizes(Path dir) throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                sizes.put(dir.relativize(p).toString(), Files.size(p));
            }
        }
        return sizes;
    }

    private static List<String> partFiles(Path store) throws Exception {
        try (Stream<Path> s = Files.list(store)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).sorted().toList();
        }
    }

    @Test
    void mergedStatisticsCombineScenesExactly() {
        BandStatistics a = new BandStatistics(new long[] {4}, new double[] {2.5}, new double[] {Math.sqrt(1.25)},
                new double[] {1}, new double[] {4});
        BandStatistics b = new BandStatistics(new long[] {2}, new double[] {10}, new double[] {0}, new double[] {10},
                new double[] {10});
        BandStatistics m = ChipStoreMerge.mergeStatistics(java.util.Arrays.asList(a, null, b));
        // values 1,2,3,4,10,10: mean 5, population variance (16+9+4+1+25+25)/6 = 80/6
        assertEquals(6, m.count()[0]);
        assertEquals(5.0, m.mean()[0], 1e-12);
        assertEquals(Math.sqrt(80.0 / 6), m.std()[0], 1e-12);
        assertEquals(1, m.min()[0]);
        assertEquals(10, m.max()[0]);
        assertNull(ChipStoreMerge.mergeStatistics(java.util.Arrays.asList(null, null)));
        assertNotNull(SidecarJson.MAPPER);
    }
}
