package io.geolightning.tiling.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.TestData;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.Split;
import io.geolightning.trainer.Stage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDataModuleTest {

    @Test
    void aidHasThirtyClassesAndStratifiedSplitsHoldPerClass() {
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(TestData.data("aid150"))
                .withLoader(LoaderConfig.builder().batchSize(16).shuffle(true).build()));
        dm.prepareData();
        assertEquals(30, dm.classNames().size());
        assertEquals("Airport", dm.classNames().get(0));
        Map<Integer, int[]> perClass = new HashMap<>();
        for (Split s : new Split[] {Split.TRAIN, Split.VAL, Split.TEST}) {
            for (ImageFolderDataModule.Entry e : dm.entries(s)) {
                perClass.computeIfAbsent(e.label(), k -> new int[3])[s.ordinal()]++;
            }
        }
        assertEquals(30, perClass.size());
        for (var e : perClass.entrySet()) {
            int[] c = e.getValue();
            double n = c[0] + c[1] + c[2];
            assertEquals(0.70, c[0] / n, 0.02, "train share of class " + e.getKey());
            assertEquals(0.15, c[1] / n, 0.02, "val share of class " + e.getKey());
            assertEquals(0.15, c[2] / n, 0.02, "test share of class " + e.getKey());
        }
        // same seed -> same split
        ImageFolderDataModule again = new ImageFolderDataModule(ImageFolderDataModule.Config.of(TestData.data("aid150")));
        assertEquals(dm.entries(Split.VAL), again.entries(Split.VAL));

        dm.setup(Stage.FIT);
        assertEquals(3, dm.bandStatistics().bands());
        assertTrue(dm.bandStatistics().std()[0] > 10);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Batch b = dm.trainDataLoader().getData(m).iterator().next();
            try (b) {
                assertEquals(new Shape(16, 3, 150, 150), b.getData().singletonOrThrow().getShape());
                float mean = b.getData().singletonOrThrow().mean().getFloat();
                assertTrue(Math.abs(mean) < 1.0, "normalised batch mean " + mean);
            }
        }
    }

    @Test
    void resizeChangesTheChipSize() {
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(TestData.data("aid150"))
                .withResize(64));
        dm.setup(Stage.FIT);
        assertEquals(64, dm.chipSize()[0]);
        ChipSample s = dm.decode(dm.entries(Split.TEST).get(0));
        assertEquals(64, s.width());
        assertEquals(64, s.height());
    }

    @Test
    void badFoldersFailWithOneLine(@TempDir Path tmp) throws IOException {
        TilingException e = assertThrows(TilingException.class,
                () -> new ImageFolderDataModule(ImageFolderDataModule.Config.of(tmp.resolve("nope"))).prepareData());
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not a folder"), e.getMessage());
        Files.createDirectories(tmp.resolve("empty-class"));
        e = assertThrows(TilingException.class,
                () -> new ImageFolderDataModule(ImageFolderDataModule.Config.of(tmp)).prepareData());
        assertTrue(e.getMessage().contains("empty-class")
                && e.getMessage().contains("no image (jpg, jpeg, png, bmp, gif, tif, tiff)"), e.getMessage());
        Files.writeString(tmp.resolve("empty-class").resolve("broken.jpg"), "not a jpeg");
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(tmp)
                .withSplit(new io.geolightning.tiling.splits.SplitRatios(1, 0, 0), 1));
        e = assertThrows(TilingException.class, () -> dm.setup(Stage.FIT));
        assertTrue(e.getMessage().contains("broken.jpg"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));

        // images of two sizes kept at their size: the odd one is named with the data.resize that fixes it
        Path mixed = Files.createDirectories(tmp.resolve("mixed/a"));
        Files.createDirectories(tmp.resolve("mixed/b"));
        for (String name : List.of("a/1.png", "a/2.png", "b/1.png", "b/2.png", "b/3.png")) {
            int side = name.equals("b/3.png") ? 40 : 24;
            ImageIO.write(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), "png",
                    tmp.resolve("mixed").resolve(name).toFile());
        }
        ImageFolderDataModule odd = new ImageFolderDataModule(ImageFolderDataModule.Config.of(mixed.getParent())
                .withSplit(new io.geolightning.tiling.splits.SplitRatios(1, 0, 0), 1));
        e = assertThrows(TilingException.class, () -> {
            odd.setup(Stage.FIT);
            odd.entries(Split.TRAIN).forEach(odd::decode);
        });
        assertTrue(e.getMessage().endsWith("3.png: 40x40 pixels, but the images of " + mixed.getParent() + " are"
                + " 24x24; resize them all to one size (data.resize: 24, say) or resize this one"), e.getMessage());
    }
}
