package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.optim.GradientClipping;
import io.geolightning.trainer.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GradientTest {

    static NDManager data;

    @BeforeAll
    static void init() {
        data = NDManager.newBaseManager();
    }

    @AfterAll
    static void done() {
        data.close();
    }

    private static List<float[]> weights(LightningModule m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.getBlock().getParameters().values()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    /** One optimizer step from the same seeded initialisation (the trainer seeds before initialising). */
    private static List<float[]> trainOneStep(int batchSize, int accumulate) {
        ArrayDataset ds = Blobs.make(data, 64, 3, 1.0, 9, batchSize, false);
        try (MlpModule m = new MlpModule(5, 2, () -> Sgd.builder().lr(0.5).build())) {
            Trainer t = Trainer.builder().maxSteps(1).seed(5).accumulateGradBatches(accumulate)
                    .enableProgressBar(false).build();
            t.fit(m, ds, null);
            assertEquals(1, t.globalStep());
            return weights(m);
        }
    }

    @Test
    void accumulatingTwoBatchesMatchesOneDoubleBatch() {
        List<float[]> accumulated = trainOneStep(8, 2);
        List<float[]> doubled = trainOneStep(16, 1);
        List<float[]> single = trainOneStep(8, 1);
        boolean differs = false;
        for (int i = 0; i < accumulated.size(); i++) {
            assertArrayEquals(doubled.get(i), accumulated.get(i), 1e-6f, "parameter " + i);
            differs |= !Arrays.equals(single.get(i), doubled.get(i));
        }
        assertTrue(differs, "one batch of 8 must give a different update than 16 (else the test proves nothing)");
    }

    @Test
    void clipGlobalNormScalesAllGradientsToTheThreshold() {
        try (MlpModule m = new MlpModule(6, 3, () -> Sgd.builder().lr(1).build())) {
            m.initialize(new Shape(4, 5));
            NDArray x = data.randomNormal(new Shape(4, 5)).mul(10);
            List<Parameter> params = new ArrayList<>(m.getBlock().getParameters().values());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = m.getBlock().forward(new ParameterStore(data, false), new NDList(x), true);
                gc.backward(out.head().square().sum());
            }
            List<float[]> before = new ArrayList<>();
            for (Parameter p : params) {
                before.add(p.getArray().getGradient().toFloatArray());
            }
            double norm = GradientClipping.globalNorm(params);
            assertTrue(norm > 10, "norm " + norm);
            double returned = GradientClipping.clipGlobalNorm(params, 1.0);
            assertEquals(norm, returned, 1e-9);
            assertEquals(1.0, GradientClipping.globalNorm(params), 1e-5);
            double scale = 1.0 / norm;
            for (int i = 0; i < params.size(); i++) {
                float[] after = params.get(i).getArray().getGradient().toFloatArray();
                for (int j = 0; j < after.length; j++) {
                    double expected = before.get(i)[j] * scale;
                    assertEquals(expected, after[j], 1e-5 * Math.max(1, Math.abs(expected)));
                }
            }
            // below the threshold nothing changes
            assertEquals(1.0, GradientClipping.clipGlobalNorm(params, 5.0), 1e-5);
            assertEquals(1.0, GradientClipping.globalNorm(params), 1e-5);
        }
    }

    @Test
    void trainerClipsTheUpdateToTheGlobalNorm() {
        ArrayDataset ds = Blobs.make(data, 16, 3, 1.0, 4, 16, false);
        LightningModule m = new MlpModule(5, 2, () -> Sgd.builder().lr(1.0).build()) {
            @Override
            public NDArray trainingStep(Batch batch, int batchIdx) {
                return GraphScalars.mul(super.trainingStep(batch, batchIdx), 1000);
            }
        };
        m.initialize(new Shape(16, 3));
        List<float[]> before = weights(m);
        Trainer t = Trainer.builder().maxSteps(1).gradientClipNorm(0.25).enableProgressBar(false).build();
        t.fit(m, ds, null);
        List<float[]> after = weights(m);
        double sq = 0;
        for (int i = 0; i < after.size(); i++) {
            for (int j = 0; j < after.get(i).length; j++) {
                double d = after.get(i)[j] - before.get(i)[j];
                sq += d * d;
            }
        }
        assertEquals(0.25, Math.sqrt(sq), 1e-4, "SGD lr=1 moves the weights by exactly the clipped gradient");
        m.close();
    }
}
