package io.geolightning.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.models.nn.Architecture;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksTrainingTest {

    @TempDir
    Path tmp;

    private Trainer trainer(int epochs, Path dir, ModelCheckpoint... checkpoints) {
        return Trainer.builder().maxEpochs(epochs).seed(42).numSanityValSteps(0).enableProgressBar(false)
                .defaultRootDir(dir).callbacks(checkpoints).build();
    }

    @Test
    void classificationOnOlindaChipsImproves() throws Exception {
        SceneChips chips = SceneChips.olindaClassification(32, 16);
        assertEquals(List.of("RURAL", "URBANO"), chips.classNames());
        assertTrue(chips.train().size() > 150, "Olinda gives " + chips.train().size() + " training chips");
        ModelSpec spec = ModelSpec.of(Architecture.CNN, 6, 2, 32).withOption("width", 16).withOption("stages", 3);
        TaskSettings settings = TaskSettings.of(spec).withClassNames(chips.classNames())
                .withNormalization(BandNormalization.of(chips.stats()));   // default optimizer: AdamW, lr 1e-3
        ModelCheckpoint checkpoint = ModelCheckpoint.builder().dirpath(tmp.resolve("ckpt")).saveLast(true).build();
        // the untrained weights are drawn when the task is built, before fit seeds anything: seed them here, or they
        // depend on the random numbers the tests run before this one in the JVM drew
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
        try (LandUseTask task = LandUseTask.create(settings); Trainer trainer = trainer(5, tmp, checkpoint)) {
            assertTrue(task instanceof ClassificationTask);
            var val = chips.loader(chips.val(), chips.val().size(), false); // one batch: see report on ChipLoader progressTotal
            Map<String, Double> before = trainer.validate(task, val);
            trainer.fit(task, chips.loader(chips.train(), 16, true), val);
            Map<String, Double> after = trainer.validate(task, val);
            double lossBefore = before.get("val_loss");
            double lossAfter = after.get("val_loss");
            System.out.printf("olinda cnn: val_loss %.4f -> %.4f, val_acc %.3f -> %.3f, val_miou %.3f%n",
                    lossBefore, lossAfter, before.get("val_acc"), after.get("val_acc"), after.get("val_miou"));
            assertTrue(lossAfter < lossBefore, "val_loss " + lossBefore + " -> " + lossAfter);
            assertTrue(after.get("val_acc") >= 0.75, "val_acc " + after.get("val_acc"));
            assertTrue(after.get("val_miou") > before.get("val_miou"), before + " -> " + after);
            assertTrue(after.containsKey("val_iou_urbano") && after.containsKey("val_f1_rural"), after.keySet().toString());
            assertEquals(chips.val().size(), task.validationMatrix().total());

            // the checkpoint is self-describing: rebuild the task from it alone and get the same predictions
            Path ckpt = checkpoint.lastModelPath();
            assertTrue(ckpt != null && Files.exists(ckpt), "last checkpoint " + ckpt);
            try (LandUseTask restored = LandUseTask.load(ckpt)) {
                assertEquals(settings.model(), restored.settings().model());
                assertEquals(settings.classNames(), restored.settings().classNames());
                assertEquals(settings.normalization(), restored.settings().normalization());
                Map<String, Double> again = trainer(1, tmp.resolve("again")).validate(restored, val);
                assertEquals(lossAfter, again.get("val_loss"), 1e-5);
            }
        }
    }

    @Test
    void segmentationOnMassachusettsChipsLossDecreases() {
        SceneChips chips = SceneChips.massachusettsSegmentation(64, 64);
        assertEquals(2, chips.classNames().size(), chips.classNames().toString());
        ModelSpec spec = ModelSpec.of(Architecture.UNET, 3, 2, 64).withOption("width", 8).withOption("depth", 3);
        TaskSettings settings = TaskSettings.of(spec).withClassNames(chips.classNames())
                .withNormalization(BandNormalization.of(chips.stats()));
        ai.djl.engine.Engine.getInstance().setRandomSeed(7); // the weights are drawn when the task is built
        try (LandUseTask task = LandUseTask.create(settings); Trainer trainer = trainer(3, tmp)) {
            assertTrue(task instanceof SegmentationTask);
            var train = chips.loader(chips.train().subList(0, 120), 12, true);   // 120 chips keep the test short
            var val = chips.loader(chips.val(), chips.val().size(), false);
            Map<String, Double> before = trainer.validate(task, val);
            trainer.fit(task, train, val);
            Map<String, Double> after = trainer.validate(task, val);
            System.out.printf("massachusetts unet: val_loss %.4f -> %.4f, val_miou %.3f -> %.3f%n",
                    before.get("val_loss"), after.get("val_loss"), before.get("val_miou"), after.get("val_miou"));
            assertTrue(after.get("val_loss") < before.get("val_loss"), before + " -> " + after);
            assertTrue(after.get("val_miou") > 0.3, "val_miou " + after.get("val_miou"));
        }
    }

    @Test
    void settingsRoundTripThroughHyperparameters() {
        ModelSpec spec = ModelSpec.of(Architecture.RESNET18, 4, 3, 64);
        TaskSettings s = TaskSettings.of(spec).withClassNames(List.of("water", "urban", "forest"))
                .withNormalization(new BandNormalization(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}))
                .withClassWeights(List.of(1.0, 2.0, 0.5))
                .withOptimizer(OptimizerSettings.builder().optimizer("sgd").schedule("cosine").totalSteps(100)
                        .warmupSteps(5).build());
        assertEquals(s, TaskSettings.fromMap(s.toMap()));
    }

    @Test
    void badSettingsAreExplained() {
        ModelSpec seg = ModelSpec.of(Architecture.UNET, 3, 2, 32);
        ModelException e = assertThrows(ModelException.class, () -> new ClassificationTask(TaskSettings.of(seg)));
        assertTrue(e.getMessage().contains("SegmentationTask"), e.getMessage());
        e = assertThrows(ModelException.class, () -> TaskSettings.of(seg).withClassNames(List.of("a", "b", "c")));
        assertTrue(e.getMessage().contains("3 class names"), e.getMessage());
        e = assertThrows(ModelException.class, () -> TaskSettings.of(seg)
                .withNormalization(BandNormalization.identity(4)));
        assertTrue(e.getMessage().contains("4 bands but the model takes 3"), e.getMessage());
        e = assertThrows(ModelException.class, () -> TaskSettings.of(seg).withIgnoreIndex(1));
        assertTrue(e.getMessage().contains("ignoreIndex 1"), e.getMessage());
        e = assertThrows(ModelException.class, () -> OptimizerSettings.builder().optimizer("lbfgs").build());
        assertTrue(e.getMessage().contains("lbfgs"), e.getMessage());
        e = assertThrows(ModelException.class, () -> OptimizerSettings.builder().schedule("cosine").build());
        assertTrue(e.getMessage().contains("totalSteps"), e.getMessage());
        Path missing = tmp.resolve("nope.ckpt");
        RuntimeException r = assertThrows(RuntimeException.class, () -> LandUseTask.load(missing));
        assertTrue(r.getMessage().contains("nope.ckpt"), r.getMessage());
        assertTrue(!Files.exists(missing));
    }
}
