package io.geolightning.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.SceneChips;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.loggers.TensorBoardLogger;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-prediction callback on real chips: a U-Net on Massachusetts draws the same validation chips with their
 * true and predicted masks after every validation, into PNG files and TensorBoard image summaries; a classifier on
 * Olinda with chosen bands; a band the chips lack is refused before training. The drawing itself is checked pixel by
 * pixel on a chip whose values and masks are known.
 */
class ImagePredictionLoggerTest {

    @TempDir
    Path tmp;

    @Test
    void aSegmenterDrawsTheSameChipsAfterEveryValidation() throws Exception {
        SceneChips chips = SceneChips.massachusettsSegmentation(64, 64);
        ModelSpec spec = ModelSpec.of(Architecture.UNET, 3, 2, 64).withOption("width", 8).withOption("depth", 2);
        TaskSettings settings = TaskSettings.of(spec).withClassNames(chips.classNames())
                .withNormalization(BandNormalization.of(chips.stats()));
        Path folder = tmp.resolve("predictions");
        TensorBoardLogger tb = new TensorBoardLogger(tmp, "seg");
        ImagePredictionLogger images = new ImagePredictionLogger(chips.loader(chips.val(), 3, false), 4, List.of(),
                folder);
        try (LandUseTask task = LandUseTask.create(settings);
             Trainer trainer = Trainer.builder().maxEpochs(2).seed(1).numSanityValSteps(0).enableProgressBar(false)
                     .defaultRootDir(tmp).callbacks(images).loggers(tb).build()) {
            trainer.fit(task, chips.loader(chips.train().subList(0, 24), 8, true),
                    chips.loader(chips.val().subList(0, 12), 6, false));
            trainer.validate(task, chips.loader(chips.val().subList(0, 12), 6, false)); // not a fit's: no drawing
        }
        tb.close();
        List<String> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("epoch=0-step=3.png", "epoch=1-step=6.png"), files);
        BufferedImage drawn = ImageIO.read(folder.resolve(files.get(1)).toFile());
        int tile = 128; // 64 px chips enlarged twice to reach 96 px
        assertEquals(4 * (tile + 6) + 6, drawn.getWidth(), "two chips per row, each drawn with truth and prediction");
        assertEquals(2 * (tile + 30 + 6) + 6, drawn.getHeight(), "four chips in two rows");
        String events = new String(Files.readAllBytes(tb.eventFile()), StandardCharsets.ISO_8859_1);
        assertEquals(2, events.split(ImagePredictionLogger.TAG, -1).length - 1, "one image summary per validation");
        assertTrue(events.contains("\u0089PNG"), "PNG inside the event file");
    }

    @Test
    void aClassifierDrawsChosenBandsAndABadBandIsRefusedBeforeTraining() throws Exception {
        SceneChips chips = SceneChips.olindaClassification(16, 16);
        ModelSpec spec = ModelSpec.of(Architecture.CNN, 6, 2, 16).withOption("width", 8).withOption("stages", 2);
        TaskSettings settings = TaskSettings.of(spec).withClassNames(chips.classNames())
                .withNormalization(BandNormalization.of(chips.stats()));
        Path folder = tmp.resolve("cls");
        try (LandUseTask task = LandUseTask.create(settings);
             Trainer trainer = Trainer.builder().maxEpochs(1).seed(1).numSanityValSteps(0).enableProgressBar(false)
                     .defaultRootDir(tmp).callbacks(new ImagePredictionLogger(chips.loader(chips.val(), 16, false), 8,
                             List.of(4, 3, 2), folder)).build()) {
            trainer.fit(task, chips.loader(chips.train(), 32, true), chips.loader(chips.val(), 64, false));
        }
        try (Stream<Path> s = Files.list(folder)) {
            BufferedImage drawn = ImageIO.read(s.findFirst().orElseThrow().toFile());
            assertEquals(4 * (96 + 6) + 6, drawn.getWidth());
            assertEquals(2 * (96 + 30 + 6) + 6, drawn.getHeight());
        }

        try (LandUseTask task = LandUseTask.create(settings);
             Trainer trainer = Trainer.builder().maxEpochs(1).numSanityValSteps(0).enableProgressBar(false)
                     .defaultRootDir(tmp).callbacks(new ImagePredictionLogger(chips.loader(chips.val(), 16, false), 8,
                             List.of(9, 3, 2), tmp.resolve("never"))).build()) {
            ModelException e = assertThrows(ModelException.class, () -> trainer.fit(task,
                    chips.loader(chips.train(), 32, true), chips.loader(chips.val(), 64, false)));
            assertEquals("image predictions: band 9 is not one of the chips' bands 1..6; pick bands that exist",
                    e.getMessage());
            assertEquals(0, trainer.globalStep(), "refused before the first step");
        }
        assertThrows(ModelException.class, () -> new ImagePredictionLogger(null, 4, List.of(1, 2), null));
    }

    /** A 2 x 2 chip of known values and masks: stretched grey, the masks blended 45% over it, captions below. */
    @Test
    void theDrawingBlendsTheMasksOverTheStretchedChip() {
        float[] chip = {0, 1, 2, 3}; // one band, 2 x 2: stretched to 0, 85, 170, 255
        Map<Integer, Color> colors = Map.of(0, new Color(0, 0, 255), 1, new Color(255, 0, 0));
        BufferedImage img = ChipGallery.render(List.of(chip), new int[] {0}, 2, 2, List.of(new int[] {0, 1, 255, 1}),
                List.of(new int[] {1, 1, 0, 0}), null, List.of("water", "roof"), colors, 255);
        int tile = 96; // 2 px enlarged 48 times
        int truthX = 6 + 10;
        int predX = 6 + tile + 6 + 10;
        int y = 6 + 10;
        assertEquals(new Color(0, 0, Math.round(0.45f * 255)).getRGB(), img.getRGB(truthX, y), "water over black");
        assertEquals(new Color(Math.round(0.45f * 255), 0, 0).getRGB(), img.getRGB(predX, y), "roof over black");
        assertEquals(new Color(170, 170, 170).getRGB(), img.getRGB(truthX, y + 48), "unlabelled: the chip itself");
        int g = Math.round(255 * 0.55f);
        assertEquals(new Color(g, g, Math.round(255 * 0.55f + 255 * 0.45f)).getRGB(), img.getRGB(predX + 48, y + 48),
                "water over white");
    }
}
