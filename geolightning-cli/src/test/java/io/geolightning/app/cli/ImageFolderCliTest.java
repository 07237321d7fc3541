package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.geolightning.geo.Gdal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Vector;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.gdal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluate and predict what users have: a small AID classifier (three classes, 36 images each, 32 px) trained from
 * an image folder, then scored on a folder of class folders ({@code evaluate --images}) and run over it
 * ({@code predict --images} into a CSV): the CSV's accuracy against the folder names equals the evaluation's, and
 * folders, outputs and models that do not fit are one-line errors that write nothing.
 */
class ImageFolderCliTest {

    private static final List<String> CLASSES = List.of("Beach", "Forest", "Parking");

    @Test
    void evaluateAndPredictAFolderOfImages(@TempDir Path tmp) throws Exception {
        Path aid = CliRun.data("aid150");
        assumeTrue(Files.isDirectory(aid), "AID-150 not present");
        Path folder = tmp.resolve("aid");
        for (String c : CLASSES) {
            Files.createDirectories(folder.resolve(c));
            try (Stream<Path> s = Files.list(aid.resolve(c))) {
                for (Path p : s.sorted().limit(36).toList()) {
                    Files.createSymbolicLink(folder.resolve(c).resolve(p.getFileName()), p);
                }
            }
        }
        Path cfg = tmp.resolve("aid.yaml");
        Files.writeString(cfg, "name: aid\nruns: " + tmp.resolve("runs") + "\n"
                + "model: {architecture: cnn, options: {width: 8, stages: 3}}\n"
                + "data: {imageFolder: " + folder + ", resize: 32, batchSize: 16, val: 0.2, test: 0.2}\n"
                + "trainer: {maxEpochs: 8, numSanityValSteps: 0}\ncallbacks: {imagePredictions: 0}\n"
                + "optimizer: {lr: 0.005}\n");
        CliRun train = CliRun.of("train", "--config", cfg);
        assertEquals(0, train.code(), train.err());
        Path ckpt = tmp.resolve("runs/aid/version_0/checkpoints/last.ckpt");

        CliRun eval = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", folder);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("(class folders, 108 images)"), eval.out());
        Matcher acc = Pattern.compile("(?m)^  acc: +(\\S+)").matcher(eval.out());
        assertTrue(acc.find(), eval.out());
        double evaluated = Double.parseDouble(acc.group(1));

        Path csv = tmp.resolve("predictions.csv");
        CliRun predict = CliRun.of("predict", "--checkpoint", ckpt, "--images", folder, "--out", csv);
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().contains("classified 108 images"), predict.out());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("file,class,probability", rows.get(0));
        assertEquals(109, rows.size());
        long right = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(CLASSES.contains(f[1]), row);
            double p = Double.parseDouble(f[2]);
            assertTrue(p >= 1.0 / 3 && p <= 1, row);
            right += f[0].startsWith(f[1] + "/") ? 1 : 0;
        }
        assertEquals(evaluated, right / 108.0, 1e-4, "the CSV's accuracy is the evaluation's");
        assertTrue(evaluated > 0.5, "a trained classifier: " + evaluated);

        // a class folder the model does not know; an output that is not a CSV; a raster model: one line, nothing written
        Files.createDirectories(folder.resolve("Desert"));
        Files.createSymbolicLink(folder.resolve("Desert/d.jpg"), aid.resolve("Desert").resolve(
                Files.list(aid.resolve("Desert")).sorted().findFirst().orElseThrow().getFileName()));
        CliRun unknown = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", folder);
        assertEquals(1, unknown.code(), unknown.err());
        assertTrue(unknown.errorLine().startsWith("error: " + folder.resolve("Desert") + ": 'Desert' is not one of"
                + " the classes [Beach, Forest, Parking]"), unknown.errorLine());
        CliRun notCsv = CliRun.of("predict", "--checkpoint", ckpt, "--images", folder, "--out", tmp.resolve("p.tif"));
        assertEquals(2, notCsv.code(), notCsv.err());
        assertTrue(notCsv.errorLine().contains("pass --out FILE.csv"), notCsv.errorLine());
        CliRun exists = CliRun.of("predict", "--checkpoint", ckpt, "--images", folder, "--out", csv);
        assertEquals(1, exists.code(), exists.err());
        assertTrue(exists.errorLine().contains("output exists; pass --overwrite"), exists.errorLine());
        assertFalse(Files.exists(tmp.resolve("p.tif")));
        CliRun tta = CliRun.of("predict", "--checkpoint", ckpt, "--images", folder, "--out", tmp.resolve("t.csv"),
                "--tta");
        assertEquals(2, tta.code(), tta.err());
        assertTrue(tta.errorLine().contains("leave out --raster, --out-dir, --probabilities, --polygons, --tta"),
                tta.errorLine());
        CliRun split = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", folder, "--split", "val");
        assertEquals(2, split.code(), split.err());
        assertTrue(split.errorLine().startsWith("error: --split val: splits are a chip store's"), split.errorLine());
        assertFalse(Files.exists(tmp.resolve("t.csv")));
        Path noImages = Files.createDirectories(tmp.resolve("no-images"));
        Files.writeString(noImages.resolve("notes.txt"), "not an image");
        CliRun empty = CliRun.of("predict", "--checkpoint", ckpt, "--images", noImages, "--out", tmp.resolve("e.csv"));
        assertEquals(1, empty.code(), empty.err());
        assertEquals("error: " + noImages + ": holds no image (jpg, jpeg, png, bmp, gif, tif, tiff); pass the folder of"
                + " the images to classify", empty.errorLine());
        assertFalse(Files.exists(tmp.resolve("e.csv")));
        // a truncated JPEG among good images: refused by name (javax.imageio would fill its lost rows with grey), and
        // no CSV is left, whole or half written
        Path damaged = Files.createDirectories(tmp.resolve("damaged/Beach"));
        Path beach = aid.resolve("Beach").resolve(Files.list(aid.resolve("Beach")).sorted().findFirst().orElseThrow()
                .getFileName());
        Files.copy(beach, damaged.resolve("a.jpg"));
        byte[] jpeg = Files.readAllBytes(beach);
        Path cut = Files.write(damaged.resolve("b.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        CliRun truncated = CliRun.of("predict", "--checkpoint", ckpt, "--images", damaged.getParent(), "--out",
                tmp.resolve("d.csv"));
        assertEquals(1, truncated.code(), truncated.err());
        assertTrue(truncated.errorLine().startsWith("error: " + cut) && truncated.errorLine().contains("damaged"),
                truncated.errorLine());
        CliRun scored = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", damaged.getParent());
        assertEquals(1, scored.code(), scored.err());
        assertTrue(scored.errorLine().startsWith("error: " + cut), scored.errorLine());
        try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("d.csv")
                    || f.getFileName().toString().startsWith(".d.csv")), "nothing written");
        }
    }

    /**
     * A folder of six-band GeoTIFF chips (EuroSAT-MS style, cut from Olinda's Landsat bands with GDAL) trains a
     * six-band model, which evaluate --images and predict --images run on every band; RGB images are refused.
     */
    @Test
    void multispectralChipsTrainOnEveryBand(@TempDir Path tmp) throws Exception {
        Gdal.ensureInitialised();
        Path folder = tmp.resolve("ms");
        Dataset olinda = gdal.Open(CliRun.sample("olinda/L7_ETMs.tif").toString());
        for (int i = 0; i < 6; i++) {
            for (String c : List.of("north", "south")) {
                Path chip = Files.createDirectories(folder.resolve(c)).resolve(c + i + ".tif");
                int y = c.equals("north") ? 0 : 300;
                gdal.Translate(chip.toString(), olinda, new TranslateOptions(new Vector<>(List.of("-srcwin",
                        "" + 40 * i, "" + y, "32", "32")))).delete();
            }
        }
        olinda.delete();
        Path cfg = tmp.resolve("ms.yaml");
        Files.writeString(cfg, "name: ms\nruns: " + tmp.resolve("runs") + "\n"
                + "model: {architecture: cnn, options: {width: 8, stages: 2}}\n"
                + "data: {imageFolder: " + folder + ", batchSize: 4, val: 0.2, test: 0.2}\n"
                + "trainer: {maxEpochs: 2, numSanityValSteps: 0}\ncallbacks: {imagePredictions: 0}\n");
        CliRun train = CliRun.of("train", "--config", cfg);
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("model: cnn, 6 bands"), train.out());
        Path ckpt = tmp.resolve("runs/ms/version_0/checkpoints/last.ckpt");
        CliRun eval = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", folder);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("(class folders, 12 images)"), eval.out());
        Path csv = tmp.resolve("ms.csv");
        CliRun predict = CliRun.of("predict", "--checkpoint", ckpt, "--images", folder, "--out", csv);
        assertEquals(0, predict.code(), predict.err());
        assertEquals(13, Files.readAllLines(csv).size());

        Path rgb = Files.createDirectories(tmp.resolve("rgb/north"));
        Files.createSymbolicLink(rgb.resolve("beach_1.jpg"), CliRun.data("aid150").resolve("Beach/beach_1.jpg"));
        CliRun refused = CliRun.of("predict", "--checkpoint", ckpt, "--images", rgb.getParent(), "--out",
                tmp.resolve("rgb.csv"));
        assertEquals(1, refused.code(), refused.err());
        assertEquals("error: " + rgb.resolve("beach_1.jpg") + ": 3 band(s) of uint8, but last.ckpt takes 6; pass"
                + " images of the bands it was trained on", refused.errorLine());
        assertFalse(Files.exists(tmp.resolve("rgb.csv")));
        CliRun notScored = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", rgb.getParent());
        assertEquals(1, notScored.code(), notScored.err());
        assertTrue(notScored.errorLine().endsWith("3 bands of uint8, but the model takes 6 bands; pass images of the"
                + " bands it was trained on"), notScored.errorLine());
    }

    /**
     * Images in sub-folders of a class folder (a class folder sorted by year, say) belong to that class, as in
     * torchvision's ImageFolder and in predict --images: training and evaluate --images read all 24 images where they
     * read the 18 at the top level and dropped the rest without a word. A class folder that is a link to a folder
     * elsewhere is read too.
     */
    @Test
    void imagesInSubFoldersOfAClassFolderAreRead(@TempDir Path tmp) throws Exception {
        Path aid = CliRun.data("aid150");
        assumeTrue(Files.isDirectory(aid), "AID-150 not present");
        Path folder = tmp.resolve("aid");
        for (String c : List.of("Beach", "Forest")) {
            try (Stream<Path> s = Files.list(aid.resolve(c))) {
                List<Path> images = s.sorted().limit(12).toList();
                for (int i = 0; i < images.size(); i++) {
                    Path dir = Files.createDirectories(c.equals("Forest") ? tmp.resolve("elsewhere/Forest")
                            : i >= 6 ? folder.resolve(c).resolve("2019") : folder.resolve(c));
                    Files.createSymbolicLink(dir.resolve(images.get(i).getFileName()), images.get(i));
                }
            }
        }
        Files.createSymbolicLink(folder.resolve("Forest"), tmp.resolve("elsewhere/Forest")); // a linked class folder
        Path cfg = tmp.resolve("aid.yaml");
        Files.writeString(cfg, "name: aid\nruns: " + tmp.resolve("runs") + "\n"
                + "model: {architecture: cnn, options: {width: 8, stages: 2}}\n"
                + "data: {imageFolder: " + folder + ", resize: 32, batchSize: 8, val: 0.25, test: 0.25}\n"
                + "trainer: {maxEpochs: 1, numSanityValSteps: 0}\ncallbacks: {imagePredictions: 0}\n");
        CliRun train = CliRun.of("train", "--config", cfg);
        assertEquals(0, train.code(), train.err());
        Matcher split = Pattern.compile("data: train (\\d+), val (\\d+), test (\\d+)").matcher(train.out());
        assertTrue(split.find(), train.out());
        assertEquals(24, Integer.parseInt(split.group(1)) + Integer.parseInt(split.group(2))
                + Integer.parseInt(split.group(3)), train.out());
        Path ckpt = tmp.resolve("runs/aid/version_0/checkpoints/last.ckpt");
        CliRun eval = CliRun.of("evaluate", "--checkpoint", ckpt, "--images", folder);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("(class folders, 24 images)"), eval.out());
        Path csv = tmp.resolve("p.csv");
        CliRun predict = CliRun.of("predict", "--checkpoint", ckpt, "--images", folder, "--out", csv);
        assertEquals(0, predict.code(), predict.err());
        assertEquals(25, Files.readAllLines(csv).size());
    }

    /**
     * A folder of one class folder cannot train a classifier: one line naming the folder and the fix in image-folder
     * terms (it spoke of tiling labels, --classes and a --background class, none of which an image folder has), and
     * no run folder.
     */
    @Test
    void aFolderOfOneClassIsRefusedInImageFolderTerms(@TempDir Path tmp) throws Exception {
        Path aid = CliRun.data("aid150");
        assumeTrue(Files.isDirectory(aid), "AID-150 not present");
        Path folder = Files.createDirectories(tmp.resolve("aid/Beach"));
        try (Stream<Path> s = Files.list(aid.resolve("Beach"))) {
            for (Path p : s.sorted().limit(8).toList()) {
                Files.createSymbolicLink(folder.resolve(p.getFileName()), p);
            }
        }
        Path cfg = tmp.resolve("aid.yaml");
        Files.writeString(cfg, "name: aid\nruns: " + tmp.resolve("runs") + "\n"
                + "model: {architecture: cnn, options: {width: 8, stages: 2}}\n"
                + "data: {imageFolder: " + folder.getParent() + ", resize: 32, batchSize: 4}\n"
                + "trainer: {maxEpochs: 1, numSanityValSteps: 0}\n");
        CliRun train = CliRun.of("train", "--config", cfg);
        assertEquals(1, train.code(), train.err());
        assertEquals("error: " + folder.getParent() + ": the image folder has 1 class [Beach]; a model needs two or"
                + " more: add a folder of images for each other class beside it (data.imageFolder/<class>/)",
                train.errorLine());
        assertFalse(Files.exists(tmp.resolve("runs/aid/version_0")), "no run folder");
    }
}
