package io.geolightning.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.geolightning.trainer.GraphScalars;
import java.util.Locale;

/**
 * The probe behind {@code scripts/probe-onednn-isa}: are libtorch's float32 convolutions (oneDNN, at whatever ISA
 * {@code ONEDNN_MAX_CPU_ISA} allows this process) correct on this CPU? A ResNet-like stack (7x7 stride-2 stem, then
 * 3x3 convolutions with ReLU, 3 to 64 channels, batch 16 at 64 px) runs forward and backward in float32 and in float64
 * (PyTorch's own kernels, not oneDNN: the reference) from the same weights and inputs; per run it prints the relative
 * error of the output and of every layer's weight gradient. Run counts with an error above 1e-3 or a NaN are the
 * verdict (gross: above 0.1); the script runs one JVM per ISA level, since oneDNN reads the variable once.
 * Diagnostics: {@code -Dprobe.verbose=true} prints each bad run's per-layer errors, {@code -Dprobe.repeat=true}
 * computes float32 twice, {@code -Dprobe.dump=DIR} writes a bad run's inputs and both gradients as .npz (for a third
 * opinion from PyTorch 1.13), {@code -Dprobe.lastStride=1} makes the ResNet-like stack's last convolution stride 1.
 * Its ReLU is {@link GraphScalars#maximum}: with DJL's own {@code maximum(0)} the stack had gross gradient errors in 3
 * of 30 draws at every ISA, on AMD and Intel alike, in float32 or float64, which were DJL freeing the 0's buffer
 * before the backward pass read it (none with the number kept alive, none with no collection during the run).
 */
public final class OneDnnIsaProbe {

    private static long[][] LAYERS = {{64, 3, 7, 7}, {64, 64, 3, 3}, {64, 64, 3, 3}, {128, 64, 3, 3}};
    private static int[] STRIDES = {2, 1, 1, Integer.getInteger("probe.lastStride", 2)};
    private static Shape input = new Shape(16, 3, 64, 64);

    private OneDnnIsaProbe() {
    }

    /**
     * @param args [runs] (default 20) [net: {@code resnet} (default) or {@code small}, conv-relu-conv with 8 channels
     *             on 4 x 3 x 16 x 16 inputs]
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        if (args.length > 1 && args[1].equals("small")) {
            LAYERS = new long[][] {{8, 3, 3, 3}, {8, 8, 3, 3}};
            STRIDES = new int[] {1, 1};
            input = new Shape(4, 3, 16, 16);
        }
        double worstForward = 0;
        double worstGradient = 0;
        int badForward = 0;
        int badGradient = 0;
        int grossGradient = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int r = 0; r < runs; r++) {
                Engine.getInstance().setRandomSeed(1000 + r);
                NDArray x = m.randomNormal(input);
                NDArray[] w = new NDArray[LAYERS.length];
                for (int l = 0; l < LAYERS.length; l++) {
                    long fanIn = LAYERS[l][1] * LAYERS[l][2] * LAYERS[l][3];
                    w[l] = m.randomNormal(new Shape(LAYERS[l])).mul(Math.sqrt(2.0 / fanIn));
                }
                NDArray probe = m.randomNormal(outputShape());
                Result single = run(m, x, w, probe, DataType.FLOAT32);
                if (Boolean.getBoolean("probe.repeat")) {
                    Result again = run(m, x, w, probe, DataType.FLOAT32);
                    StringBuilder sb = new StringBuilder();
                    for (int l = 0; l < LAYERS.length; l++) {
                        sb.append(String.format(Locale.ROOT, " %.3g", relError(again.grads[l], single.grads[l])));
                    }
                    System.out.println("run " + r + " float32 twice:" + sb);
                }
                Result ref = run(m, x, w, probe, DataType.FLOAT64);
                double fe = relError(single.out, ref.out);
                double ge = 0;
                StringBuilder perLayer = new StringBuilder();
                for (int l = 0; l < LAYERS.length; l++) {
                    double e = relError(single.grads[l], ref.grads[l]);
                    ge = Double.isNaN(e) || Double.isNaN(ge) ? Double.NaN : Math.max(ge, e);
                    perLayer.append(String.format(Locale.ROOT, " layer%d=%.3g", l, e));
                }
                if (bad(ge) && Boolean.getBoolean("probe.verbose")) {
                    System.out.println("run " + r + ":" + perLayer);
                }
                if (bad(ge) && System.getProperty("probe.dump") != null) {
                    dump(m, java.nio.file.Path.of(System.getProperty("probe.dump"), "run" + r + ".npz"), x, w, probe,
                            single, ref);
                }
                worstForward = Math.max(worstForward, fe);
                worstGradient = Double.isNaN(ge) || Double.isNaN(worstGradient) ? Double.NaN
                        : Math.max(worstGradient, ge);
                badForward += bad(fe) ? 1 : 0;
                badGradient += bad(ge) ? 1 : 0;
                grossGradient += !(ge <= 0.1) ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "runs=%d bad_forward=%d bad_gradient=%d gross_gradient=%d worst_forward=%.3g"
                + " worst_gradient=%.3g%n", runs, badForward, badGradient, grossGradient, worstForward, worstGradient);
    }

    /** Writes a bad run's inputs and both gradients as .npz, for a third opinion (PyTorch 1.13 in Python). */
    private static void dump(NDManager m, java.nio.file.Path file, NDArray x, NDArray[] w, NDArray probe, Result single,
            Result ref) {
        ai.djl.ndarray.NDList list = new ai.djl.ndarray.NDList();
        x.setName("x");
        list.add(x);
        probe.setName("probe");
        list.add(probe);
        for (int l = 0; l < w.length; l++) {
            w[l].setName("w" + l);
            list.add(w[l]);
            NDArray a = m.create(single.grads[l], new Shape(LAYERS[l]));
            a.setName("g32_" + l);
            list.add(a);
            NDArray b = m.create(ref.grads[l], new Shape(LAYERS[l]));
            b.setName("g64_" + l);
            list.add(b);
        }
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            try (java.io.OutputStream os = java.nio.file.Files.newOutputStream(file)) {
                list.encode(os, ai.djl.ndarray.NDList.Encoding.NPZ);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Shape outputShape() {
        long h = input.get(2);
        for (int l = 0; l < LAYERS.length; l++) {
            long k = LAYERS[l][2];
            h = (h + 2 * (k / 2) - k) / STRIDES[l] + 1;
        }
        return new Shape(input.get(0), LAYERS[LAYERS.length - 1][0], h, h);
    }

    private static boolean bad(double e) {
        return !(e <= 1e-3);
    }

    private record Result(double[] out, double[][] grads) {
    }

    private static Result run(NDManager parent, NDArray x, NDArray[] w, NDArray probe, DataType type) {
        try (NDManager m = parent.newSubManager()) {
            // fresh arrays from the host values: no run shares a tensor (or its gradient) with another
            NDArray in = m.create(x.toFloatArray(), x.getShape()).toType(type, false);
            NDArray[] ws = new NDArray[w.length];
            for (int l = 0; l < w.length; l++) {
                ws[l] = m.create(w[l].toFloatArray(), w[l].getShape()).toType(type, false);
                ws[l].setRequiresGradient(true);
            }
            double[] out;
            double[][] grads = new double[w.length][];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray h = in;
                for (int l = 0; l < w.length; l++) {
                    int k = (int) LAYERS[l][2];
                    h = Conv2d.conv2d(h, ws[l], null, new Shape(STRIDES[l], STRIDES[l]), new Shape(k / 2, k / 2),
                            new Shape(1, 1), 1).head();
                    // not h.maximum(0): DJL frees that number's buffer while autograd still reads it (GraphScalars)
                    h = l + 1 < w.length ? GraphScalars.maximum(h, 0) : h;
                }
                // a loss whose gradient reaches every output element with its own fixed random weight
                NDArray loss = h.mul(m.create(probe.toFloatArray(), probe.getShape()).toType(type, false)).sum();
                out = h.toType(DataType.FLOAT64, false).toDoubleArray();
                gc.backward(loss);
                // read inside the collector: closing it zeroes the gradients
                for (int l = 0; l < w.length; l++) {
                    grads[l] = ws[l].getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                }
            }
            return new Result(out, grads);
        }
    }

    private static double relError(double[] a, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }
}
