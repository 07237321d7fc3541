package io.geolightning.tiling.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.trainer.Stage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data module used from Java as a TorchGeo user would, asking for a loader or a split's chips before
 * {@code setup(stage)}: refused with the library's one-line {@link TilingException} naming the store and the
 * {@code setup} call that loads them (it was a bare {@code IllegalStateException} that named no stage).
 */
class LoaderBeforeSetupTest {

    @Test
    void aSatelliteDataModuleNamesTheStageToSetUp(@TempDir Path tmp) {
        Path store = StreamingChipLoaderTest.store(tmp.resolve("s"), 60, 0, 1);
        SatelliteDataModule dm = new SatelliteDataModule(SatelliteDataModule.Config.store(store,
                LoaderConfig.builder().batchSize(8).build()));
        dm.setup(Stage.FIT);
        assertEquals(dm.sampleCount(Split.TRAIN), dm.trainDataLoader().size(), "FIT loads train and val");
        refused(dm::testDataLoader, store + ": the test split is not loaded; call setup(Stage.TEST) before asking for"
                + " its chips or loader (the Trainer calls it itself)");
        refused(() -> dm.chips(Split.TEST), store + ": the test split is not loaded; call setup(Stage.TEST)");
        SatelliteDataModule fresh = new SatelliteDataModule(SatelliteDataModule.Config.store(store,
                LoaderConfig.builder().batchSize(8).build()));
        fresh.setup(Stage.TEST);
        refused(fresh::valDataLoader, store + ": the val split is not loaded; call setup(Stage.FIT) or"
                + " setup(Stage.VALIDATE)");
        refused(() -> fresh.crossValidationFolds(BlockGrid.chips(2), 2, 1), store + ": the train split is not"
                + " loaded; call setup(Stage.FIT)");
        dm.setup(Stage.TEST);
        assertEquals(dm.sampleCount(Split.TEST), dm.testDataLoader().size());
    }

    @Test
    void anImageFolderDataModuleNamesSetup(@TempDir Path tmp) throws IOException {
        for (String name : new String[] {"a/1.png", "a/2.png", "b/1.png", "b/2.png"}) {
            Files.createDirectories(tmp.resolve(name).getParent());
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", tmp.resolve(name).toFile());
        }
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(tmp)
                .withSplit(new SplitRatios(1, 0, 0), 1));
        refused(dm::trainDataLoader, tmp + ": no training statistics yet; call setup(stage) (any stage) before"
                + " asking for a loader");
        dm.setup(Stage.FIT);
        assertEquals(4, dm.trainDataLoader().size());
    }

    private static void refused(Supplier<?> call, String start) {
        TilingException e = assertThrows(TilingException.class, call::get);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
