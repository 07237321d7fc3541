package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A 2,000-step run must not grow the number of live NDArrays nor the process's resident memory. */
class MemoryTest {

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    static final class Probe implements Callback {
        long arraysAtWarmup = -1;
        long arraysAtEnd;
        final long[] rssAt = new long[5];

        @Override
        public void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {
            long step = trainer.globalStep();
            if (step == 200) {
                arraysAtWarmup = liveArrays(module);
            }
            if (step >= 400 && step % 400 == 0) {
                rssAt[(int) (step / 400) - 1] = rss();
            }
        }

        @Override
        public void onFitEnd(Trainer trainer, LightningModule module) {
            arraysAtEnd = liveArrays(module);
        }

        static long liveArrays(LightningModule module) {
            // the base managers' common parent is the engine's system manager: every live array is below it
            NDManager system = module.getManager().getParentManager();
            return system.getManagedArrays().size();
        }

        static long rss() {
            try {
                return rssKb();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void twoThousandStepsDoNotGrowNativeMemory() {
        try (NDManager data = NDManager.newBaseManager()) {
            ArrayDataset train = Blobs.make(data, 256, 8, 1.0, 1, 16, true);
            ArrayDataset val = Blobs.make(data, 64, 8, 1.0, 2, 32, false);
            Probe probe = new Probe();
            try (MlpModule m = new MlpModule(32, 2, () -> Adam.builder().lr(1e-3).build())) {
                Trainer t = Trainer.builder().maxSteps(2000).maxEpochs(1000).callbacks(probe)
                        .gradientClipNorm(1.0).enableProgressBar(false).build();
                t.fit(m, train, val);
                assertEquals(2000, t.globalStep());
            }
            assertTrue(probe.arraysAtWarmup > 0);
            assertTrue(Math.abs(probe.arraysAtEnd - probe.arraysAtWarmup) <= 2,
                    "live NDArrays " + probe.arraysAtWarmup + " after 200 steps, " + probe.arraysAtEnd + " after 2000");
            // RSS also moves in one-off jumps (JIT code, malloc arenas, other threads of the shared surefire JVM), so
            // a single before/after difference is noise; a leak grows it in every interval. Require one of the four
            // 400-step intervals to stay nearly flat (a leak of 20 kB per step would add 8 MB to each)
            long flattest = Long.MAX_VALUE;
            StringBuilder trace = new StringBuilder();
            for (int i = 1; i < probe.rssAt.length; i++) {
                long growthKb = probe.rssAt[i] - probe.rssAt[i - 1];
                flattest = Math.min(flattest, growthKb);
                trace.append(' ').append(growthKb / 1024).append(" MB");
            }
            assertTrue(flattest < 8 * 1024, "RSS grew in every 400-step interval:" + trace);
        }
    }
}
