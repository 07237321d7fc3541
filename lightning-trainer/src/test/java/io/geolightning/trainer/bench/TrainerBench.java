package io.geolightning.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.LogOptions;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.LearningRateMonitor;
import io.geolightning.trainer.callbacks.ProgressBar;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.OptimizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Same model, data and seed trained by a bare DJL {@code EasyTrain.fit} loop and by our {@link Trainer} with
 * callbacks and a CsvLogger; prints per-epoch times and the ratio ours/bare. Run by {@code scripts/bench-trainer}.
 */
public final class TrainerBench {

    static final int N = 8192;
    static final int DIMS = 64;
    static final int HIDDEN = 256;
    static final int CLASSES = 10;
    static final int BATCH = 64;
    static final float LR = 1e-3f;

    private TrainerBench() {}

    static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    static ArrayDataset data(NDManager m) {
        Random r = new Random(42);
        float[] x = new float[N * DIMS];
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            int c = i % CLASSES;
            y[i] = c;
            for (int d = 0; d < DIMS; d++) {
                x[i * DIMS + d] = (float) ((d % CLASSES == c ? 1.5 : 0) + r.nextGaussian());
            }
        }
        return new ArrayDataset.Builder().setData(m.create(x, new Shape(N, DIMS))).optLabels(m.create(y))
                .setSampling(BATCH, true).build();
    }

    static final class Module extends LightningModule {
        private final Loss loss = Loss.softmaxCrossEntropyLoss();

        Module() {
            super(mlp());
        }

        @Override
        public NDArray trainingStep(Batch batch, int batchIdx) {
            NDArray l = loss.evaluate(batch.getLabels(), forward(batch.getData()));
            log("train_loss", l.getFloat(), LogOptions.builder().onStep(true).onEpoch(true).progBar(true).build());
            return l;
        }

        @Override
        public OptimizerConfig configureOptimizers() {
            return OptimizerConfig.of(Adam.builder().lr(LR).build());
        }
    }

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU seconds of the calling thread: with one PyTorch thread every op runs here, so the figure ignores load. */
    static double cpu() {
        return THREADS.getCurrentThreadCpuTime() / 1e9;
    }

    static final class EpochTimer implements Callback {
        final List<Double> seconds = new ArrayList<>();
        final List<Double> cpuSeconds = new ArrayList<>();
        long start;
        double cpuStart;

        @Override
        public void onTrainEpochStart(Trainer trainer, LightningModule module) {
            start = System.nanoTime();
            cpuStart = cpu();
        }

        @Override
        public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
            seconds.add((System.nanoTime() - start) / 1e9);
            cpuSeconds.add(cpu() - cpuStart);
        }
    }

    /** Wall and CPU seconds per epoch of one run. */
    record Run(List<Double> wall, List<Double> cpu) {}

    static Run bare(ArrayDataset ds, int epochs) throws Exception {
        Engine.getInstance().setRandomSeed(7);
        List<Double> times = new ArrayList<>();
        List<Double> cpuTimes = new ArrayList<>();
        try (Model model = Model.newInstance("bare")) {
            model.setBlock(mlp());
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (ai.djl.training.Trainer t = model.newTrainer(cfg)) {
                t.initialize(new Shape(BATCH, DIMS));
                for (int e = 0; e < epochs; e++) {
                    long s = System.nanoTime();
                    double c = cpu();
                    EasyTrain.fit(t, 1, ds, null);
                    times.add((System.nanoTime() - s) / 1e9);
                    cpuTimes.add(cpu() - c);
                }
            }
        }
        return new Run(times, cpuTimes);
    }

    static Run ours(ArrayDataset ds, int epochs, Path logs) {
        EpochTimer timer = new EpochTimer();
        try (Module m = new Module();
                Trainer t = Trainer.builder().maxEpochs(epochs).seed(7).deterministic(true)
                        .devices(Device.cpu()).callbacks(timer, new ProgressBar(null, 200), new LearningRateMonitor(),
                                EarlyStopping.builder("train_loss_epoch").patience(100).build())
                        .loggers(new CsvLogger(logs, "bench")).enableProgressBar(false).build()) {
            t.fit(m, ds, null);
        }
        return new Run(timer.seconds, timer.cpuSeconds);
    }

    /** Median of the epochs of several runs, each run's first (warm-up) epoch left out. */
    static double median(List<List<Double>> runs) {
        List<Double> all = new ArrayList<>();
        runs.forEach(r -> all.addAll(r.subList(1, r.size())));
        all.sort(Double::compare);
        int n = all.size();
        return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
    }

    /**
     * @param args [epochs per run] (default 4) [rounds] (default 3); each run's first epoch is warm-up
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path logs = Files.createTempDirectory("bench-trainer");
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset ds = data(m);
            // alternate the two loops so machine noise hits both alike; medians resist the odd slow epoch
            // one unmeasured round of each first, so neither side pays the JIT warm-up in the figures
            bare(ds, 2);
            ours(ds, 2, logs);
            List<Run> bare = new ArrayList<>();
            List<Run> ours = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                bare.add(bare(ds, epochs));
                ours.add(ours(ds, epochs, logs));
            }
            System.out.printf(Locale.ROOT, "model MLP %d-%d-%d-%d, %d samples, batch %d, Adam, %d steps/epoch, "
                    + "%d rounds x %d epochs, 1 PyTorch thread%n", DIMS, HIDDEN, HIDDEN, CLASSES, N, BATCH, N / BATCH,
                    rounds, epochs);
            for (int r = 0; r < rounds; r++) {
                System.out.println("round " + r + " bare DJL EasyTrain  epoch wall s: " + fmt(bare.get(r).wall())
                        + " | cpu s: " + fmt(bare.get(r).cpu()));
                System.out.println("round " + r + " GeoLightning Trainer epoch wall s: " + fmt(ours.get(r).wall())
                        + " | cpu s: " + fmt(ours.get(r).cpu()));
            }
            double bw = median(bare.stream().map(Run::wall).toList());
            double ow = median(ours.stream().map(Run::wall).toList());
            double bc = median(bare.stream().map(Run::cpu).toList());
            double oc = median(ours.stream().map(Run::cpu).toList());
            System.out.printf(Locale.ROOT, "median epoch wall (warm-up epochs excluded): bare %.3f s, ours %.3f s,"
                    + " ratio ours/bare %.3f%n", bw, ow, ow / bw);
            System.out.printf(Locale.ROOT, "median epoch CPU of the training thread: bare %.3f s, ours %.3f s,"
                    + " ratio ours/bare %.3f%n", bc, oc, oc / bc);
        }
    }

    private static String fmt(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(String.format(Locale.ROOT, "%.3f ", d));
        }
        return sb.toString().trim();
    }
}
