package io.geolightning.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.geolightning.models.nn.ModelException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    /**
     * truth\pred  0  1  2
     *     0       5  2  1
     *     1       1  6  0
     *     2       0  3  4      (plus three ignored observations with truth 255)
     */
    private static ConfusionMatrix known() {
        ConfusionMatrix cm = new ConfusionMatrix(3, 255);
        int[][] m = {{5, 2, 1}, {1, 6, 0}, {0, 3, 4}};
        for (int t = 0; t < 3; t++) {
            for (int p = 0; p < 3; p++) {
                for (int k = 0; k < m[t][p]; k++) {
                    cm.add(t, p);
                }
            }
        }
        cm.add(new int[] {255, 255, 255}, new int[] {0, 1, 2});
        return cm;
    }

    @Test
    void metricsOfAKnownMatrix() {
        ConfusionMatrix cm = known();
        assertEquals(22, cm.total());
        assertEquals(15.0 / 22, cm.accuracy(), 1e-12);
        assertEquals(5.0 / 6, cm.precision(0), 1e-12);
        assertEquals(6.0 / 11, cm.precision(1), 1e-12);
        assertEquals(4.0 / 5, cm.precision(2), 1e-12);
        assertEquals(5.0 / 8, cm.recall(0), 1e-12);
        assertEquals(6.0 / 7, cm.recall(1), 1e-12);
        assertEquals(4.0 / 7, cm.recall(2), 1e-12);
        assertEquals(10.0 / 14, cm.f1(0), 1e-12);
        assertEquals(12.0 / 18, cm.f1(1), 1e-12);
        assertEquals(8.0 / 12, cm.f1(2), 1e-12);
        assertEquals(5.0 / 9, cm.iou(0), 1e-12);
        assertEquals(6.0 / 12, cm.iou(1), 1e-12);
        assertEquals(4.0 / 8, cm.iou(2), 1e-12);
        assertEquals((5.0 / 9 + 0.5 + 0.5) / 3, cm.meanIoU(), 1e-12);
        String table = cm.toTable(List.of("URBANO", "RURAL", "water"));
        assertTrue(table.contains("URBANO") && table.contains("mIoU 0.5185") && table.contains("accuracy 0.6818"),
                table);
    }

    @Test
    void absentClassesAreLeftOutOfTheMeans() {
        ConfusionMatrix cm = new ConfusionMatrix(3, ConfusionMatrix.NO_IGNORE);
        cm.add(new int[] {0, 0, 1}, new int[] {0, 0, 1});
        assertTrue(Double.isNaN(cm.iou(2)));
        assertEquals(1.0, cm.meanIoU(), 1e-12);
        assertEquals(1.0, cm.macroF1(), 1e-12);
    }

    @Test
    void acceptsNdArraysAndLogits() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ConfusionMatrix cm = new ConfusionMatrix(2, 255);
            // 1 x 2 x 1 x 3 logits: predictions [1, 0, 1]; truth [1, 1, 255]
            cm.addLogits(m.create(new long[] {1, 1, 255}, new Shape(1, 1, 3)),
                    m.create(new float[] {0, 5, 0, 1, 0, 2}, new Shape(1, 2, 1, 3)));
            assertEquals(1, cm.count(1, 1));
            assertEquals(1, cm.count(1, 0));
            assertEquals(2, cm.total());
        }
    }

    @Test
    void mergeAddsCounts() {
        ConfusionMatrix a = known();
        a.merge(known());
        assertEquals(44, a.total());
        assertEquals(10, a.count(0, 0));
        a.reset();
        assertEquals(0, a.total());
    }

    @Test
    void badLabelsNameTheValue() {
        ConfusionMatrix cm = new ConfusionMatrix(2, 255);
        ModelException e = assertThrows(ModelException.class, () -> cm.add(7, 0));
        assertTrue(e.getMessage().contains("truth label 7") && e.getMessage().contains("0..1"), e.getMessage());
        e = assertThrows(ModelException.class, () -> cm.add(0, 3));
        assertTrue(e.getMessage().contains("predicted label 3"), e.getMessage());
        e = assertThrows(ModelException.class, () -> cm.add(new int[2], new int[3]));
        assertTrue(e.getMessage().contains("2 truth labels but 3"), e.getMessage());
        e = assertThrows(ModelException.class, () -> cm.merge(new ConfusionMatrix(3, 255)));
        assertTrue(e.getMessage().contains("3 classes into 2"), e.getMessage());
    }
}
