package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.geolightning.app.report.Numbers;
import io.geolightning.foundation.testing.Quadrants;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.models.metrics.ConfusionMatrix;
import io.geolightning.models.predict.ClassScores;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.trainer.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} of a U-Net segmenting Olinda (urban/rural), trained once for two epochs: {@code --tta} scores what
 * {@code predict --tta} predicts, each chip's per-pixel probabilities averaged over its eight flips and quarter turns,
 * each turned back (the expected scores are computed here through the Java API, turning the chips and the probability
 * maps with DJL's own {@code rotate90} and {@code flip}, not the predictor's transform code, and must differ from the
 * plain evaluation's: a U-Net sees context, so the turns change its pixels); {@code --scene-window N} scores the
 * split's chips on the class raster {@code predict --window N} writes for their scene (the expected matrix is computed
 * here from predict's own output and the chips' masks). Misplaced uses of {@code --scene-window} are usage errors.
 */
class EvaluateSegmenterTest {

    @TempDir
    static Path tmp;
    private static Path chips;
    private static Path ckpt;

    @BeforeAll
    static void trainASegmenter() throws Exception {
        chips = tmp.resolve("chips");
        CliRun tile = CliRun.of("tile", "--raster", BadInputs.RASTER, "--labels", BadInputs.LABELS, "--label-field",
                "TIPO", "--mode", "segmentation", "--chip", 16, "--stride", 8, "--val", 0.2, "--test", 0.2, "--out",
                chips);
        assertEquals(0, tile.code(), tile.err());
        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n", "name: seg",
                "runs: " + tmp.resolve("runs"), "seed: 5", "model: {architecture: unet, options: {width: 8, depth: 2}}",
                "data: {chips: " + chips + ", batchSize: 32}", "trainer: {maxEpochs: 2, numSanityValSteps: 0}", ""));
        CliRun train = CliRun.of("train", "--config", yaml);
        assertEquals(0, train.code(), train.err());
        ckpt = tmp.resolve("runs/seg/version_0/checkpoints/last.ckpt");
    }

    /**
     * Chips padded beyond the raster's edge (--edge pad) hold pixels without image data: their masks say "ignore"
     * (255, no ignore value given; info says so), and every way of scoring skips them: chip by chip, with --tta and on
     * whole-scene predictions (the last two used to stop on "truth label 255").
     */
    @Test
    void pixelsWithoutImageDataAreIgnoredByEveryScore() throws Exception {
        Path padded = tmp.resolve("padded");
        CliRun tile = CliRun.of("tile", "--raster", BadInputs.RASTER, "--labels", BadInputs.LABELS, "--label-field",
                "TIPO", "--mode", "segmentation", "--chip", 16, "--edge", "pad", "--val", 0.2, "--test", 0.2, "--out",
                padded);
        assertEquals(0, tile.code(), tile.err());
        long[] pixels = new long[2];
        ChipStoreReader.open(padded).forEach(r -> {
            if (r.split() == Split.TRAIN) {
                for (byte b : r.mask()) {
                    pixels[(b & 0xFF) == 255 ? 1 : 0]++;
                }
            }
        });
        assertTrue(pixels[1] > 0, "the padded chips hold pixels without data");
        CliRun info = CliRun.of("info", padded);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("255 (the default: mask pixels without image data or labels)"), info.out());
        java.util.regex.Pattern n = java.util.regex.Pattern.compile("\\(n = (\\d+)\\)");
        for (String how : new String[] {"chips", "--tta", "--scene-window"}) {
            java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of("evaluate", "--checkpoint", ckpt,
                    "--chips", padded, "--split", "train"));
            if (!how.equals("chips")) {
                args.add(how);
            }
            if (how.equals("--scene-window")) {
                args.add(64);
            }
            CliRun run = CliRun.of(args.toArray());
            assertEquals(0, run.code(), how + ": " + run.err());
            java.util.regex.Matcher m = n.matcher(run.out());
            assertTrue(m.find(), run.out());
            long scored = Long.parseLong(m.group(1));
            if (how.equals("--scene-window")) { // less what predict leaves as no data: the pad itself
                assertTrue(scored > 0 && scored <= pixels[0], how + ": " + scored + " of " + pixels[0]);
            } else {
                assertEquals(pixels[0], scored, how + " scores the pixels with data");
            }
        }
    }

    /**
     * A store tiled with another --ignore-value (200) than the model was trained with (255): its masks say "ignore"
     * with 200 where they said 255, and the model scores it exactly as the store tiled with 255, loss included (the
     * task's own test step used to stop on "cross-entropy: label 200 is outside 0..N"); chips and --raster alike.
     */
    @Test
    void aStoreWithAnotherIgnoreValueScoresAsWithTheModels() {
        java.util.Map<Integer, String> outs = new java.util.TreeMap<>();
        for (int ignore : new int[] {255, 200}) {
            Path store = tmp.resolve("ignore-" + ignore);
            CliRun tile = CliRun.of("tile", "--raster", BadInputs.RASTER, "--labels", BadInputs.LABELS,
                    "--label-field", "TIPO", "--mode", "segmentation", "--chip", 16, "--edge", "pad",
                    "--ignore-value", ignore, "--val", 0.2, "--test", 0.2, "--out", store);
            assertEquals(0, tile.code(), tile.err());
            long[] ignored = {0};
            ChipStoreReader.open(store).forEach(r -> {
                for (byte b : r.split() == Split.TEST ? r.mask() : new byte[0]) {
                    ignored[0] += (b & 0xFF) == ignore ? 1 : 0;
                }
            });
            assertTrue(ignored[0] > 0, "the padded test chips hold ignored pixels");
            CliRun run = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", store);
            assertEquals(0, run.code(), ignore + ": " + run.err());
            outs.put(ignore, run.out().substring(run.out().indexOf('\n')));
        }
        assertTrue(outs.get(200).contains("loss:"), outs.get(200));
        assertEquals(outs.get(255), outs.get(200), "the same chips, scored alike whatever their ignore value");

        CliRun raster = CliRun.of("evaluate", "--checkpoint", ckpt, "--raster", BadInputs.RASTER, "--labels",
                BadInputs.LABELS, "--label-field", "TIPO", "--ignore-value", 200);
        assertEquals(0, raster.code(), raster.err());
        assertTrue(raster.out().contains("loss:"), raster.out());
    }

    @Test
    void ttaScoresTheMeanOfTheEightTurnsAndFlips() throws Exception {
        CliRun plain = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", chips);
        CliRun tta = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", chips, "--tta");
        assertEquals(0, plain.code(), plain.err());
        assertEquals(0, tta.code(), tta.err());
        String header = tta.out().lines().findFirst().orElseThrow();
        assertTrue(header.startsWith("last.ckpt with 8-fold test-time augmentation on ") && header.contains("test"
                + " split"), header);

        ConfusionMatrix expected;
        try (TaskInferenceModel model = TaskInferenceModel.fromCheckpoint(ckpt);
             NDManager manager = NDManager.newBaseManager()) {
            SatelliteDataModule data = new SatelliteDataModule(SatelliteDataModule.Config.store(chips,
                    LoaderConfig.builder().batchSize(32).build()).withStatistics(
                    EvaluationSources.statistics(model.normalization())));
            data.setup(Stage.TEST);
            int classes = model.signature().classes();
            expected = new ConfusionMatrix(classes, data.metadata().ignoreValue() == null
                    ? ConfusionMatrix.NO_IGNORE : data.metadata().ignoreValue());
            for (Batch b : data.testDataLoader().getData(manager)) {
                try (b) {
                    NDArray x = b.getData().head();
                    int n = (int) x.getShape().get(0);
                    int h = (int) x.getShape().get(2);
                    int w = (int) x.getShape().get(3);
                    NDArray mean = manager.zeros(new Shape(n, classes, h, w));
                    for (int t = 0; t < 8; t++) {
                        NDArray turned = x.rotate90(t & 3, new int[] {2, 3});
                        turned = t >= 4 ? turned.flip(3) : turned;
                        NDArray p = manager.create(model.probabilities(turned.toFloatArray(), n, h, w),
                                new Shape(n, classes, h, w));
                        p = t >= 4 ? p.flip(3) : p; // undo: flip back, then turn back
                        mean = mean.add(p.rotate90((4 - (t & 3)) & 3, new int[] {2, 3}).div(8f));
                    }
                    int[] truth = b.getLabels().head().toType(DataType.INT32, false).toIntArray();
                    expected.add(truth, ClassScores.argmax(mean.toFloatArray(), n, classes, h * w));
                }
            }
        }
        assertEquals(Numbers.num(expected.accuracy()), value(tta.out(), "acc"), tta.out());
        assertEquals(Numbers.num(expected.meanIoU()), value(tta.out(), "miou"), tta.out());
        assertNotEquals(value(plain.out(), "miou"), value(tta.out(), "miou"), "the turns changed no score:\n"
                + plain.out() + "\n" + tta.out());
    }

    @Test
    void sceneWindowScoresTheChipsOnPredictsClassRaster() throws Exception {
        Set<String> tempBefore = evaluationTemps();
        CliRun scenes = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", chips, "--scene-window", 32);
        assertEquals(0, scenes.code(), scenes.err());
        String header = scenes.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains("(test split, on whole-scene predictions in windows of 32 px, "), header);
        assertEquals(tempBefore, evaluationTemps(), "the scene's temporary prediction is deleted");

        Path classes = tmp.resolve("classes.tif");
        CliRun predict = CliRun.of("predict", "--checkpoint", ckpt, "--raster", BadInputs.RASTER, "--out", classes,
                "--window", 32);
        assertEquals(0, predict.code(), predict.err());
        assertScoresOn(scenes, chips, classes);

        // a region of two halves of the scene: its chips name the mosaic ('left-region.vrt'), built again from the
        // tiling's files and grid; the mosaic holds the scene's pixels on its grid, so predict's raster of the scene
        // is the expected prediction
        Quadrants.gdal("gdal_translate", "-q", "-srcwin", "0", "0", "175", "352", BadInputs.RASTER.toString(),
                tmp.resolve("left.tif").toString());
        Quadrants.gdal("gdal_translate", "-q", "-srcwin", "175", "0", "174", "352", BadInputs.RASTER.toString(),
                tmp.resolve("right.tif").toString());
        Path region = tmp.resolve("region-chips");
        CliRun tile = CliRun.of("tile", "--raster", tmp.resolve("left.tif"), "--raster", tmp.resolve("right.tif"),
                "--labels", BadInputs.LABELS, "--label-field", "TIPO", "--mode", "segmentation", "--chip", 16,
                "--stride", 16, "--val", 0.2, "--test", 0.2, "--out", region);
        assertEquals(0, tile.code(), tile.err());
        CliRun regionScores = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", region, "--scene-window", 32);
        assertEquals(0, regionScores.code(), regionScores.err());
        assertScoresOn(regionScores, region, classes);

        CliRun noChips = CliRun.of("evaluate", "--checkpoint", ckpt, "--raster", BadInputs.RASTER, "--labels",
                BadInputs.LABELS, "--label-field", "TIPO", "--scene-window", 32);
        assertEquals(2, noChips.code());
        assertTrue(noChips.errorLine().contains("--scene-window goes with --chips"), noChips.errorLine());
        CliRun negative = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", chips, "--scene-window", -5);
        assertEquals(2, negative.code());
        assertTrue(negative.errorLine().contains("--scene-window -5: must be at least 0"), negative.errorLine());
        CliRun classifier = CliRun.of("evaluate", "--checkpoint", BadInputs.checkpoint(), "--chips",
                BadInputs.chips(), "--scene-window", 32);
        assertEquals(2, classifier.code(), classifier.err());
        assertTrue(classifier.errorLine().contains("--scene-window scores a segmenter's chips on whole-scene"
                + " predictions; ") && classifier.errorLine().contains("is a classifier"), classifier.errorLine());

        // the raster the chips were cut from is gone: one line naming it and the way out, no temporary file left
        Path moved = tmp.resolve("moved.tif");
        Files.copy(BadInputs.RASTER, moved);
        Path movedChips = tmp.resolve("moved-chips");
        CliRun tileMoved = CliRun.of("tile", "--raster", moved, "--labels", BadInputs.LABELS, "--label-field", "TIPO",
                "--mode", "segmentation", "--chip", 16, "--val", 0.2, "--test", 0.2, "--out", movedChips);
        assertEquals(0, tileMoved.code(), tileMoved.err());
        Files.delete(moved);
        Set<String> before = evaluationTemps();
        CliRun gone = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", movedChips, "--scene-window", 32);
        assertEquals(1, gone.code(), gone.err());
        assertTrue(gone.errorLine().contains("the scene " + moved + " of the test chips cannot be read or predicted")
                && gone.errorLine().contains("score chip by chip (without --scene-window)"), gone.errorLine());
        assertEquals(before, evaluationTemps());
    }

    /**
     * evaluate keeps its scratch files in java.io.tmpdir: where it cannot make a folder there (a full /tmp, here one
     * under a plain file) the line names it and the fix; --scene-window said "unexpected UncheckedIOException".
     */
    @Test
    void noScratchSpaceIsOneLineNamingTheTemporaryFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("no-scratch"));
        Path tmpdir = Files.writeString(dir.resolve("full"), "x").resolve("tmp");
        Object[][] runs = {{"--chips", chips, "--scene-window", 32, "the scene's predictions"},
            {"--raster", BadInputs.RASTER, "--labels", BadInputs.LABELS, "--label-field", "TIPO", "the chips"}};
        for (Object[] how : runs) {
            java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of("evaluate", "--checkpoint",
                    ckpt));
            args.addAll(java.util.List.of(how).subList(0, how.length - 1));
            Process p = BadInputs.start(dir, java.util.List.of("-Djava.io.tmpdir=" + tmpdir), args.toArray());
            String line = BadInputs.childFails(1, p, dir);
            assertTrue(line.contains(tmpdir + ": cannot create a temporary folder for " + how[how.length - 1])
                    && line.contains("point JAVA_OPTS=-Djava.io.tmpdir=DIR at another folder"), line);
        }
    }

    /** The printed scores are those of the store's test chips on the class raster, and so is the chip count. */
    private static void assertScoresOn(CliRun run, Path store, Path classes) {
        ChipStoreMetadata meta = ChipStoreReader.open(store).metadata();
        ConfusionMatrix expected = new ConfusionMatrix(meta.classNames().size(), meta.ignoreValue() == null
                ? ConfusionMatrix.NO_IGNORE : meta.ignoreValue());
        int[] chipCount = {0};
        try (GeoRaster predicted = GeoRaster.open(classes)) {
            ChipStoreReader.open(store).forEach(r -> {
                if (r.split() == Split.TEST) {
                    byte[] p = predicted.read(new PixelWindow(r.x(), r.y(), r.width(), r.height()), 1).bytes();
                    for (int i = 0; i < p.length; i++) {
                        expected.add(r.mask()[i] & 0xFF, p[i] & 0xFF);
                    }
                    chipCount[0]++;
                }
            });
        }
        String header = run.out().lines().findFirst().orElseThrow();
        assertTrue(chipCount[0] > 0 && header.endsWith(" " + chipCount[0] + " chips)"), header);
        assertEquals(Numbers.num(expected.accuracy()), value(run.out(), "acc"), run.out());
        assertEquals(Numbers.num(expected.meanIoU()), value(run.out(), "miou"), run.out());
    }

    /** @return the evaluation's temporary folders now in the JVM's temporary directory */
    private static Set<String> evaluationTemps() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(Path::getFileName).map(Path::toString).filter(n -> n.startsWith("geolightning-evaluate-"))
                    .collect(Collectors.toSet());
        }
    }

    /** @return the value printed on the row {@code key:} */
    private static String value(String out, String key) {
        return out.lines().map(String::trim).filter(l -> l.startsWith(key + ":")).findFirst()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElseThrow(() -> new AssertionError("no row " + key
                        + " in\n" + out));
    }
}
