package io.geolightning.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.geolightning.models.nn.ModelException;
import org.junit.jupiter.api.Test;

class WeightedCrossEntropyTest {

    private static double logSoftmax(double[] z, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return z[k] - max - Math.log(sum);
    }

    @Test
    void weightedIgnoringLossEqualsHandComputation() {
        double[][] z = {{2.0, 0.5, -1.0}, {0.1, 0.2, 0.3}, {-0.5, 1.5, 0.0}, {1.0, 1.0, 3.0}};
        int[] y = {0, 2, 255, 1};
        float[] w = {0.5f, 2.0f, 1.0f};
        double num = 0;
        double den = 0;
        for (int i = 0; i < z.length; i++) {
            if (y[i] == 255) {
                continue;
            }
            num -= w[y[i]] * logSoftmax(z[i], y[i]);
            den += w[y[i]];
        }
        double expected = num / den;   // -(0.5*ls(z0,0) + 1.0*ls(z1,2) + 2.0*ls(z3,1)) / 3.5
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] flat = new float[12];
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 3; c++) {
                    flat[i * 3 + c] = (float) z[i][c];
                }
            }
            NDArray logits = m.create(flat, new Shape(4, 3));
            NDArray labels = m.create(new int[] {0, 2, 255, 1});
            float loss = new WeightedCrossEntropy(w, 255).compute(logits, labels).getFloat();
            assertEquals(expected, loss, 1e-5);
            // unweighted: plain mean over the three labelled samples
            double plain = -(logSoftmax(z[0], 0) + logSoftmax(z[1], 2) + logSoftmax(z[3], 1)) / 3;
            assertEquals(plain, new WeightedCrossEntropy(null, 255).compute(logits, labels).getFloat(), 1e-5);
        }
    }

    @Test
    void segmentationLayoutMatchesTheFlattenedClassificationLayout() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 4, 5));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 4, 5), ai.djl.ndarray.types.DataType.INT64);
            labels.set(new ai.djl.ndarray.index.NDIndex("0, 1, :"), 255);
            WeightedCrossEntropy ce = new WeightedCrossEntropy(new float[] {1f, 3f, 0.2f}, 255);
            float seg = ce.compute(logits, labels).getFloat();
            float cls = ce.compute(logits.transpose(0, 2, 3, 1).reshape(-1, 3), labels.reshape(-1)).getFloat();
            assertEquals(cls, seg, 1e-6);
        }
    }

    @Test
    void gradientOfIgnoredSamplesIsZeroAndAllIgnoredGivesZero() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.randomNormal(new Shape(3, 2));
            logits.setRequiresGradient(true);
            NDArray labels = m.create(new int[] {1, 255, 0});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new WeightedCrossEntropy(null, 255).compute(logits, labels));
            }
            float[] g = logits.getGradient().toFloatArray();
            assertEquals(0f, g[2], 0f);
            assertEquals(0f, g[3], 0f);
            assertTrue(Math.abs(g[0]) > 0);
            NDArray allIgnored = m.create(new int[] {255, 255, 255});
            assertEquals(0f, new WeightedCrossEntropy(null, 255).compute(logits, allIgnored).getFloat(), 0f);
        }
    }

    @Test
    void badInputsSayWhatIsWrong() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.zeros(new Shape(2, 3));
            ModelException e = assertThrows(ModelException.class,
                    () -> new WeightedCrossEntropy(new float[] {1, 2}, 255).compute(logits, m.create(new int[] {0, 1})));
            assertTrue(e.getMessage().contains("2 weights for a model with 3 classes"), e.getMessage());
            e = assertThrows(ModelException.class,
                    () -> new WeightedCrossEntropy(null, 255).compute(logits, m.create(new int[] {0, 7})));
            assertTrue(e.getMessage().contains("label 7 is outside 0..2"), e.getMessage());
            e = assertThrows(ModelException.class,
                    () -> new WeightedCrossEntropy(null, 255).compute(logits, m.create(new int[] {0, 1, 2})));
            assertTrue(e.getMessage().contains("3 labels"), e.getMessage());
            e = assertThrows(ModelException.class, () -> new WeightedCrossEntropy(new float[] {1, -1}, 255));
            assertTrue(e.getMessage().contains("negative"), e.getMessage());
        }
    }
}
