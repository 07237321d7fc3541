package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.util.PairList;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.OptimizerConfig;
import io.geolightning.trainer.optim.ParameterFilter;
import io.geolightning.trainer.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GAN-style manual optimisation: two optimizers, each updating only its own sub-network, in the step's order. */
class ManualOptimizationTest {

    /** generator (3 -> 3) followed by discriminator (3 -> 1). */
    static final class TwoPart extends AbstractBlock {
        final Block generator = addChildBlock("generator", Linear.builder().setUnits(3).build());
        final Block discriminator = addChildBlock("discriminator", Linear.builder().setUnits(1).build());

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return discriminator.forward(ps, generator.forward(ps, inputs, training), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return discriminator.getOutputShapes(generator.getOutputShapes(inputShapes));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            generator.initialize(manager, dataType, inputShapes);
            discriminator.initialize(manager, dataType, generator.getOutputShapes(inputShapes));
        }
    }

    static class Gan extends LightningModule {
        final TwoPart net;
        final List<String> events = new ArrayList<>();

        Gan(TwoPart net) {
            super(net);
            this.net = net;
        }

        @Override
        public boolean automaticOptimization() {
            return false;
        }

        @Override
        public OptimizerConfig configureOptimizers() {
            return OptimizerConfig.builder()
                    .add(Adam.builder().lr(0.01).build(), ParameterFilter.of(net.generator))
                    .add(Sgd.builder().lr(0.05).build(), ParameterFilter.of(net.discriminator))
                    .build();
        }

        @Override
        public NDArray trainingStep(Batch batch, int batchIdx) {
            List<LightningOptimizer> opts = optimizers();
            LightningOptimizer g = opts.get(0);
            LightningOptimizer d = opts.get(1);
            NDArray real = batch.getData().head();

            // generator phase: fool the discriminator
            float[] g0 = flat(net.generator);
            float[] d0 = flat(net.discriminator);
            NDArray fake = forward(net.generator, new NDList(real.mul(0.1))).head();
            NDArray gLoss = forward(net.discriminator, new NDList(fake)).head().neg().mean();
            manualBackward(gLoss);
            g.step();
            g.zeroGrad();
            check("g", g0, d0, true);

            // discriminator phase: its own gradients only
            d.zeroGrad();
            float[] g1 = flat(net.generator);
            float[] d1 = flat(net.discriminator);
            NDArray dReal = forward(net.discriminator, new NDList(real)).head();
            NDArray dFake = forward(net.discriminator, new NDList(fake.stopGradient())).head();
            NDArray dLoss = dFake.sub(dReal).mean();
            manualBackward(dLoss);
            d.step();
            d.zeroGrad();
            check("d", g1, d1, false);
            return gLoss.add(dLoss);
        }

        private void check(String phase, float[] genBefore, float[] discBefore, boolean generatorPhase) {
            boolean genMoved = !java.util.Arrays.equals(genBefore, flat(net.generator));
            boolean discMoved = !java.util.Arrays.equals(discBefore, flat(net.discriminator));
            events.add(phase + (genMoved ? "+G" : "") + (discMoved ? "+D" : ""));
        }

        static float[] flat(Block b) {
            List<Float> all = new ArrayList<>();
            for (Parameter p : b.getParameters().values()) {
                for (float f : p.getArray().toFloatArray()) {
                    all.add(f);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    @Test
    void twoOptimizersAlternateEachOnItsOwnParameters() {
        try (NDManager data = NDManager.newBaseManager()) {
            ArrayDataset ds = Blobs.make(data, 32, 3, 1.0, 3, 8, false);
            Gan gan = new Gan(new TwoPart());
            Trainer t = Trainer.builder().maxEpochs(2).seed(1).enableProgressBar(false).build();
            t.fit(gan, ds, null);
            assertEquals(16, gan.events.size());
            for (int i = 0; i < gan.events.size(); i += 2) {
                assertEquals("g+G", gan.events.get(i), "generator phase updates only the generator");
                assertEquals("d+D", gan.events.get(i + 1), "discriminator phase updates only the discriminator");
            }
            assertEquals(8, t.globalStep());
            assertFalse(Double.isNaN(t.lastLoss()));
            gan.close();
        }
    }

    @Test
    void discriminatorStepUsesOnlyItsOwnLossGradient() {
        // dLoss = mean(D(fake)) - mean(D(real)) with D linear: dL/dw = mean(fake) - mean(real), dL/db = 0, so with
        // zeroGrad before its backward the SGD update is exactly -lr * that (no generator-phase gradient leaks in)
        try (NDManager data = NDManager.newBaseManager()) {
            ArrayDataset ds = Blobs.make(data, 8, 3, 1.0, 3, 8, false);
            float[][] seen = new float[3][];
            Gan gan = new Gan(new TwoPart()) {
                @Override
                public NDArray trainingStep(Batch batch, int batchIdx) {
                    NDArray real = batch.getData().head();
                    NDArray fake = forward(net.generator, new NDList(real.mul(0.1))).head();
                    seen[2] = fake.mean(new int[] {0}).sub(real.mean(new int[] {0})).toFloatArray();
                    seen[0] = flat(net.discriminator);
                    NDArray out = super.trainingStep(batch, batchIdx);
                    seen[1] = flat(net.discriminator);
                    return out;
                }
            };
            Trainer t = Trainer.builder().maxSteps(1).enableProgressBar(false).build();
            t.fit(gan, ds, null);
            for (int j = 0; j < 3; j++) {
                assertEquals(seen[0][j] - 0.05f * seen[2][j], seen[1][j], 1e-5f, "discriminator weight " + j);
            }
            assertEquals(seen[0][3], seen[1][3], 1e-7f, "bias gradient cancels: unchanged");
            gan.close();
        }
    }
}
