package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.ConstantInitializer;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.AdamW;
import io.geolightning.trainer.optim.CosineWarmupLr;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.Sgd;
import io.geolightning.trainer.optim.StepLr;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimizers against PyTorch's update rules computed by hand in double precision. */
class OptimizersTest {

    static final double[] C = {1.0, -2.0, 0.5};
    static final double W0 = 0.3;

    /** Runs {@code steps} updates on w (init 0.3) with loss = sum(c * w^2 / 2), i.e. grad = c * w. */
    static double[] run(LightningOptimizer opt, int steps) {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(3)).build();
            p.setInitializer(new ConstantInitializer((float) W0));
            p.initialize(m, DataType.FLOAT32);
            opt.bind(Map.of("w", p));
            NDArray c = m.create(new float[] {(float) C[0], (float) C[1], (float) C[2]});
            for (int i = 0; i < steps; i++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray w = p.getArray();
                    gc.backward(GraphScalars.div(w.square().mul(c).sum(), 2));
                }
                opt.step();
                opt.zeroGrad();
            }
            float[] w = p.getArray().toFloatArray();
            opt.close();
            return new double[] {w[0], w[1], w[2]};
        }
    }

    static void assertClose(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "component " + i);
        }
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecay() {
        double lr = 0.1, mu = 0.9, wd = 0.01;
        double[] w = {W0, W0, W0};
        double[] buf = new double[3];
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 3; i++) {
                double g = C[i] * w[i] + wd * w[i];
                buf[i] = mu * buf[i] + g;
                w[i] -= lr * (g + mu * buf[i]);
            }
        }
        assertClose(w, run(Sgd.builder().lr(lr).momentum(mu).nesterov(true).weightDecay(wd).build(), 5));
    }

    @Test
    void adamAndAdamW() {
        for (boolean decoupled : new boolean[] {false, true}) {
            double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
            double[] w = {W0, W0, W0};
            double[] m = new double[3];
            double[] v = new double[3];
            for (int t = 1; t <= 6; t++) {
                for (int i = 0; i < 3; i++) {
                    double g = C[i] * w[i];
                    if (decoupled) {
                        w[i] *= 1 - lr * wd;
                    } else {
                        g += wd * w[i];
                    }
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double mh = m[i] / (1 - Math.pow(b1, t));
                    double vh = v[i] / (1 - Math.pow(b2, t));
                    w[i] -= lr * mh / (Math.sqrt(vh) + eps);
                }
            }
            LightningOptimizer opt = decoupled ? AdamW.builder().lr(lr).weightDecay(wd).build()
                    : Adam.builder().lr(lr).weightDecay(wd).build();
            assertTrue(decoupled == opt instanceof AdamW);
            assertClose(w, run(opt, 6));
        }
    }

    /** As {@code torch.optim.Adam(params)} and {@code AdamW(params)}: lr 1e-3 unless given (it was refused). */
    @Test
    void adamAndAdamWDefaultToPyTorchsLearningRate() {
        assertEquals(1e-3, Adam.builder().build().learningRate());
        assertEquals(1e-3, AdamW.builder().build().learningRate());
        assertEquals(0.05, Adam.builder().lr(0.05).build().learningRate());
    }

    @Test
    void aParameterGroupsOwnLearningRateScalesItsStepsAndDecay() {
        // PyTorch param groups: {"params": backbone, "lr": 0.005}, {"params": head} at lr 0.05, AdamW decay 0.1
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1, factor = 0.1;
        double[][] w = {{W0, W0, W0}, {W0, W0, W0}};
        double[][] m = new double[2][3];
        double[][] v = new double[2][3];
        for (int t = 1; t <= 6; t++) {
            for (int p = 0; p < 2; p++) {
                double groupLr = p == 0 ? lr * factor : lr;
                for (int i = 0; i < 3; i++) {
                    double g = C[i] * w[p][i];
                    w[p][i] *= 1 - groupLr * wd;
                    m[p][i] = b1 * m[p][i] + (1 - b1) * g;
                    v[p][i] = b2 * v[p][i] + (1 - b2) * g * g;
                    w[p][i] -= groupLr * (m[p][i] / (1 - Math.pow(b1, t)))
                            / (Math.sqrt(v[p][i] / (1 - Math.pow(b2, t))) + eps);
                }
            }
        }
        try (NDManager nd = NDManager.newBaseManager()) {
            Parameter backbone = Parameter.builder().setName("b").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(3)).build();
            Parameter head = Parameter.builder().setName("h").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(3)).build();
            for (Parameter p : new Parameter[] {backbone, head}) {
                p.setInitializer(new ConstantInitializer((float) W0));
                p.initialize(nd, DataType.FLOAT32);
            }
            LightningOptimizer opt = AdamW.builder().lr(lr).weightDecay(wd).build();
            opt.bind(new java.util.LinkedHashMap<>(Map.of("b", backbone, "h", head)));
            opt.lrFactor(java.util.List.of(backbone), factor);
            assertEquals(factor, opt.lrFactor(backbone));
            assertEquals(1.0, opt.lrFactor(head));
            NDArray c = nd.create(new float[] {(float) C[0], (float) C[1], (float) C[2]});
            for (int s = 0; s < 6; s++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(GraphScalars.div(backbone.getArray().square().mul(c).sum(), 2)
                            .add(GraphScalars.div(head.getArray().square().mul(c).sum(), 2)));
                }
                opt.step();
                opt.zeroGrad();
            }
            float[] gotB = backbone.getArray().toFloatArray();
            float[] gotH = head.getArray().toFloatArray();
            assertClose(w[0], new double[] {gotB[0], gotB[1], gotB[2]});
            assertClose(w[1], new double[] {gotH[0], gotH[1], gotH[2]});
            assertThrows(TrainerException.class, () -> opt.lrFactor(java.util.List.of(head), 0));
            opt.close();
        }
    }

    @Test
    void stateRoundTripsThroughNdListEncoding() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(3)).build();
            p.setInitializer(new ConstantInitializer(0.5f));
            p.initialize(m, DataType.FLOAT32);
            Adam a = Adam.builder().lr(0.1).build();
            a.bind(Map.of("w", p));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.getArray().square().sum());
            }
            a.step();
            byte[] bytes = a.stateArrays().encode();
            Adam b = Adam.builder().lr(0.1).build();
            b.bind(Map.of("w", p));
            b.loadState(NDList.decode(m, bytes), a.stepCount());
            assertEquals(1, b.stepCount());
            assertEquals(a.stateArrays().size(), b.stateArrays().size());
            for (int i = 0; i < a.stateArrays().size(); i++) {
                assertEquals(a.stateArrays().get(i).getName(), b.stateArrays().get(i).getName());
                assertTrue(a.stateArrays().get(i).allClose(b.stateArrays().get(i)));
            }
            Parameter other = Parameter.builder().setName("v").setType(Parameter.Type.WEIGHT).optShape(new Shape(4)).build();
            other.setInitializer(new ConstantInitializer(0f));
            other.initialize(m, DataType.FLOAT32);
            Adam c = Adam.builder().lr(0.1).build();
            c.bind(Map.of("w", other));
            var e = assertThrows(TrainerException.class, () -> c.loadState(NDList.decode(m, bytes), 1));
            assertTrue(e.getMessage().contains("has shape (3) but parameter 'w' has shape (4)"), e.getMessage());
            a.close();
            b.close();
        }
    }

    @Test
    void schedules() {
        StepLr step = new StepLr(0.1, 2, 0.5, true);
        assertEquals(0.1, step.learningRate(100, 1), 1e-12);
        assertEquals(0.05, step.learningRate(0, 2), 1e-12);
        assertEquals(0.025, step.learningRate(0, 5), 1e-12);
        CosineWarmupLr cos = new CosineWarmupLr(1.0, 0.0, 10, 110);
        assertEquals(0.1, cos.learningRate(0, 0), 1e-12);
        assertEquals(1.0, cos.learningRate(10, 0), 1e-12);
        assertEquals(0.5, cos.learningRate(60, 0), 1e-12);
        assertEquals(0.0, cos.learningRate(110, 0), 1e-12);
        var e = assertThrows(TrainerException.class, () -> new CosineWarmupLr(1, 0, 10, 10));
        assertTrue(e.getMessage().contains("warmupSteps 10 / totalSteps 10"), e.getMessage());
        e = assertThrows(TrainerException.class, () -> Sgd.builder().lr(-1).build());
        assertTrue(e.getMessage().startsWith("lr -1.0 is not a finite number >= 0"), e.getMessage());
    }
}
