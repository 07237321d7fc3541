package io.geolightning.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.ArrayDataset;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.optim.AdamW;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.Sgd;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * GeoLightning's side of {@code scripts/bench-vs-pytorch}: its ResNet-18 (64 px RGB, 30 classes) as shipped, a
 * {@link LandUseTask} (AdamW, cross-entropy, accuracy logged) trained by the {@link Trainer} on in-memory batches of
 * 64, and the same network's eval-mode forward passes (uncapped ISA, as the CLI's predict runs them), or its
 * optimizers alone; {@code warmup} steps, then {@code steps} timed ones. Prints {@code train_img_per_s=...},
 * {@code infer_img_per_s=...}, {@code adamw_steps_per_s=...} or {@code sgd_steps_per_s=...} for the script to compare
 * with PyTorch's.
 */
public final class VsPyTorchBench {

    private static final int BATCH = 64;

    private VsPyTorchBench() {
    }

    /**
     * Times the optimizer alone: {@code steps} updates of ResNet-18's parameters from one batch's gradients, by
     * AdamW (lr 1e-3, PyTorch's defaults otherwise) or SGD (lr 1e-3, momentum 0.9, weight decay 1e-4), as the
     * script's PyTorch side does with {@code torch.optim}. Prints {@code adamw_steps_per_s=} or
     * {@code sgd_steps_per_s=}.
     */
    private static void optimizerSteps(String mode, LandUseTask task, NDArray batch, int steps, int warmup) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(task.logits(batch).square().mean());
        }
        Map<String, Parameter> named = new LinkedHashMap<>();
        task.getBlock().getParameters().forEach(p -> named.put(p.getKey(), p.getValue()));
        try (LightningOptimizer opt = mode.equals("adamw") ? AdamW.builder().lr(1e-3).build()
                : Sgd.builder().lr(1e-3).momentum(0.9).weightDecay(1e-4).build()) {
            opt.bind(named);
            long start = 0;
            for (int s = 0; s < steps + warmup; s++) {
                if (s == warmup) {
                    start = System.nanoTime();
                }
                opt.step();
            }
            named.values().iterator().next().getArray().toFloatArray(); // wait for the last update
            System.out.printf(Locale.ROOT, "%s_steps_per_s=%.2f%n", mode, steps / ((System.nanoTime() - start) / 1e9));
        }
    }

    /**
     * @param args {@code train|infer|adamw|sgd} [steps] (default 20) [warm-up steps] (default 5)
     */
    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "train";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ModelSpec spec = ModelSpec.of(Architecture.RESNET18, 3, 30, 64);
        Random r = new Random(42);
        int n = (steps + warmup) * BATCH;
        float[] x = new float[n * 3 * 64 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(30);
        }
        try (NDManager m = NDManager.newBaseManager();
             LandUseTask task = LandUseTask.create(TaskSettings.of(spec))) {
            if (mode.equals("adamw") || mode.equals("sgd")) {
                optimizerSteps(mode, task, m.create(java.util.Arrays.copyOf(x, BATCH * 3 * 64 * 64),
                        new Shape(BATCH, 3, 64, 64)), steps, warmup);
            } else if (mode.equals("train")) {
                ArrayDataset ds = new ArrayDataset.Builder().setData(m.create(x, new Shape(n, 3, 64, 64)))
                        .optLabels(m.create(y)).setSampling(BATCH, false).build();
                long[] marks = new long[2];
                Callback timer = new Callback() {
                    @Override
                    public void onTrainBatchEnd(Trainer t, LightningModule module, double loss, int idx) {
                        if (idx == warmup - 1) {
                            marks[0] = System.nanoTime();
                        } else if (idx == warmup + steps - 1) {
                            marks[1] = System.nanoTime();
                        }
                    }
                };
                try (Trainer trainer = Trainer.builder().maxEpochs(1).seed(7).numSanityValSteps(0)
                        .enableProgressBar(false).callbacks(timer).build()) {
                    trainer.fit(task, ds, null);
                }
                System.out.printf(Locale.ROOT, "train_img_per_s=%.2f%n", steps * BATCH / ((marks[1] - marks[0]) / 1e9));
            } else {
                NDArray all = m.create(x, new Shape(n, 3, 64, 64));
                long start = 0;
                for (int s = 0; s < steps + warmup; s++) {
                    if (s == warmup) {
                        start = System.nanoTime();
                    }
                    try (NDManager step = m.newSubManager()) {
                        NDArray batch = all.get(s * BATCH + ":" + (s + 1) * BATCH);
                        batch.attach(step);
                        NDList out = task.forward(new NDList(batch));
                        out.attach(step);
                        out.head().toFloatArray(); // wait for the result, as PyTorch's .item()/numpy would
                    }
                }
                System.out.printf(Locale.ROOT, "infer_img_per_s=%.2f%n", steps * BATCH / ((System.nanoTime() - start)
                        / 1e9));
            }
        }
    }
}
