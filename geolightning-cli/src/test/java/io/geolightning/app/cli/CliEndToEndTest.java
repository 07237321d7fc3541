package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterDataType;
import io.geolightning.geo.RasterFormat;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.RasterWriter;
import io.geolightning.geo.RasterizeOptions;
import io.geolightning.geo.Rasterizer;
import io.geolightning.geo.VectorFeature;
import io.geolightning.geo.VectorSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.stream.Stream;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.VectorTranslateOptions;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo as a test, through the CLI's main entry in-process: Olinda (Landsat-7, 6 bands) + census polygons
 * (URBANO / RURAL) -> tile -> train -> predict, then the classified COG is checked against the input (CRS,
 * geotransform, size, COG layout) and against the rasterised URBANO polygons (urban IoU and Cohen's kappa, compared
 * with what a random map of the same urban share would get). The trained checkpoint also serves the predict/evaluate
 * bad-input tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {

    static final int EPOCHS = 4;

    Path tmp;

    Path raster = CliRun.sample("olinda/L7_ETMs.tif");
    Path labels = CliRun.sample("olinda/olinda1.shp");
    Path chips;
    Path runDir;
    Path checkpoint;
    Path classified;
    CliRun tile;
    CliRun train;
    CliRun predict;

    @BeforeAll
    void tileTrainPredict(@TempDir Path dir) throws IOException {
        tmp = dir;
        chips = tmp.resolve("chips");
        tile = CliRun.of("tile", "--raster", raster, "--labels", labels, "--label-field", "TIPO", "--chip", 16,
                "--stride", 8, "--split", "spatial", "--block", 4, "--val", 0.2, "--test", 0.2, "--seed", 42,
                "--out", chips);
        assertEquals(0, tile.code(), tile.err());
        train = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=" + EPOCHS, "--set",
                "callbacks.earlyStopping.enabled=false");
        assertEquals(0, train.code(), train.err());
        runDir = tmp.resolve("runs/olinda/version_0");
        try (Stream<Path> s = Files.list(runDir.resolve("checkpoints"))) {
            checkpoint = s.filter(p -> !p.getFileName().toString().equals("last.ckpt")).findFirst().orElseThrow();
        }
        classified = tmp.resolve("olinda-classified.tif");
        predict = CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out", classified,
                "--probabilities", tmp.resolve("probs.tif"), "--colors", "URBANO=#d62728,0=#2ca02c", "--polygons", tmp.resolve("olinda.gpkg"), "--connectivity", 8);
        assertEquals(0, predict.code(), predict.err());
    }

    @Test
    void classifiedCogKeepsTheInputGridAndFindsTheCity() throws Exception {
        assertTrue(predict.out().contains("classified GeoTIFF: " + classified.toAbsolutePath()), predict.out());
        try (GeoRaster in = GeoRaster.open(raster); GeoRaster out = GeoRaster.open(classified)) {
            assertEquals(in.width(), out.width());
            assertEquals(in.height(), out.height());
            assertEquals(1, out.bandCount());
            assertEquals(RasterDataType.UINT8, out.dataType());
            assertTrue(out.requireCrs().isEquivalent(in.requireCrs()), out.requireCrs() + " vs " + in.requireCrs());
            assertEquals(31985, out.requireCrs().epsg().orElse(-1));
            assertArrayEquals(in.geoTransform().toGdal(), out.geoTransform().toGdal(), 1e-9);

            JsonNode info = new ObjectMapper().readTree(run("gdalinfo", "-json", classified.toString()));
            assertEquals("COG", info.at("/metadata/IMAGE_STRUCTURE/LAYOUT").asText(), "gdalinfo: " + info);
            assertTrue(info.at("/coordinateSystem/wkt").asText().contains("31985"));

            // truth: URBANO/RURAL polygons burnt on the raster grid (0 = no polygon, e.g. the sea)
            byte[] truth;
            try (VectorSource v = VectorSource.open(labels)) {
                truth = Rasterizer.rasterize(v, RasterizeOptions.builder()
                        .classMap("TIPO", Map.of("RURAL", 1, "URBANO", 2)).background(0).build(), in).bytes();
            }
            byte[] pred = out.readAll().bytes();
            long n = 0;
            long tp = 0;
            long predUrban = 0;
            long trueUrban = 0;
            for (int i = 0; i < pred.length; i++) {
                int t = truth[i] & 0xFF;
                int p = pred[i] & 0xFF;
                if (t == 0 || p == 255) {
                    continue;
                }
                n++;
                boolean pu = p == 1;
                boolean tu = t == 2;
                predUrban += pu ? 1 : 0;
                trueUrban += tu ? 1 : 0;
                tp += pu && tu ? 1 : 0;
            }
            assertTrue(n > 0.3 * pred.length, "labelled, predicted pixels: " + n);
            double p = (double) predUrban / n;
            double q = (double) trueUrban / n;
            double iou = (double) tp / (predUrban + trueUrban - tp);
            double randomIou = p * q / (p + q - p * q);
            double agreement = (double) (tp + (n - predUrban - trueUrban + tp)) / n;
            double chance = p * q + (1 - p) * (1 - q);
            double kappa = (agreement - chance) / (1 - chance);
            System.out.printf("olinda e2e: urban IoU %.3f vs %.3f for a random map of the same urban share"
                    + " (%.2f predicted, %.2f true); accuracy %.3f, kappa %.3f over %d px%n",
                    iou, randomIou, p, q, agreement, kappa, n);
            assertTrue(iou > randomIou + 0.05, "urban IoU " + iou + " vs random " + randomIou);
            assertTrue(kappa > 0.2, "Cohen's kappa " + kappa);
        }
        try (GeoRaster probs = GeoRaster.open(tmp.resolve("probs.tif"))) {
            assertEquals(2, probs.bandCount());
            assertEquals(RasterDataType.FLOAT32, probs.dataType());
        }
    }

    /**
     * A run resumed into its next version folder, with a relative runs folder, ranks the earlier run's checkpoints
     * too: its best checkpoint may be one of them (here most likely, ranking by the largest validation loss), named in
     * the report from the new run's folder.
     */
    @Test
    void aResumedRunWithARelativeRunsFolderFindsTheEarlierCheckpoints() throws Exception {
        String runs = Path.of("").toAbsolutePath().relativize(tmp.resolve("resumed")).toString();
        List<String> common = List.of("train", "--config", CliRun.sample("run.yaml").toString(), "--set",
                "data.chips=" + chips, "--set", "runs=" + runs, "--set", "callbacks.checkpoint.mode=max", "--set",
                "callbacks.earlyStopping.enabled=false", "--set", "trainer.numSanityValSteps=0");
        List<String> first = new java.util.ArrayList<>(common);
        first.addAll(List.of("--set", "trainer.maxEpochs=2"));
        CliRun a = CliRun.of(first.toArray());
        assertEquals(0, a.code(), a.err());
        List<String> second = new java.util.ArrayList<>(common);
        second.addAll(List.of("--set", "trainer.maxEpochs=3", "--set", "trainer.ckptPath=" + runs
                + "/olinda/version_0/checkpoints/last.ckpt"));
        CliRun b = CliRun.of(second.toArray());
        assertEquals(0, b.code(), b.err());
        java.util.regex.Matcher best = java.util.regex.Pattern.compile("(?m)^best checkpoint (\\S+)$").matcher(b.out());
        assertTrue(best.find(), b.out());
        assertTrue(Files.isRegularFile(Path.of(best.group(1))), best.group(1));
        assertTrue(Files.readString(tmp.resolve("resumed/olinda/version_1/report.html")).contains("ckpt"));
    }

    /** A cosine schedule lasts the steps the run takes: trainer.maxSteps when it ends the run before maxEpochs. */
    @Test
    void theLearningRateScheduleEndsAtMaxSteps() throws Exception {
        CliRun r = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                "runs=" + tmp.resolve("steps"), "--set", "trainer.maxSteps=3", "--set", "optimizer.schedule=cosine",
                "--set", "optimizer.warmupSteps=1", "--set", "trainer.numSanityValSteps=0");
        assertEquals(0, r.code(), r.err());
        String hparams = Files.readString(tmp.resolve("steps/olinda/version_0/hparams.yaml"));
        assertTrue(hparams.contains("\"totalSteps\":3,"), hparams);
    }

    @Test
    void runFolderHoldsConfigStatsMetricsEventsCheckpointsAndReport() throws Exception {
        for (String f : List.of("config.yaml", "chips.json", "metrics.csv", "hparams.yaml", "report.html",
                "plots/loss.png", "plots/metrics.png", "plots/confusion.png", "checkpoints/last.ckpt")) {
            assertTrue(Files.isRegularFile(runDir.resolve(f)), f);
        }
        try (Stream<Path> s = Files.list(runDir)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
        }
        String config = Files.readString(runDir.resolve("config.yaml"));
        assertTrue(config.contains("maxEpochs: " + EPOCHS) && config.contains("chips: " + chips), config);
        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(html.contains("plots/confusion.png") && html.contains("RURAL") && html.contains("URBANO"));
        for (int e = 0; e < EPOCHS; e++) { // the image-prediction callback: one drawing per validation, in the gallery
            String drawing = "predictions/epoch=" + e + "-step=";
            try (Stream<Path> s = Files.list(runDir.resolve("predictions"))) {
                String name = s.map(p -> "predictions/" + p.getFileName()).filter(n -> n.startsWith(drawing))
                        .findFirst().orElseThrow(() -> new AssertionError("no " + drawing + "*.png"));
                assertTrue(html.contains("<img src=\"" + name + "\""), name);
            }
        }
        assertTrue(train.out().contains("report " + runDir.resolve("report.html")), train.out());

        // every training batch of every epoch ran: the last global step is epochs x batches per epoch
        long trainChips = new ObjectMapper().readTree(runDir.resolve("chips.json").toFile())
                .at("/rowCounts/train").asLong();
        long batches = (trainChips + 31) / 32;
        List<String> lines = Files.readAllLines(runDir.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int valLoss = header.indexOf("val_loss");
        long validationRows = lines.stream().skip(1).filter(l -> !l.split(",", -1)[valLoss].isEmpty()).count();
        assertEquals(EPOCHS, validationRows, "one validation per epoch");
        long lastStep = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[0])).max().orElse(0);
        assertEquals(EPOCHS * batches, lastStep, "global step after " + EPOCHS + " epochs of " + batches + " batches");
        assertTrue(header.contains("test_acc"), "the best checkpoint is evaluated on the test split");
    }

    /**
     * The console, metrics.csv and the report agree, in Lightning's conventions: epochs are numbered from 0 everywhere,
     * each epoch's training loss is the mean over every batch (not over the logged steps), the report's curve ends on
     * the console's last figure, the test metrics are logged at the run's last step, and the resolved configuration
     * shows no tiling keys for a run that read an existing chip store.
     */
    @Test
    void consoleMetricsAndReportAgreeOnEpochsAndTrainingLoss() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^epoch (\\d+)/(\\d+)  train_loss_epoch (\\S+)")
                .matcher(train.out());
        List<double[]> console = new java.util.ArrayList<>();
        while (m.find()) {
            assertEquals(EPOCHS - 1, Integer.parseInt(m.group(2)), m.group());
            console.add(new double[] {Integer.parseInt(m.group(1)), Double.parseDouble(m.group(3))});
        }
        assertEquals(EPOCHS, console.size(), train.out());
        assertEquals(0, console.get(0)[0], "the first epoch is epoch 0");
        io.geolightning.app.report.MetricsHistory history = io.geolightning.app.report.MetricsHistory.read(
                runDir.resolve("metrics.csv"));
        double[][] curve = history.perEpoch("train_loss_epoch");
        assertEquals(EPOCHS, curve[0].length);
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(console.get(e)[0], curve[0][e], "epoch numbers of the console and metrics.csv");
            assertEquals(console.get(e)[1], curve[1][e], 5e-5, "epoch " + e + ": console vs report curve");
        }
        double[][] steps = history.perEpoch("train_loss_step");
        assertTrue(Math.abs(steps[1][EPOCHS - 1] - curve[1][EPOCHS - 1]) > 1e-6,
                "the mean of the logged steps is not the epoch mean (else this test could not fail)");

        List<String> lines = Files.readAllLines(runDir.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int testAcc = header.indexOf("test_acc");
        String testRow = lines.stream().skip(1).filter(l -> !l.split(",", -1)[testAcc].isEmpty()).findFirst()
                .orElseThrow();
        long lastTrainStep = lines.stream().skip(1).filter(l -> l.split(",", -1)[testAcc].isEmpty())
                .mapToLong(l -> Long.parseLong(l.split(",")[0])).max().orElseThrow();
        // Lightning's steps: the last batch's rows at its steps done before it, the test after the fit at all of them
        assertEquals(lastTrainStep + 1, Long.parseLong(testRow.split(",")[0]), "test metrics at the run's global step");

        String config = Files.readString(runDir.resolve("config.yaml"));
        for (String unused : List.of("chipSize:", "labelField:", "stride:", "raster:", "imageFolder:")) {
            assertFalse(config.contains(unused), unused + " was not used by a run on an existing store:\n" + config);
        }
        assertTrue(config.contains("batchSize: 32") && config.contains("augment: true"), config);
    }

    /**
     * QGIS and GDAL see the class names and colours: category names and a raster attribute table (value, class,
     * red, green, blue, alpha) read back by gdalinfo, the --colors given by class name and by value in the colour
     * table, and a QGIS style beside the COG with one paletted entry per class; a bad --colors is a usage error that
     * writes nothing.
     */
    @Test
    void classNamesAndColoursReachGdalAndQgis() throws Exception {
        JsonNode info = new ObjectMapper().readTree(run("gdalinfo", "-json", classified.toString()));
        assertEquals("[\"RURAL\",\"URBANO\"]", info.at("/bands/0/categories").toString());
        assertEquals("[0,\"RURAL\",44,160,44,255]", info.at("/rat/row/0/f").toString(), info.at("/rat").toString());
        assertEquals("[1,\"URBANO\",214,39,40,255]", info.at("/rat/row/1/f").toString());
        assertEquals("[214,39,40,255]", info.at("/bands/0/colorTable/entries/1").toString());
        String qml = Files.readString(tmp.resolve("olinda-classified.qml"));
        assertTrue(qml.contains("type=\"paletted\"") && qml.contains("color=\"#d62728\" label=\"URBANO\" value=\"1\"")
                && qml.contains("label=\"RURAL\" value=\"0\""), qml);

        CliRun bad = CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out",
                tmp.resolve("colours.tif"), "--colors", "forest=#00ff00");
        assertEquals(2, bad.code(), bad.err());
        assertEquals("error: --colors: colour for 'forest': the model has no such class; its classes are [RURAL,"
                + " URBANO] (values 0..1); see 'geolightning predict --help'", bad.err().strip());
        bad = CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out",
                tmp.resolve("colours.tif"), "--colors", "URBANO=red");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().strip().startsWith("error: --colors URBANO=red: 'red' is not a colour; write it as"
                + " #rrggbb"), bad.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("colours")), "nothing written");
        }
    }

    /**
     * model.classColors: colours chosen at training travel in the checkpoint to every prediction's palette, legend
     * and QGIS style, and export's model card; --colors still wins; a class the data lacks and a colour that is not
     * one are usage errors.
     */
    @Test
    void classColoursChosenInYamlTravelInTheCheckpoint() throws Exception {
        Path runs = tmp.resolve("colour-runs");
        CliRun train = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips,
                "--set", "runs=" + runs, "--set", "trainer.maxEpochs=1", "--set",
                "model.classColors={URBANO: \"#aa0000\", 0: \"#00aa00\"}");
        assertEquals(0, train.code(), train.err());
        Path ckpt = runs.resolve("olinda/version_0/checkpoints/last.ckpt");
        Path out = tmp.resolve("coloured.tif");
        CliRun p = CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", out);
        assertEquals(0, p.code(), p.err());
        JsonNode info = new ObjectMapper().readTree(run("gdalinfo", "-json", out.toString()));
        assertEquals("[0,170,0,255]", info.at("/bands/0/colorTable/entries/0").toString());
        assertEquals("[1,\"URBANO\",170,0,0,255]", info.at("/rat/row/1/f").toString());
        assertTrue(Files.readString(tmp.resolve("coloured.qml")).contains("color=\"#aa0000\" label=\"URBANO\""));
        p = CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", out, "--overwrite", "--colors",
                "URBANO=#0000ff");
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.readString(tmp.resolve("coloured.qml")).contains("color=\"#0000ff\" label=\"URBANO\""));
        Path exported = tmp.resolve("coloured-export"); // the export's card carries them to a traced model's predict
        CliRun ex = CliRun.of("export", "--checkpoint", ckpt, "--out", exported);
        assertEquals(0, ex.code(), ex.err());
        CliRun card = CliRun.of("info", exported.resolve("model.json"));
        assertEquals(0, card.code(), card.err());
        assertTrue(card.out().contains("{URBANO=#aa0000, RURAL=#00aa00}"), card.out());

        CliRun bad = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                "runs=" + runs, "--set", "model.classColors={forest: \"#aa0000\"}");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.errorLine().endsWith("model.classColors.forest: the data has no such class; its classes are"
                + " [RURAL, URBANO] (values 0..1)"), bad.errorLine());
        assertFalse(Files.exists(runs.resolve("olinda/version_1")), "no run folder for a refused configuration");
        bad = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--print-config", "--set",
                "model.classColors={URBANO: red}");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.errorLine().endsWith("model.classColors.URBANO: 'red' is not a colour; write it as #rrggbb"
                + " (e.g. #d62728)"), bad.errorLine());
    }

    /**
     * predict --polygons: one feature per 8-connected region of a class, named, in the raster's CRS; each class's
     * polygons cover exactly its pixels' area; polygon flags without --polygons, a shapefile and an existing file are
     * refused and leave everything as it was.
     */
    @Test
    void polygonsCoverEachClassesPixels() throws Exception {
        assertTrue(predict.out().contains("polygons: " + tmp.resolve("olinda.gpkg").toAbsolutePath()), predict.out());
        long[] pixels = new long[2];
        double pixelArea;
        try (GeoRaster out = GeoRaster.open(classified)) {
            for (byte b : out.readAll().bytes()) {
                if ((b & 0xff) < 2) {
                    pixels[b & 0xff]++;
                }
            }
            double[] gt = out.geoTransform().toGdal();
            pixelArea = Math.abs(gt[1] * gt[5]);
        }
        try (VectorSource v = VectorSource.open(tmp.resolve("olinda.gpkg")); GeoRaster in = GeoRaster.open(raster)) {
            assertTrue(v.requireCrs().isEquivalent(in.requireCrs()));
            assertEquals(List.of("class", "name", "area"), v.fieldNames());
            double[] area = new double[2];
            for (VectorFeature f : v.features()) {
                int c = ((Number) f.attribute("class")).intValue();
                assertEquals(c == 0 ? "RURAL" : "URBANO", f.attribute("name"));
                area[c] += f.geometry().getArea();
            }
            for (int c = 0; c < 2; c++) {
                assertEquals(pixels[c] * pixelArea, area[c], pixels[c] * pixelArea * 1e-9, "class " + c);
            }
        }
        long before = Files.getLastModifiedTime(tmp.resolve("olinda.gpkg")).toMillis();
        CliRun bad = CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out",
                tmp.resolve("shapes.tif"), "--min-area", 100);
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: --min-area applies to polygons only; pass --polygons too"), bad.err());
        bad = CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out", tmp.resolve("shapes.tif"),
                "--polygons", tmp.resolve("shapes.shp"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("shapes.shp: is not a .gpkg, .geojson or .fgb file"), bad.err());
        String line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out",
                tmp.resolve("shapes.tif"), "--polygons", tmp.resolve("olinda.gpkg")));
        assertTrue(line.contains("olinda.gpkg: output exists; pass --overwrite"), line);
        assertEquals(before, Files.getLastModifiedTime(tmp.resolve("olinda.gpkg")).toMillis());
        // the scene in its CRS written as a PROJ string (no EPSG code): GeoJSON cannot name it, refused before the
        // model runs, nothing written; a GeoPackage keeps it
        Path proj = tmp.resolve("shapes-proj.tif");
        Dataset src = gdal.Open(raster.toString());
        gdal.Translate(proj.toString(), src, new TranslateOptions(new Vector<>(List.of("-a_srs",
                "+proj=utm +zone=25 +south +ellps=GRS80 +towgs84=0,0,0 +units=m +no_defs")))).delete();
        src.delete();
        line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", proj, "--out",
                tmp.resolve("shapes.tif"), "--polygons", tmp.resolve("shapes.geojson")));
        assertTrue(line.startsWith("error: " + tmp.resolve("shapes.geojson") + ": GeoJSON names a CRS only by its EPSG"
                + " code") && line.endsWith("write the polygons to a .gpkg or .fgb file, which keep any CRS"), line);
        Files.delete(proj);
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("shapes")), "nothing written");
        }
    }

    @Test
    void infoDescribesTheChipStoreAndTheCheckpoint() {
        CliRun r = CliRun.of("info", chips);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("classification") && r.out().contains("[RURAL, URBANO]")
                && r.out().contains("band 6:"), r.out());
        r = CliRun.of("info", checkpoint);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cnn (classification)") && r.out().matches("(?s).*bands: +6\\n.*")
                && r.out().contains("[RURAL, URBANO]") && r.out().contains("val_loss"), r.out());
        // the epoch its name counts from 0, and how many epochs that is
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("epoch=(\\d+)").matcher(checkpoint
                .getFileName().toString());
        assertTrue(named.find(), checkpoint.toString());
        int epoch = Integer.parseInt(named.group(1));
        assertTrue(r.out().contains("epochs done:    " + (epoch + 1) + " (the last: epoch=" + epoch
                + ", counted from 0"), r.out());
    }

    @Test
    void trainTilesTheSceneItselfWhenTheConfigNamesARaster() throws Exception {
        Path cfg = tmp.resolve("inline.yaml");
        Files.writeString(cfg, "name: inline\nruns: " + tmp.resolve("inline-runs") + "\n"
                + "model: {architecture: cnn, options: {width: 8, stages: 2}}\n"
                + "data: {raster: " + raster + ", labels: " + labels + ", labelField: TIPO, chipSize: 32,"
                + " split: random, val: 0.25, test: 0.0}\n"
                + "trainer: {maxEpochs: 1, limitTrainBatches: 2, numSanityValSteps: 0}\n");
        CliRun r = CliRun.of("train", "--config", cfg);
        assertEquals(0, r.code(), r.err());
        Path store = tmp.resolve("inline-runs/inline/chips");
        assertTrue(Files.isRegularFile(store.resolve("chips.json")), "tiled into <runs>/<name>/chips");
        assertTrue(r.out().contains("evaluation on the validation split"), r.out());
        long before = Files.getLastModifiedTime(store.resolve("chips.json")).toMillis();
        CliRun again = CliRun.of("train", "--config", cfg);
        assertEquals(0, again.code(), again.err());
        assertEquals(before, Files.getLastModifiedTime(store.resolve("chips.json")).toMillis(),
                "an unchanged scene and tiling configuration are not tiled again");
        assertTrue(Files.isDirectory(tmp.resolve("inline-runs/inline/version_1")), "second run, second version");
    }

    @Test
    void validateAndTestAreEvaluateOnTheirSplits() {
        CliRun val = CliRun.of("validate", "--checkpoint", checkpoint, "--chips", chips);
        assertEquals(0, val.code(), val.err());
        assertTrue(val.out().contains("(val split, "), val.out());
        CliRun test = CliRun.of("test", "--checkpoint", checkpoint, "--chips", chips);
        assertEquals(0, test.code(), test.err());
        assertTrue(test.out().contains("(test split, "), test.out());
        CliRun train = CliRun.of("validate", "--checkpoint", checkpoint, "--chips", chips, "--split", "train");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("(train split, "), train.out());
    }

    /**
     * evaluate --raster --labels: the scene cut into chips of the model's size (stride = chip size) and scored, exactly
     * as tiling it that way and evaluating the store; no temporary chips are left; --labels without --raster is a
     * usage error, and so are polygons without --label-field for a classifier.
     */
    @Test
    void evaluateScoresARasterOnItsLabels() throws Exception {
        CliRun direct = CliRun.of("evaluate", "--checkpoint", checkpoint, "--raster", raster, "--labels", labels,
                "--label-field", "TIPO");
        assertEquals(0, direct.code(), direct.err());
        Path grid = tmp.resolve("grid-chips");
        CliRun tiled = CliRun.of("tile", "--raster", raster, "--labels", labels, "--label-field", "TIPO", "--chip", 16,
                "--stride", 16, "--split", "none", "--out", grid);
        assertEquals(0, tiled.code(), tiled.err());
        CliRun stored = CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", grid, "--split", "train");
        assertEquals(0, stored.code(), stored.err());
        String tables = direct.out().substring(direct.out().indexOf('\n'));
        assertEquals(stored.out().substring(stored.out().indexOf('\n')), tables, "same chips, same scores");
        assertTrue(direct.out().startsWith(checkpoint.getFileName() + " on L7_ETMs.tif on olinda1.shp ("),
                direct.out());
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("geolightning-evaluate-")),
                    "temporary chips left");
        }
        CliRun usage = CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", chips, "--labels", labels);
        assertEquals(2, usage.code(), usage.err());
        assertTrue(usage.errorLine().startsWith("error: --labels goes with --raster"), usage.errorLine());
        CliRun stray = CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", chips, "--unknown", "ignore");
        assertEquals(2, stray.code(), stray.err());
        assertTrue(stray.errorLine().startsWith("error: --unknown goes with --raster"), stray.errorLine());
        // a classifier on polygons without --label-field: refused as tile refuses it (it used to label every chip
        // the polygons cover as the model's class 1, URBANO here, and print those scores)
        CliRun noField = CliRun.of("evaluate", "--checkpoint", checkpoint, "--raster", raster, "--labels", labels);
        assertEquals(2, noField.code(), noField.out() + noField.err());
        assertTrue(noField.errorLine().startsWith("error: --label-field is not set: ") && noField.errorLine()
                .contains("classes [RURAL, URBANO]"), noField.errorLine());
    }

    /**
     * evaluate --raster on labels holding a class the model does not know (every 7th polygon 'PARQUE'): an error
     * naming the value and --unknown ignore; with it, those polygons are left out and the rest scored.
     */
    @Test
    void evaluateOnLabelsWithAnUnknownClass() {
        Gdal.ensureInitialised();
        Path parks = tmp.resolve("parks.gpkg");
        Dataset src = gdal.OpenEx(labels.toString(), gdalconstConstants.OF_VECTOR);
        Dataset out = gdal.VectorTranslate(parks.toString(), src, new VectorTranslateOptions(new Vector<>(List.of(
                "-f", "GPKG", "-dialect", "SQLite", "-sql", "SELECT Geometry, CASE WHEN ROWID % 7 = 0 THEN 'PARQUE'"
                        + " ELSE TIPO END AS TIPO FROM olinda1"))));
        assertNotNull(out, gdal.GetLastErrorMsg());
        out.delete();
        src.delete();
        CliRun refused = CliRun.of("evaluate", "--checkpoint", checkpoint, "--raster", raster, "--labels", parks,
                "--label-field", "TIPO");
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.errorLine().contains("'PARQUE'") && refused.errorLine().contains("--unknown ignore"),
                refused.errorLine());
        CliRun ignored = CliRun.of("evaluate", "--checkpoint", checkpoint, "--raster", raster, "--labels", parks,
                "--label-field", "TIPO", "--unknown", "ignore");
        assertEquals(0, ignored.code(), ignored.err());
        assertTrue(ignored.out().contains("URBANO") && !ignored.out().contains("PARQUE"), ignored.out());
        // a raster smaller than the model's chips: named with its size and the chips', no tiling option suggested
        Path tiny = tmp.resolve("tiny.tif");
        Dataset whole = gdal.Open(raster.toString());
        gdal.Translate(tiny.toString(), whole, new TranslateOptions(new Vector<>(List.of("-srcwin", "0", "0", "10",
                "10")))).delete();
        whole.delete();
        String line = fails(CliRun.of("evaluate", "--checkpoint", checkpoint, "--raster", tiny, "--labels", labels,
                "--label-field", "TIPO"));
        assertTrue(line.startsWith("error: " + tiny + ": 10x10 pixels, smaller than the model's ")
                && line.endsWith(" chips; score it on a raster of at least that size"), line);
    }

    @Test
    void evaluatePrintsMetricsAndTheConfusionMatrix() {
        CliRun r = CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", chips, "--split", "test");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("acc:") && r.out().contains("truth\\pred") && r.out().contains("URBANO"),
                r.out());
        CliRun val = CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", chips, "--split", "val");
        assertEquals(0, val.code(), val.err());
    }

    /** A user-facing failure: the exit code, one line on stderr starting with "error: ", no stack trace. */
    private static String fails(CliRun r) {
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        String line = r.errorLine();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.startsWith("error: "), line);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return line;
    }

    @Test
    void predictRejectsBadInputsWithOneLine() throws Exception {
        Path rgb = CliRun.data("rgb-byte/RGB.byte.tif");
        Path threeBands = Files.exists(rgb) ? rgb : null;
        if (threeBands == null) {
            threeBands = tmp.resolve("three.tif");
            try (GeoRaster in = GeoRaster.open(raster)) {
                RasterWindow w = in.read(new PixelWindow(0, 0, 64, 64), 1, 2, 3);
                RasterWriter.builder(threeBands, w).format(RasterFormat.GTIFF).build().write(w);
            }
        }
        String line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", threeBands, "--out",
                tmp.resolve("x.tif")));
        assertTrue(line.contains(threeBands.getFileName().toString()) && line.contains("3") && line.contains("6"),
                "names the file and both band counts: " + line);

        Path noCrs = tmp.resolve("no-crs.tif");
        try (GeoRaster in = GeoRaster.open(raster)) {
            RasterWindow all = in.readAll();
            RasterWriter.builder(noCrs).format(RasterFormat.GTIFF).size(in.width(), in.height())
                    .bandCount(in.bandCount()).dataType(in.dataType()).geoTransform(in.geoTransform()).build()
                    .write(all);
        }
        try (GeoRaster check = GeoRaster.open(noCrs)) {
            assertTrue(check.crs().isEmpty(), "fixture has no CRS");
        }
        line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", noCrs, "--out",
                tmp.resolve("y.tif")));
        assertTrue(line.contains("no-crs.tif") && line.contains("CRS"), line);
        assertFalse(Files.exists(tmp.resolve("y.tif")), "no output left behind");

        line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out",
                tmp.resolve("missing/folder/z.tif")));
        assertTrue(line.contains("does not exist"), line);

        line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out", classified));
        assertTrue(line.contains("output exists; pass --overwrite"), line);
        // the user's own QGIS style of a raster not written yet is an output predict would replace: refused
        Path style = tmp.resolve("styled.qml");
        Files.writeString(style, "<qgis>the user's style</qgis>", StandardCharsets.UTF_8);
        line = fails(CliRun.of("predict", "--checkpoint", checkpoint, "--raster", raster, "--out",
                tmp.resolve("styled.tif")));
        assertEquals("error: " + style + ": exists, and predict would replace or remove it with styled.tif; pass"
                + " --overwrite to replace it or choose another path", line);
        assertEquals("<qgis>the user's style</qgis>", Files.readString(style));
        assertFalse(Files.exists(tmp.resolve("styled.tif")));

        Path notCkpt = tmp.resolve("notes.ckpt");
        Files.writeString(notCkpt, "not a checkpoint", StandardCharsets.UTF_8);
        line = fails(CliRun.of("predict", "--checkpoint", notCkpt, "--raster", raster, "--out", tmp.resolve("w.tif")));
        assertTrue(line.contains("notes.ckpt"), line);
    }

    @Test
    void evaluateRejectsChipsThatDoNotFitTheCheckpoint() {
        Path massachusetts = CliRun.data("massachusetts/22978945_15.tif");
        if (!Files.exists(massachusetts)) {
            return;
        }
        Path other = tmp.resolve("ma-chips");
        CliRun t = CliRun.of("tile", "--raster", massachusetts, "--labels",
                CliRun.data("massachusetts/buildings_22978945_15.gpkg"), "--mode", "segmentation", "--chip", 128,
                "--split", "random", "--out", other);
        assertEquals(0, t.code(), t.err());
        String line = fails(CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", other));
        assertTrue(line.contains("3 bands") && line.contains("expects 6"), line);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertNotNull(out);
        return out;
    }
}
