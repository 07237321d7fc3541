package io.geolightning.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule behind the oneDNN ISA cap: which networks have a convolution whose input gradients libtorch 2.7.1's AVX-512
 * kernels get wrong, and, in a child JVM at the CPU's widest ISA, that the convolutions the rule calls safe have
 * input gradients equal to a float64 reference.
 */
class NativeCpuGuardTest {

    private static List<String> risky(Architecture a, String option, int value) {
        ModelSpec spec = ModelSpec.of(a, 3, 4, 64);
        Block b = ModelFactory.build(option == null ? spec : spec.withOption(option, value));
        return NativeCpuGuard.riskyConvolutions(b);
    }

    @Test
    void networksWithChannelCountsThatAreMultiplesOfSixteenNeedNoCap() {
        assertEquals(List.of(), risky(Architecture.RESNET18, null, 0));
        assertEquals(List.of(), risky(Architecture.RESNET50, null, 0));
        assertEquals(List.of(), risky(Architecture.CNN, "width", 16));
        assertEquals(List.of(), risky(Architecture.UNET, "width", 16));
        assertEquals(List.of(), risky(Architecture.UNET_RESNET18, "decoderWidth", 16));
        assertEquals("a 3x3 convolution with 24 output channels", risky(Architecture.CNN, "width", 24).get(0));
        assertTrue(risky(Architecture.UNET, "width", 8).contains("a 3x3 convolution with 8 output channels"));
        assertTrue(risky(Architecture.UNET_RESNET18, "decoderWidth", 8)
                .contains("a 3x3 convolution with 8 output channels"));
    }

    /**
     * The rule's structural half: in every network built here (each architecture at widths that are and are not
     * multiples of 16, 3, 13 and 20 bands), a convolution whose forward pass oneDNN gets wrong (from more than 16
     * input channels, not a multiple of 16: read off the initialised weights) is flagged by the rule the guard applies
     * to the network before it is initialised (output channels, and the bands).
     */
    @Test
    void everyConvolutionFromRiskyInputsIsFlaggedBeforeInitialisation() {
        int checked = 0;
        for (Architecture a : Architecture.values()) {
            String option = a == Architecture.CNN || a == Architecture.UNET ? "width"
                    : a.name().startsWith("UNET_") ? "decoderWidth" : null;
            for (int width : option == null ? new int[] {0} : new int[] {8, 16, 24, 32}) {
                for (int bands : new int[] {3, 13, 20}) {
                    ModelSpec spec = ModelSpec.of(a, bands, 4, 64);
                    spec = option == null ? spec : spec.withOption(option, width);
                    boolean flagged = !NativeCpuGuard.riskyConvolutions(ModelFactory.build(spec), bands).isEmpty();
                    Block b = ModelFactory.build(spec);
                    try (NDManager m = NDManager.newBaseManager()) {
                        b.setInitializer(new ConstantInitializer(0), p -> true); // no random draw, no convolution
                        b.initialize(m, DataType.FLOAT32, new Shape(1, bands, 64, 64));
                        List<String> inputs = NativeCpuGuard.riskyConvolutions(b).stream()
                                .filter(r -> r.contains("input channels")).toList();
                        assertTrue(inputs.isEmpty() || flagged, a + " width " + width + ", " + bands + " bands: "
                                + inputs + " not flagged before initialisation");
                        assertEquals(bands == 20, inputs.stream().anyMatch(r -> r.contains("from 20 input")),
                                a + " " + bands + " bands: " + inputs);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 30, "networks checked: " + checked);
    }

    /** The shapes checked by {@link #main}: output channels, kernel, stride. */
    private static final int[][] SHAPES = {{16, 3, 1}, {32, 3, 1}, {48, 3, 1}, {64, 3, 1}, {64, 7, 1}, {8, 1, 1},
        {24, 1, 1}, {8, 3, 2}, {24, 3, 2}, {24, 3, 1}, {8, 3, 1}, {12, 5, 1}};

    @Test
    void convolutionsTheRuleCallsSafeHaveRightInputGradientsAtTheWidestIsa(@TempDir Path tmp) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                NativeCpuGuardTest.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out").toFile());
        pb.environment().remove("ONEDNN_MAX_CPU_ISA"); // the test JVMs run capped (pom); this one must not
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(tmp.resolve("out"));
        assertEquals(0, p.exitValue(), out);
        // conv FILTERS KERNEL STRIDE ERROR: input gradients; forward INPUTS KERNEL STRIDE ERROR: forward passes
        assertEquals(9, checkSafe(out, "conv", s -> s[2] != 1 || s[1] == 1 || s[0] % 16 == 0, "input gradient"), out);
        assertEquals(4, checkSafe(out, "forward", s -> s[1] == 1 || s[0] <= 16 || s[0] % 16 == 0, "forward pass"),
                out);
    }

    /**
     * Asserts that every line of {@code kind} whose shape (channels, kernel, stride) the rule calls safe has an error
     * under 1e-5.
     *
     * @return how many such lines there were
     */
    private static int checkSafe(String out, String kind, java.util.function.Predicate<int[]> ruleSafe, String what) {
        int safe = 0;
        for (String line : out.lines().filter(l -> l.startsWith(kind + " ")).toList()) {
            String[] f = line.split(" ");
            int[] shape = {Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            if (ruleSafe.test(shape)) {
                safe++;
                assertTrue(Double.parseDouble(f[4]) < 1e-5, "the rule calls it safe, but its " + what + " is off: "
                        + line + "\n" + out);
            }
        }
        return safe;
    }

    /** Forward passes checked by {@link #main}: input channels, kernel, stride. */
    private static final int[][] FORWARD = {{8, 3, 1}, {16, 3, 1}, {48, 3, 1}, {24, 1, 1}, {24, 3, 1}, {20, 7, 2},
        {40, 3, 1}};

    /**
     * Child JVM: prints {@code conv FILTERS KERNEL STRIDE ERROR} for each shape, the relative error of the float32
     * input gradient against float64 (16 input channels, 8 x 32 x 32 inputs, five draws, the worst).
     *
     * @param args none
     */
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] s : SHAPES) {
                double worst = 0;
                for (int r = 0; r < 5; r++) {
                    Engine.getInstance().setRandomSeed(r);
                    NDArray x = m.randomNormal(new Shape(8, 16, 32, 32));
                    NDArray w = m.randomNormal(new Shape(s[0], 16, s[1], s[1]));
                    int side = (32 + 2 * (s[1] / 2) - s[1]) / s[2] + 1;
                    NDArray probe = m.randomNormal(new Shape(8, s[0], side, side));
                    double[] a = inputGradient(m, x, w, probe, s, DataType.FLOAT32);
                    double[] b = inputGradient(m, x, w, probe, s, DataType.FLOAT64);
                    worst = worse(worst, OneDnnSelfCheck.relativeL2(a, b));
                }
                System.out.printf(Locale.ROOT, "conv %d %d %d %.3e%n", s[0], s[1], s[2], worst);
            }
            for (int[] s : FORWARD) {
                double worst = 0;
                for (int r = 0; r < 5; r++) {
                    Engine.getInstance().setRandomSeed(r);
                    NDArray x = m.randomNormal(new Shape(4, s[0], 32, 32));
                    NDArray w = m.randomNormal(new Shape(16, s[0], s[1], s[1]));
                    double[] a = forward(x, w, s).toType(DataType.FLOAT64, false).toDoubleArray();
                    double[] b = forward(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false), s)
                            .toDoubleArray();
                    worst = worse(worst, OneDnnSelfCheck.relativeL2(a, b));
                }
                System.out.printf(Locale.ROOT, "forward %d %d %d %.3e%n", s[0], s[1], s[2], worst);
            }
        }
    }

    /** The larger of two errors, NaN when either is. */
    private static double worse(double worst, double e) {
        return Double.isNaN(e) || Double.isNaN(worst) ? Double.NaN : Math.max(worst, e);
    }

    private static NDArray forward(NDArray x, NDArray w, int[] s) {
        return Conv2d.conv2d(x, w, null, new Shape(s[2], s[2]), new Shape(s[1] / 2, s[1] / 2), new Shape(1, 1), 1)
                .head();
    }

    private static double[] inputGradient(NDManager parent, NDArray x, NDArray w, NDArray probe, int[] s, DataType t) {
        try (NDManager m = parent.newSubManager()) {
            NDArray in = m.create(x.toFloatArray(), x.getShape()).toType(t, false);
            NDArray ws = m.create(w.toFloatArray(), w.getShape()).toType(t, false);
            in.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray h = Conv2d.conv2d(in, ws, null, new Shape(s[2], s[2]), new Shape(s[1] / 2, s[1] / 2),
                        new Shape(1, 1), 1).head();
                gc.backward(h.mul(m.create(probe.toFloatArray(), probe.getShape()).toType(t, false)).sum());
                return in.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            }
        }
    }
}
