package io.geolightning.models.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.OptimizerSettings;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.models.weights.PretrainedWeights;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fine-tuning from a weights file against training from scratch: the same ResNet-18 task (64 x 64 RGB, batch 64, 30
 * classes, AdamW), the same in-memory batches and seed, trained by the {@link Trainer} for {@code warmup + steps}
 * batches; the timed figures, over the last {@code steps} batches, are images/s (wall clock) and images per CPU-second
 * of the process (time stolen by other machines' guests is not counted). Modes: {@code scratch} (Xavier
 * initialisation), {@code weights} (torchvision's weights loaded from the file, everything trained),
 * {@code weights+backboneLr} (the same, backbone at a tenth of the head's rate: the per-parameter learning rates'
 * cost). The modes run interleaved, in a rotating order, {@code rounds} times; the load average is printed beside
 * every figure. Run by {@code scripts/bench-models}; usage: {@code FineTuneBench WEIGHTS.npz [rounds] [steps]}.
 */
public final class FineTuneBench {

    private static final int BATCH = 64;
    private static final int SIZE = 64;
    private static final int CLASSES = 30;
    private static final int WARMUP = 5;
    private static final List<String> MODES = List.of("scratch", "weights", "weights+backboneLr");

    private FineTuneBench() {
    }

    /** Times the batches after the warm-up ones: wall clock and the process's CPU time (all threads). */
    private static final class Clock implements Callback {
        long start;
        long end;
        long cpuStart;
        long cpuEnd;

        @Override
        public void onTrainBatchStart(Trainer trainer, LightningModule module, Batch batch, int batchIdx) {
            if (batchIdx == WARMUP) {
                start = System.nanoTime();
                cpuStart = cpu();
            }
        }

        @Override
        public void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {
            end = System.nanoTime();
            cpuEnd = cpu();
        }

        private static long cpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    /**
     * @param args weights file, rounds (default 5), timed steps per run (default 30)
     * @throws IOException when the weights cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path weights = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        if (!Files.isRegularFile(weights)) {
            throw new IOException(weights + ": not found");
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<Double>> rates = new TreeMap<>();
        Map<String, List<Double>> perCpu = new TreeMap<>();
        int n = (WARMUP + steps) * BATCH;
        try (NDManager data = NDManager.newBaseManager()) {
            data.getEngine().setRandomSeed(7);
            NDArray x = data.randomNormal(new Shape(n, 3, SIZE, SIZE));
            NDArray y = data.randomInteger(0, CLASSES, new Shape(n), DataType.INT32);
            ArrayDataset train = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(BATCH, false).build();
            for (int round = 0; round < rounds; round++) {
                List<String> order = new ArrayList<>(MODES);
                Collections.rotate(order, round);
                for (String mode : order) {
                    double[] rate = run(mode, weights, train, steps);
                    rates.computeIfAbsent(mode, k -> new ArrayList<>()).add(rate[0]);
                    perCpu.computeIfAbsent(mode, k -> new ArrayList<>()).add(rate[1]);
                    System.out.printf(Locale.ROOT, "round %d %-19s %6.1f img/s, %6.1f img per CPU-s   (load %.2f)%n",
                            round + 1, mode, rate[0], rate[1], os.getSystemLoadAverage());
                }
            }
        }
        double scratch = median(rates.get("scratch"));
        System.out.printf(Locale.ROOT, "%nResNet-18 64x64 batch %d, %d timed steps, median of %d rounds (load %.2f):%n",
                BATCH, steps, rounds, os.getSystemLoadAverage());
        double scratchBest = Collections.max(rates.get("scratch"));
        double scratchCpu = median(perCpu.get("scratch"));
        for (String mode : MODES) {
            double m = median(rates.get(mode));
            double best = Collections.max(rates.get(mode));
            double c = median(perCpu.get(mode));
            System.out.printf(Locale.ROOT, "  %-19s median %6.1f img/s = %.3fx scratch; best round %6.1f img/s ="
                    + " %.3fx; median %5.1f img per CPU-s = %.3fx%n", mode, m, m / scratch, best, best / scratchBest,
                    c, c / scratchCpu);
        }
    }

    /** @return images/s (wall) and images per CPU-second of the timed batches */
    private static double[] run(String mode, Path weights, ArrayDataset train, int steps) {
        ModelSpec spec = ModelSpec.of(Architecture.RESNET18, 3, CLASSES, SIZE);
        OptimizerSettings.Builder opt = OptimizerSettings.builder().optimizer("adamw").lr(1e-3).weightDecay(1e-4);
        if (mode.endsWith("backboneLr")) {
            opt.backboneLr(1e-4);
        }
        TaskSettings settings = TaskSettings.of(spec).withNormalization(BandNormalization.identity(3))
                .withOptimizer(opt.build());
        Clock clock = new Clock();
        try (LandUseTask task = LandUseTask.create(settings);
             Trainer trainer = Trainer.builder().maxEpochs(1).seed(42).numSanityValSteps(0)
                     .enableProgressBar(false).callbacks(clock).build()) {
            if (!mode.equals("scratch")) {
                PretrainedWeights.load(task.getBlock(), weights, null);
            }
            trainer.fit(task, train, null);
        }
        return new double[] {steps * BATCH / ((clock.end - clock.start) / 1e9),
            steps * BATCH / ((clock.cpuEnd - clock.cpuStart) / 1e9)};
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
