package io.geolightning.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.nn.ResNet;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import java.util.Locale;

/**
 * The probe behind {@code scripts/probe-channels-last}: would channels-last activations (issue 14: "channels-last
 * memory format where DJL allows") speed up GeoLightning's ResNet-18 inference, and are they correct on this CPU?
 * DJL 0.35.1 has no {@code contiguous(memory_format)}; the input is made channels-last as a permuted copy
 * ({@code permute(0,2,3,1)}, flatten, reshape, {@code permute(0,3,1,2)}), after which libtorch keeps the layout
 * through every convolution, batch norm, ReLU and pooling. Per draw (random weights, non-trivial batch-norm running
 * statistics, 16 x 3 x 64 x 64 inputs) it compares the float32 logits in both layouts with a float64 forward of the
 * same network (PyTorch's own kernels, not oneDNN) and counts draws whose relative error (max |diff| / max |logit|)
 * is above 1e-3; then it times 10 eval forward passes of batch 64 in each layout. Prints one line. With
 * {@code conv k stride cin cout} it checks one convolution instead.
 */
public final class ChannelsLastProbe {

    private ChannelsLastProbe() {
    }

    /** @return {@code x} (N x C x H x W) with channels-last strides, as a copy */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).flatten().reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    private static double relativeError(float[] got, double[] ref) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < ref.length; i++) {
            diff = Math.max(diff, Math.abs(got[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return Double.isNaN(diff) ? Double.NaN : diff / scale;
    }

    /**
     * One convolution (batch 16 at 8 x 8, random weights) in channels-last against the same convolution in NCHW
     * (right at every ISA, see above). Prints {@code conv=right} or {@code conv=wrong <relative error>}; the script
     * runs each shape in its own JVM, since some crash the process (SIGFPE inside oneDNN).
     */
    private static void convolution(int k, int stride, int cin, int cout) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(16, cin, 8, 8));
            NDArray w = m.randomNormal(new Shape(cout, cin, k, k)).mul(Math.sqrt(2.0 / (cin * k * k)));
            Shape s = new Shape(stride, stride);
            Shape pad = new Shape(k / 2, k / 2);
            Shape one = new Shape(1, 1);
            float[] plain = Conv2d.conv2d(x, w, null, s, pad, one, 1).head().toFloatArray();
            float[] last = Conv2d.conv2d(channelsLast(x), w, null, s, pad, one, 1).head().toFloatArray();
            double[] ref = new double[plain.length];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = plain[i];
            }
            double e = relativeError(last, ref);
            System.out.printf(Locale.ROOT, e <= 1e-3 ? "conv=right%n" : "conv=wrong %.1e%n", e);
        }
    }

    /**
     * @param args [draws] (default 10), or {@code conv k stride cin cout} for one convolution
     */
    public static void main(String[] args) {
        if (args.length == 5 && args[0].equals("conv")) {
            convolution(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            return;
        }
        int draws = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        ModelSpec spec = ModelSpec.of(Architecture.RESNET18, 3, 30, 64);
        int badPlain = 0;
        int badChannelsLast = 0;
        double worstPlain = 0;
        double worstChannelsLast = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int d = 0; d < draws; d++) {
                Engine.getInstance().setRandomSeed(2000 + d);
                try (LandUseTask task = LandUseTask.create(TaskSettings.of(spec));
                     NDManager step = m.newSubManager()) {
                    Block block = task.getBlock();
                    block.getParameters().forEach(p -> { // running statistics away from 0 and 1
                        if (p.getKey().endsWith("runningMean")) {
                            p.getValue().getArray().set(step.randomNormal(p.getValue().getArray().getShape())
                                    .mul(0.1).toFloatArray());
                        } else if (p.getKey().endsWith("runningVar")) {
                            p.getValue().getArray().set(step.randomUniform(0.5f, 1.5f,
                                    p.getValue().getArray().getShape()).toFloatArray());
                        }
                    });
                    NDArray x = step.randomNormal(new Shape(16, 3, 64, 64));
                    ParameterStore ps = new ParameterStore(step, false);
                    float[] plain = block.forward(ps, new NDList(x), false).head().toFloatArray();
                    float[] last = block.forward(ps, new NDList(channelsLast(x)), false).head().toFloatArray();
                    Block wide = ResNet.resnet18(3, 30); // the same network in float64
                    wide.initialize(step, DataType.FLOAT64, new Shape(1, 3, 64, 64));
                    var narrow = block.getParameters().values();
                    var params = wide.getParameters().values();
                    for (int i = 0; i < params.size(); i++) {
                        params.get(i).getArray().set(narrow.get(i).getArray().toType(DataType.FLOAT64, false)
                                .toDoubleArray());
                    }
                    double[] ref = wide.forward(ps, new NDList(x.toType(DataType.FLOAT64, false)), false).head()
                            .toDoubleArray();
                    double ep = relativeError(plain, ref);
                    double el = relativeError(last, ref);
                    worstPlain = Double.isNaN(ep) ? ep : Math.max(worstPlain, ep);
                    worstChannelsLast = Double.isNaN(el) ? el : Math.max(worstChannelsLast, el);
                    badPlain += !(ep <= 1e-3) ? 1 : 0;
                    badChannelsLast += !(el <= 1e-3) ? 1 : 0;
                }
            }
            double[] rates = new double[2];
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(spec))) {
                NDArray x = m.randomNormal(new Shape(64, 3, 64, 64));
                for (int round = 0; round < 3; round++) {
                    for (int layout = 0; layout < 2; layout++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < 10; i++) {
                            try (NDManager step = m.newSubManager()) {
                                NDArray b = x.duplicate();
                                b.attach(step);
                                NDList out = task.forward(new NDList(layout == 0 ? b : channelsLast(b)));
                                out.attach(step);
                                out.head().toFloatArray();
                            }
                        }
                        if (round > 0) { // the first round warms up
                            rates[layout] += 640 / ((System.nanoTime() - t0) / 1e9) / 2;
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "draws=%d NCHW: %d bad (worst %.1e), %.1f img/s; channels-last: %d bad"
                    + " (worst %.1e), %.1f img/s (%.2fx)%n", draws, badPlain, worstPlain, rates[0], badChannelsLast,
                    worstChannelsLast, rates[1], rates[1] / rates[0]);
        }
    }
}
