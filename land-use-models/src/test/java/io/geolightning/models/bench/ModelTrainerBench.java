package io.geolightning.models.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.LogOptions;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.callbacks.ProgressBar;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.OptimizerConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The Trainer's overhead on real networks: the same block (GeoLightning's ResNet-18 at 64 px, batch 64, 30 classes;
 * the U-Net, width 16, depth 3, at 128 px, batch 16, 2 classes), the same in-memory data and seed, trained by a bare
 * DJL {@code EasyTrain.fit} loop and by our {@link Trainer} (with a ModelCheckpoint, the progress bar and a CSV
 * logger, as a run has them), rounds interleaved, each run's first epoch left out as warm-up. Both sides use the
 * same loss ({@link PixelCrossEntropy}) and Adam at the same learning rate (DJL's on the bare side, ours on ours).
 * Prints per-epoch wall and process CPU seconds, the medians, their ratios (bare / ours: 1.0 = no overhead; the goal
 * is >= 0.98) and the load average. Run by {@code scripts/bench-trainer}.
 */
public final class ModelTrainerBench {

    private static final float LR = 1e-3f;

    private ModelTrainerBench() {
    }

    /** One benchmark case. */
    record Case(String name, ModelSpec spec, int samples, int batch) {
    }

    /** Softmax cross-entropy over axis 1 with integer labels (N, or N x H x W), the mean over samples and pixels. */
    static final class PixelCrossEntropy extends Loss {
        private final int classes;

        PixelCrossEntropy(int classes) {
            super("loss");
            this.classes = classes;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.singletonOrThrow();
            NDArray onehot = labels.singletonOrThrow().toType(DataType.INT32, false).oneHot(classes);
            if (logits.getShape().dimension() == 4) {
                onehot = onehot.transpose(0, 3, 1, 2);
            }
            return logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).mean().neg();
        }
    }

    static ArrayDataset data(NDManager m, Case c) {
        Random r = new Random(42);
        ModelSpec s = c.spec();
        int px = s.chipSize() * s.chipSize();
        float[] x = new float[c.samples() * s.bands() * px];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        boolean seg = s.architecture() == Architecture.UNET;
        float[] y = new float[c.samples() * (seg ? px : 1)];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(s.classes());
        }
        Shape ys = seg ? new Shape(c.samples(), s.chipSize(), s.chipSize()) : new Shape(c.samples());
        return new ArrayDataset.Builder().setData(m.create(x, new Shape(c.samples(), s.bands(), s.chipSize(),
                s.chipSize()))).optLabels(m.create(y, ys)).setSampling(c.batch(), true).build();
    }

    static Block block(Case c) {
        Block b = ModelFactory.build(c.spec());
        b.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        return b;
    }

    static final class Module extends LightningModule {
        private final PixelCrossEntropy loss;

        Module(Case c) {
            super(block(c));
            loss = new PixelCrossEntropy(c.spec().classes());
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

    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Wall and CPU seconds per epoch of one run. */
    record Run(List<Double> wall, List<Double> cpu) {
    }

    static Run bare(Case c, ArrayDataset ds, int epochs) throws Exception {
        Engine.getInstance().setRandomSeed(7);
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        try (Model model = Model.newInstance("bare", ModelFactory.ENGINE)) {
            model.setBlock(block(c));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(new PixelCrossEntropy(c.spec().classes()))
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (ai.djl.training.Trainer t = model.newTrainer(cfg)) {
                t.initialize(ModelFactory.inputShape(c.spec(), c.batch()));
                for (int e = 0; e < epochs; e++) {
                    long s = System.nanoTime();
                    double p = cpu();
                    EasyTrain.fit(t, 1, ds, null);
                    wall.add((System.nanoTime() - s) / 1e9);
                    cpu.add(cpu() - p);
                }
            }
        }
        return new Run(wall, cpu);
    }

    static Run ours(Case c, ArrayDataset ds, int epochs, Path logs) {
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        Callback timer = new Callback() {
            long start;
            double cpuStart;

            @Override
            public void onTrainEpochStart(Trainer trainer, LightningModule module) {
                start = System.nanoTime();
                cpuStart = cpu();
            }

            @Override
            public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
                wall.add((System.nanoTime() - start) / 1e9);
                cpu.add(cpu() - cpuStart);
            }
        };
        try (Module m = new Module(c);
             Trainer t = Trainer.builder().maxEpochs(epochs).seed(7).devices(Device.cpu())
                     .callbacks(timer, new ProgressBar(null, 200), ModelCheckpoint.builder()
                             .dirpath(logs.resolve("ckpt")).saveTopK(0).build())
                     .loggers(new CsvLogger(logs, "bench")).enableProgressBar(false).build()) {
            t.fit(m, ds, null);
        }
        return new Run(wall, cpu);
    }

    static double median(List<Run> runs, boolean wall) {
        List<Double> all = new ArrayList<>();
        for (Run r : runs) {
            List<Double> v = wall ? r.wall() : r.cpu();
            all.addAll(v.subList(1, v.size()));
        }
        all.sort(Double::compare);
        int n = all.size();
        return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /**
     * @param args [epochs per run] (default 3, the first is warm-up) [rounds] (default 3) [case: resnet18, unet or
     *     both]
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String which = args.length > 2 ? args[2] : "both";
        List<Case> cases = new ArrayList<>();
        if (!which.equals("unet")) {
            cases.add(new Case("ResNet-18 64 px, batch 64, 30 classes", ModelSpec.of(Architecture.RESNET18, 3, 30, 64),
                    1280, 64));
        }
        if (!which.equals("resnet18")) {
            cases.add(new Case("U-Net width 16 depth 3, 128 px, batch 16, 2 classes", ModelSpec.of(Architecture.UNET,
                    3, 2, 128).withOption("width", 16).withOption("depth", 3), 256, 16));
        }
        Path logs = Files.createTempDirectory("bench-model-trainer");
        for (Case c : cases) {
            try (NDManager m = NDManager.newBaseManager()) {
                ArrayDataset ds = data(m, c);
                bare(c, ds, 1); // JIT and allocator warm-up of both sides, unmeasured
                ours(c, ds, 1, logs);
                List<Run> bare = new ArrayList<>();
                List<Run> ours = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    String l0 = load();
                    bare.add(bare(c, ds, epochs));
                    ours.add(ours(c, ds, epochs, logs));
                    System.out.printf(Locale.ROOT, "%s round %d (load %s -> %s): bare wall %s cpu %s | ours wall %s"
                            + " cpu %s%n", c.name(), r, l0, load(), fmt(bare.get(r).wall()), fmt(bare.get(r).cpu()),
                            fmt(ours.get(r).wall()), fmt(ours.get(r).cpu()));
                }
                double bw = median(bare, true);
                double ow = median(ours, true);
                double bc = median(bare, false);
                double oc = median(ours, false);
                System.out.printf(Locale.ROOT, "%s, %d samples, %d rounds x %d epochs: median epoch wall bare %.2f s,"
                        + " ours %.2f s, speed ours/bare %.3f; CPU bare %.2f s, ours %.2f s, %.3f (goal >= 0.98)%n",
                        c.name(), c.samples(), rounds, epochs, bw, ow, bw / ow, bc, oc, bc / oc);
            }
        }
    }

    private static String fmt(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(String.format(Locale.ROOT, "%.2f ", d));
        }
        return sb.toString().trim();
    }
}
