package io.geolightning.models.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.labels.LabelTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptModelTest {

    @TempDir
    Path tmp;

    private static TorchScriptSpec segSpec(int classes) {
        return new TorchScriptSpec(LabelTask.SEGMENTATION, 3, classes, 8, List.of(), null, false);
    }

    @Test
    void segmenterOutputsSoftmaxOfItsLogitsPerPixel() throws Exception {
        Path pt = TorchScriptArchives.firstTwoBandsSegmenter(tmp.resolve("seg.pt"));
        try (TorchScriptModel model = TorchScriptModel.load(pt, segSpec(2))) {
            assertEquals("seg.pt", model.source());
            assertEquals(LabelTask.SEGMENTATION, model.signature().kind());
            // one 3 x 1 x 2 window: band 0 = [0, 1], band 1 = [0.5, 0], band 2 ignored
            float[] p = model.probabilities(new float[] {0, 1, 0.5f, 0, 9, 9}, 1, 1, 2);
            assertEquals(4, p.length);
            double p1 = 1 / (1 + Math.exp(-4 * (0.5 - 0)));   // pixel 0: softmax([0, 2])[1]
            assertEquals(1 - p1, p[0], 1e-6);
            assertEquals(p1, p[2], 1e-6);
            double q1 = 1 / (1 + Math.exp(-4 * (0 - 1)));     // pixel 1: softmax([4, 0])[1]
            assertEquals(q1, p[3], 1e-6);
        }
    }

    /** A model traced in float64 (or returning integers) is read as float32 (or refused in one line). */
    @Test
    void doubleOutputsAreReadAsFloatsAndIntegerOutputsRefused() throws Exception {
        Path pt = TorchScriptArchives.write(tmp.resolve("dbl.pt"), "Doubles",
                "return torch.to(torch.mul(torch.slice(x, 1, 0, 2), 4.0), 7)");
        try (TorchScriptModel model = TorchScriptModel.load(pt, segSpec(2))) {
            float[] p = model.probabilities(new float[] {0, 1, 0.5f, 0, 9, 9}, 1, 1, 2);
            assertEquals(1 / (1 + Math.exp(-4 * 0.5)), p[2], 1e-6);
        }
        Path ints = TorchScriptArchives.write(tmp.resolve("int.pt"), "Ints",
                "return torch.to(torch.mul(torch.slice(x, 1, 0, 2), 4.0), 4)");
        ModelException e = assertThrows(ModelException.class, () -> {
            try (TorchScriptModel model = TorchScriptModel.load(ints, segSpec(2))) {
                model.probabilities(new float[] {0, 1, 0.5f, 0, 9, 9}, 1, 1, 2);
            }
        });
        assertTrue(e.getMessage().startsWith("int.pt: forward returned a int64 tensor; export a model whose forward"
                + " returns float logits"), e.getMessage());
    }

    @Test
    void classifierAndAnyFileExtension() throws Exception {
        Path pt = TorchScriptArchives.meanOfFirstTwoBandsClassifier(tmp.resolve("cls.torchscript"));
        TorchScriptSpec spec = new TorchScriptSpec(LabelTask.CLASSIFICATION, 2, 2, 4, List.of("water", "land"),
                new BandNormalization(new double[] {1, 1}, new double[] {2, 2}), false);
        try (TorchScriptModel model = TorchScriptModel.load(pt, spec)) {
            float[] batch = new float[2 * 2 * 2 * 2];
            batch[4] = 8;                      // window 0: band 1 mean 2 -> class 1
            batch[8] = 4;                      // window 1: band 0 mean 1 -> class 0
            float[] p = model.probabilities(batch, 2, 2, 2);
            assertEquals(4, p.length);
            assertTrue(p[1] > 0.99 && p[2] > 0.98, java.util.Arrays.toString(p));
            assertEquals(List.of("water", "land"), model.classNames());
        }
    }

    @Test
    void badFilesAndSpecsAreExplained() throws Exception {
        ModelException e = assertThrows(ModelException.class,
                () -> TorchScriptModel.load(tmp.resolve("missing.pt"), segSpec(2)));
        assertTrue(e.getMessage().contains("missing.pt: no such file"), e.getMessage());

        Path notScript = Files.writeString(tmp.resolve("weights.pt"), "this is a state_dict, not TorchScript");
        e = assertThrows(ModelException.class, () -> TorchScriptModel.load(notScript, segSpec(2)));
        assertTrue(e.getMessage().contains("weights.pt: not a TorchScript model") && e.getMessage().contains("torch.jit"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());

        Path seg = TorchScriptArchives.firstTwoBandsSegmenter(tmp.resolve("seg.pt"));
        e = assertThrows(ModelException.class, () -> TorchScriptModel.load(seg, segSpec(3)));
        assertTrue(e.getMessage().contains("(1, 2, 8, 8)") && e.getMessage().contains("(1, 3, 8, 8)"), e.getMessage());
        e = assertThrows(ModelException.class, () -> TorchScriptModel.load(seg,
                new TorchScriptSpec(LabelTask.CLASSIFICATION, 3, 2, 8, null, null, false)));
        assertTrue(e.getMessage().contains("its model card (task: classification, classes: 2)"), e.getMessage());
        e = assertThrows(ModelException.class, () -> TorchScriptModel.load(seg,
                new TorchScriptSpec(LabelTask.SEGMENTATION, 1, 2, 8, null, null, false)));
        assertTrue(e.getMessage().contains("seg.pt: outputs (1, 1, 8, 8) for a 1 x 1 x 8 x 8 input"),
                e.getMessage());
        Path broken = TorchScriptArchives.write(tmp.resolve("broken.pt"), "Broken",
                "return torch.matmul(x, torch.ones([3, 3]))");
        e = assertThrows(ModelException.class, () -> TorchScriptModel.load(broken, segSpec(2)));
        assertTrue(e.getMessage().startsWith("broken.pt: running it on a 1 x 3 x 8 x 8 float32 input failed"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        e = assertThrows(ModelException.class,
                () -> new TorchScriptSpec(LabelTask.SEGMENTATION, 3, 2, 8, List.of("a"), null, false));
        assertTrue(e.getMessage().contains("1 class names for 2 classes"), e.getMessage());
    }
}
