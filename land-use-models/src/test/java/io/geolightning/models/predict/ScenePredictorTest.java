package io.geolightning.models.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterDataType;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.RasterWriter;
import io.geolightning.models.nn.Architecture;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.SceneChips;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.models.torchscript.TorchScriptArchives;
import io.geolightning.models.torchscript.TorchScriptModel;
import io.geolightning.models.torchscript.TorchScriptSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenePredictorTest {

    private static final BandNormalization OLINDA_NORM = new BandNormalization(
            new double[] {60, 50, 40, 60, 70, 50}, new double[] {20, 15, 10, 30, 30, 25});

    @TempDir
    Path tmp;

    private TorchScriptModel segmenter(int bands, BandNormalization norm) throws IOException {
        Path pt = TorchScriptArchives.firstTwoBandsSegmenter(tmp.resolve("seg-" + bands + ".pt"));
        return TorchScriptModel.load(pt, new TorchScriptSpec(LabelTask.SEGMENTATION, bands, 2, 32,
                List.of("dark", "bright"), norm, false));
    }

    private TorchScriptModel classifier(int chip) throws IOException {
        Path pt = TorchScriptArchives.meanOfFirstTwoBandsClassifier(tmp.resolve("cls.pt"));
        return TorchScriptModel.load(pt, new TorchScriptSpec(LabelTask.CLASSIFICATION, 6, 2, chip,
                List.of("RURAL", "URBANO"), OLINDA_NORM, false));
    }

    private static String gdalinfo(Path file) throws Exception {
        Process p = new ProcessBuilder("gdalinfo", "-json", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void segmenterOutputIsAGeoreferencedCogThatMatchesThePixelRule() throws Exception {
        Path out = tmp.resolve("olinda_classes.tif");
        try (GeoRaster in = GeoRaster.open(SceneChips.olindaRaster()); TorchScriptModel model = segmenter(6, OLINDA_NORM)) {
            PredictionResult r = new ScenePredictor(model).predict(in, out, PredictOptions.builder()
                    .windowSize(64).overlap(16).batchSize(3).build());
            assertEquals(out, r.classes());
            assertEquals(64, r.windowSize());
            assertEquals(16, r.overlap());
            assertEquals(7L * 7, r.windows(), "349 x 352 px in 64 px windows every 48 px");
            try (GeoRaster got = GeoRaster.open(out)) {
                assertEquals(in.width(), got.width());
                assertEquals(in.height(), got.height());
                assertEquals(1, got.bandCount());
                assertEquals(RasterDataType.UINT8, got.dataType());
                assertTrue(got.crs().orElseThrow().isEquivalent(in.crs().orElseThrow()));
                assertEquals(in.geoTransform(), got.geoTransform());
                assertEquals(255.0, got.nodata(1).orElseThrow());
                Map<String, String> md = got.metadata();
                assertEquals("dark", md.get("CLASS_0"));
                assertEquals("bright", md.get("CLASS_1"));
                assertEquals("2", md.get("CLASS_COUNT"));
                assertEquals("seg-6.pt", md.get("MODEL_SOURCE"));
                // every pixel: class 1 exactly where normalised band 2 exceeds normalised band 1
                RasterWindow src = in.readAll();
                byte[] cls = got.readAll().bytes();
                int mismatches = 0;
                for (int y = 0; y < in.height(); y++) {
                    for (int x = 0; x < in.width(); x++) {
                        double a = OLINDA_NORM.apply(0, src.getDouble(0, x, y));
                        double b = OLINDA_NORM.apply(1, src.getDouble(1, x, y));
                        if (Math.abs(a - b) > 1e-4 && cls[y * in.width() + x] != (b > a ? 1 : 0)) {
                            mismatches++;
                        }
                    }
                }
                assertEquals(0, mismatches);
            }
            String info = gdalinfo(out);
            assertTrue(info.contains("\"LAYOUT\":\"COG\""), info);
            assertTrue(info.contains("\"colorTable\""), info);
            // the strip is 64 rows of the raster's width, never the whole raster
            assertEquals(64L * in.width() * (2 * 4 + 4 + 1), r.stripBufferBytes());
            assertTrue(r.stripBufferBytes() * 5 < (long) in.width() * in.height() * (2 * 4 + 4 + 1));
        }
        assertEquals(List.of(out), listTifs());
    }

    private List<Path> listTifs() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.toString().endsWith(".tif")).sorted().toList();
        }
    }

    /** Mean |p(x) - p(x-1)| of the URBANO probability over columns where windows start vs all other columns. */
    private static double[] seamRatio(Path probabilities, int stride) {
        try (GeoRaster g = GeoRaster.open(probabilities)) {
            float[] p = g.read(g.extent(), 2).floats();
            int w = g.width();
            double border = 0;
            double inside = 0;
            long nb = 0;
            long ni = 0;
            for (int y = 0; y < g.height(); y++) {
                for (int x = 1; x < w; x++) {
                    double d = Math.abs(p[y * w + x] - p[y * w + x - 1]);
                    if (Double.isNaN(d)) {
                        continue;
                    }
                    if (x % stride == 0) {
                        border += d;
                        nb++;
                    } else {
                        inside += d;
                        ni++;
                    }
                }
            }
            return new double[] {border / nb, inside / ni};
        }
    }

    @Test
    void overlapWithTaperedBlendingLeavesNoSeamsAtWindowEdges() throws Exception {
        try (GeoRaster in = GeoRaster.open(SceneChips.olindaRaster()); TorchScriptModel model = classifier(32)) {
            ScenePredictor predictor = new ScenePredictor(model);
            Path blended = tmp.resolve("blended.tif");
            PredictionResult r = predictor.predict(in, blended, PredictOptions.builder().overlap(16)
                    .probabilities(ProbabilityOutput.FLOAT32).format(io.geolightning.geo.RasterFormat.GTIFF).build());
            Path hard = tmp.resolve("hard.tif");
            predictor.predict(in, hard, PredictOptions.builder().overlap(0).blending(Blending.UNIFORM)
                    .probabilities(ProbabilityOutput.FLOAT32).format(io.geolightning.geo.RasterFormat.GTIFF).build());
            double[] soft = seamRatio(r.probabilities(), 16);
            double[] blocky = seamRatio(ScenePredictor.probabilitiesPathFor(hard), 32);
            double softRatio = soft[0] / soft[1];
            double blockyRatio = blocky[0] / blocky[1];
            System.out.printf("seams: tapered overlap 16 border/inside %.4f/%.4f = %.2f; no overlap %.4f/%.4f = %.2f%n",
                    soft[0], soft[1], softRatio, blocky[0], blocky[1], blockyRatio);
            assertTrue(softRatio < 2.0, "tapered blending leaves a seam: ratio " + softRatio);
            assertTrue(blockyRatio > 5 * softRatio, "without overlap the windows should show: " + blockyRatio);
        }
    }

    @Test
    void aRasterOnAnotherScaleThanTheTrainingDataIsWarnedAbout() throws Exception {
        // the same scene as 16-bit values (x 257), as a 16-bit export of the 8-bit scene the model knows would be
        Path sixteen = tmp.resolve("olinda16.tif");
        Process p = new ProcessBuilder("gdal_translate", "-q", "-ot", "UInt16", "-scale", "0", "255", "0", "65535",
                SceneChips.olindaRaster().toString(), sixteen.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        try (TorchScriptModel model = segmenter(6, OLINDA_NORM);
             GeoRaster plain = GeoRaster.open(SceneChips.olindaRaster());
             GeoRaster scaled = GeoRaster.open(sixteen)) {
            ScenePredictor predictor = new ScenePredictor(model);
            PredictionResult ok = predictor.predict(plain, tmp.resolve("plain.tif"), PredictOptions.defaults());
            assertEquals(List.of(), ok.warnings(), "the scene the statistics describe");
            PredictionResult off = predictor.predict(scaled, tmp.resolve("scaled.tif"), PredictOptions.defaults());
            assertEquals(1, off.warnings().size(), off.warnings().toString());
            String w = off.warnings().get(0);
            assertTrue(w.startsWith("olinda16.tif: band 1 is far from the data seg-6.pt was trained on"), w);
            assertTrue(w.contains("on another scale (8 vs 16 bits"), w);
            assertTrue(w.contains("gdal_translate") && !w.contains("\n"), w);
            assertTrue(java.nio.file.Files.exists(off.classes()), "a warning, not a failure");
        }
    }

    @Test
    void nodataCollarStaysNodataAndProbabilitiesArePercent() throws Exception {
        Path rgb = SceneChips.data().resolve("rgb-byte/RGB.byte.tif");
        Path out = tmp.resolve("rgb.tif");
        BandNormalization norm = new BandNormalization(new double[] {90, 90, 90}, new double[] {40, 40, 40});
        try (GeoRaster in = GeoRaster.open(rgb); TorchScriptModel model = segmenter(3, norm)) {
            PredictionResult r = new ScenePredictor(model).predict(in, out, PredictOptions.builder().windowSize(128)
                    .probabilities(ProbabilityOutput.UINT8_PERCENT).build());
            assertTrue(r.windowsSkipped() > 0, "the nodata collar has whole windows of nodata");
            RasterWindow src = in.readAll();
            boolean[] valid = src.validMask();
            try (GeoRaster got = GeoRaster.open(out); GeoRaster probs = GeoRaster.open(r.probabilities())) {
                byte[] cls = got.readAll().bytes();
                byte[] pct = probs.readAll().bytes();
                int n = cls.length;
                assertEquals(2, probs.bandCount());
                for (int i = 0; i < n; i++) {
                    int c = cls[i] & 0xFF;
                    assertEquals(!valid[i], c == 255, "pixel " + i);
                    if (valid[i]) {
                        int sum = (pct[i] & 0xFF) + (pct[n + i] & 0xFF);
                        assertTrue(sum >= 99 && sum <= 101, "percentages sum to " + sum);
                    } else {
                        assertEquals(255, pct[i] & 0xFF);
                    }
                }
            }
        }
    }

    @Test
    void aTrainedTaskPredictsThroughTheSameApi() throws Exception {
        SceneChips chips = SceneChips.olindaClassification(32, 32);
        TaskSettings settings = TaskSettings.of(ModelSpec.of(Architecture.CNN, 6, 2, 32).withOption("width", 8)
                .withOption("stages", 3)).withClassNames(chips.classNames())
                .withNormalization(BandNormalization.of(chips.stats()));
        Path out = tmp.resolve("cnn.tif");
        try (LandUseTask task = LandUseTask.create(settings); GeoRaster in = GeoRaster.open(SceneChips.olindaRaster());
             InferenceModel model = new TaskInferenceModel(task, "untrained-cnn")) {
            PredictionResult r = new ScenePredictor(model).predict(in, out, PredictOptions.builder().batchSize(16).build());
            assertEquals(16, r.overlap(), "a classifier's windows overlap by half by default");
            try (GeoRaster got = GeoRaster.open(out)) {
                assertEquals("cnn", got.metadata().get("MODEL"));
                assertEquals("URBANO", got.metadata().get("CLASS_1"));
                byte[] cls = got.readAll().bytes();
                for (byte b : cls) {
                    assertTrue(b == 0 || b == 1, "class " + b);
                }
            }
        }
    }

    @Test
    void blocksOfARasterAssembleIntoTheWholeRastersPredictionExactly() throws Exception {
        // a U-Net sees context, windows overlap with tapered weights, the collar is nodata, the blocks (3 x 3 of
        // 300 x 250 px, the last ones shorter) line up neither with the 64-px windows nor with batches of 3: each
        // block must still get exactly the whole raster's values, classes and probabilities (a window's output
        // depends slightly, ~1e-7, on the other windows of its batch, so blocks must batch as the whole run does)
        Path rgb = SceneChips.data().resolve("rgb-byte/RGB.byte.tif");
        TaskSettings settings = TaskSettings.of(ModelSpec.of(Architecture.UNET, 3, 3, 64).withOption("width", 8)
                .withOption("depth", 2)).withClassNames(List.of("a", "b", "c"))
                .withNormalization(new BandNormalization(new double[] {90, 90, 90}, new double[] {40, 40, 40}));
        PredictOptions options = PredictOptions.builder().windowSize(64).overlap(16).batchSize(3)
                .probabilities(ProbabilityOutput.FLOAT32).format(io.geolightning.geo.RasterFormat.GTIFF).build();
        try (LandUseTask task = LandUseTask.create(settings); GeoRaster in = GeoRaster.open(rgb);
             InferenceModel model = new TaskInferenceModel(task, "untrained-unet")) {
            ScenePredictor predictor = new ScenePredictor(model);
            PredictionResult whole = predictor.predict(in, tmp.resolve("whole.tif"), options);
            RasterWindow wholeClasses;
            RasterWindow wholeProbs;
            try (GeoRaster c = GeoRaster.open(whole.classes()); GeoRaster p = GeoRaster.open(whole.probabilities())) {
                wholeClasses = c.readAll();
                wholeProbs = p.readAll();
            }
            int w = in.width();
            int h = in.height();
            byte[] classes = new byte[w * h];
            float[] probs = new float[3 * w * h];
            for (int by = 0; by < h; by += 250) {
                for (int bx = 0; bx < w; bx += 300) {
                    io.geolightning.geo.PixelWindow block = new io.geolightning.geo.PixelWindow(bx, by,
                            Math.min(300, w - bx), Math.min(250, h - by));
                    PredictionResult r = predictor.predict(in, block, tmp.resolve("b" + bx + "_" + by + ".tif"),
                            options);
                    assertEquals(block.width(), r.width());
                    try (GeoRaster c = GeoRaster.open(r.classes()); GeoRaster p = GeoRaster.open(r.probabilities())) {
                        assertEquals(in.geoTransform().forWindow(block), c.geoTransform(), "block " + block);
                        byte[] bc = c.readAll().bytes();
                        float[] bp = p.readAll().toFloatArray();
                        int n = block.width() * block.height();
                        for (int y = 0; y < block.height(); y++) {
                            System.arraycopy(bc, y * block.width(), classes, (by + y) * w + bx, block.width());
                            for (int k = 0; k < 3; k++) {
                                System.arraycopy(bp, k * n + y * block.width(), probs, k * w * h + (by + y) * w + bx,
                                        block.width());
                            }
                        }
                    }
                }
            }
            float[] expected = wholeProbs.toFloatArray();
            assertArrayEquals(wholeClasses.bytes(), classes, "block classes differ from the whole raster's");
            int differ = 0;
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(probs[i])) {
                    differ++;
                }
            }
            assertEquals(0, differ, "probabilities that differ from the whole raster's");
            assertThrows(ModelException.class, () -> predictor.predict(in, new io.geolightning.geo.PixelWindow(700, 0,
                    200, 10), tmp.resolve("outside.tif"), options));
        }
    }

    @Test
    void testTimeAugmentationTurnsEveryWindowBackBeforeAveraging() throws Exception {
        // the eight symmetries of a square, each undone by its inverse, all different on a non-symmetric plane
        float[] plane = new float[2 * 5 * 5];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = i * 0.37f - (i % 7);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int t = 0; t < 8; t++) {
            float[] f = TestTimeAugmentation.transform(plane, 2, 5, t, false);
            assertArrayEquals(plane, TestTimeAugmentation.transform(f, 2, 5, t, true), "transform " + t + " undone");
            seen.add(java.util.Arrays.toString(f));
        }
        assertEquals(8, seen.size(), "eight different symmetries");
        // a segmenter that looks at each pixel alone predicts the same with the eight turned windows averaged: any
        // pixel turned back to the wrong place would change it
        Path rgb = SceneChips.data().resolve("rgb-byte/RGB.byte.tif");
        BandNormalization norm = new BandNormalization(new double[] {90, 90, 90}, new double[] {40, 40, 40});
        try (GeoRaster in = GeoRaster.open(rgb); TorchScriptModel model = segmenter(3, norm)) {
            PredictOptions.Builder o = PredictOptions.builder().windowSize(64).overlap(16)
                    .probabilities(ProbabilityOutput.FLOAT32).format(io.geolightning.geo.RasterFormat.GTIFF);
            PredictionResult plain = new ScenePredictor(model).predict(in, tmp.resolve("plain.tif"), o.build());
            PredictionResult tta = new ScenePredictor(model).predict(in, tmp.resolve("tta.tif"), o.tta(true).build());
            try (GeoRaster a = GeoRaster.open(plain.classes()); GeoRaster b = GeoRaster.open(tta.classes());
                 GeoRaster pa = GeoRaster.open(plain.probabilities());
                 GeoRaster pb = GeoRaster.open(tta.probabilities())) {
                assertArrayEquals(a.readAll().bytes(), b.readAll().bytes());
                float[] x = pa.readAll().toFloatArray();
                float[] y = pb.readAll().toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    assertTrue(Float.isNaN(x[i]) ? Float.isNaN(y[i]) : Math.abs(x[i] - y[i]) < 1e-5, "pixel " + i);
                }
            }
        }
    }

    @Test
    void badInputsAreExplainedInOneLine() throws Exception {
        Path rgb = SceneChips.data().resolve("rgb-byte/RGB.byte.tif");
        try (TorchScriptModel model = segmenter(6, OLINDA_NORM); GeoRaster olinda = GeoRaster.open(SceneChips.olindaRaster());
             GeoRaster three = GeoRaster.open(rgb)) {
            ScenePredictor p = new ScenePredictor(model);
            ModelException e = assertThrows(ModelException.class,
                    () -> p.predict(three, tmp.resolve("a.tif"), PredictOptions.defaults()));
            assertTrue(e.getMessage().startsWith("RGB.byte.tif: has 3 bands but the model (seg-6.pt) expects 6; "
                    + "pass a raster with the model's 6 bands (or stack single-band files with --bands-from)"),
                    e.getMessage());

            e = assertThrows(ModelException.class,
                    () -> p.predict(olinda, tmp.resolve("no/such/folder/a.tif"), PredictOptions.defaults()));
            assertTrue(e.getMessage().contains("output folder") && e.getMessage().contains("does not exist"),
                    e.getMessage());

            Path existing = Files.writeString(tmp.resolve("exists.tif"), "old");
            e = assertThrows(ModelException.class, () -> p.predict(olinda, existing, PredictOptions.defaults()));
            assertTrue(e.getMessage().contains("exists.tif: already exists") && e.getMessage().contains("overwrite"),
                    e.getMessage());
            assertEquals("old", Files.readString(existing));
            PredictionResult replaced = p.predict(olinda, existing, PredictOptions.builder().overwrite(true).build());
            assertTrue(Files.size(replaced.classes()) > 1000);

            e = assertThrows(ModelException.class, () -> p.predict(olinda, tmp.resolve("b.tif"),
                    PredictOptions.builder().bands(List.of(1, 2, 3, 4, 5, 9)).build()));
            assertTrue(e.getMessage().contains("band 9 cannot be selected"), e.getMessage());

            // a raster without a CRS
            Path noCrs = tmp.resolve("nocrs.tif");
            RasterWindow data = RasterWindow.builder(RasterDataType.UINT8, 6, 40, 40).build();
            RasterWriter.builder(noCrs).size(40, 40).bandCount(6).dataType(RasterDataType.UINT8).build().write(data);
            try (GeoRaster plain = GeoRaster.open(noCrs)) {
                e = assertThrows(ModelException.class, () -> p.predict(plain, tmp.resolve("c.tif"),
                        PredictOptions.defaults()));
                assertTrue(e.getMessage().startsWith("nocrs.tif: has no CRS") && e.getMessage().contains("gdal_edit"),
                        e.getMessage());
            }
            for (ModelException m : List.of(e)) {
                assertEquals(1, m.getMessage().lines().count());
            }
        }
        try (TorchScriptModel cls = classifier(32); GeoRaster olinda = GeoRaster.open(SceneChips.olindaRaster())) {
            ModelException e = assertThrows(PredictOptionException.class, () -> new ScenePredictor(cls).predict(olinda,
                    tmp.resolve("d.tif"), PredictOptions.builder().windowSize(64).build()));
            assertTrue(e.getMessage().startsWith("--window 64: does not match the classifier's chip size 32"),
                    e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("a.tif")));
        assertNotNull(tmp);
        try (var s = Files.list(tmp)) {
            assertArrayEquals(new Object[0], s.filter(f -> f.getFileName().toString().startsWith(".")).toArray(),
                    "no temporary files are left behind");
        }
    }
}
