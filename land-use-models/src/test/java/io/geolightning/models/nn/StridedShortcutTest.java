package io.geolightning.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResNet shortcuts' strided 1x1 convolutions ({@link Layers#conv}) compute what DJL's strided convolution computes,
 * and ResNet-50 and its U-Net train a step at the CPU's widest ISA, where libtorch 2.7.1's oneDNN died (SIGFPE)
 * computing the input gradient of a strided 1x1 convolution from 512 channels.
 */
class StridedShortcutTest {

    @Test
    void aStridedPointwiseConvolutionEqualsDjlsOnOddAndEvenSizes() {
        for (int side : new int[] {7, 8}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(side);
                NDArray x = m.randomNormal(new Shape(4, 256, side, side));
                Block ours = Layers.conv(512, 1, 2, 0);
                assertTrue(ours instanceof Layers.Conv2d, ours.getClass().getName());
                ours.initialize(m, DataType.FLOAT32, x.getShape());
                assertEquals(List.of("weight"), ours.getParameters().keys(),
                        "the parameter name torchvision's map uses");
                NDArray w = ours.getParameters().get("weight").getArray();
                float[][] a = forwardBackward(m, ours, x, w, true);
                float[][] b = forwardBackward(m, ours, x, w, false);
                for (int k = 0; k < 2; k++) {
                    assertEquals(b[k].length, a[k].length);
                    for (int i = 0; i < a[k].length; i++) {
                        assertEquals(b[k][i], a[k][i], 1e-4 * (1 + Math.abs(b[k][i])),
                                (k == 0 ? "output " : "dx ") + i);
                    }
                }
            }
        }
    }

    /** The block's output and input gradient, or DJL's strided convolution's with the same weight. */
    private static float[][] forwardBackward(NDManager m, Block block, NDArray x0, NDArray w, boolean ours) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = ours ? block.forward(new ParameterStore(m, false), new NDList(x), true).head()
                    : Conv2d.conv2d(x, w.stopGradient(), null, new Shape(2, 2), new Shape(0, 0), new Shape(1, 1), 1)
                    .head();
            gc.backward(y.mul(y).sum());
        }
        return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
    }

    @Test
    void resNet50AndItsUNetTrainAStepAtTheWidestIsa(@TempDir Path tmp) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-XX:ErrorFile=" + tmp.resolve("hs_%p.log"),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                StridedShortcutTest.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out").toFile());
        pb.environment().remove("ONEDNN_MAX_CPU_ISA"); // the test JVMs run capped (pom); users' ResNets do not
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(tmp.resolve("out"));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("trained resnet50") && out.contains("trained unet_resnet50"), out);
    }

    /**
     * Child JVM: one forward and backward pass of ResNet-50 (4 x 3 x 64 x 64) and of the ResNet-50 U-Net, printing
     * {@code trained <architecture>} when every gradient is finite.
     *
     * @param args none
     */
    public static void main(String[] args) {
        for (Architecture a : List.of(Architecture.RESNET50, Architecture.UNET_RESNET50)) {
            try (NDManager m = NDManager.newBaseManager()) {
                Block net = ModelFactory.buildInitialized(ModelSpec.of(a, 3, 4, 64), m);
                NDArray x = m.randomNormal(new Shape(4, 3, 64, 64));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = net.forward(new ParameterStore(m, false), new NDList(x), true).head();
                    gc.backward(y.mul(y).mean());
                }
                boolean finite = net.getParameters().values().stream().filter(p -> p.getArray().hasGradient())
                        .allMatch(p -> {
                    NDArray g = p.getArray().getGradient();
                    return g.isNaN().logicalNot().all().getBoolean() && g.abs().max().getFloat() < Float.MAX_VALUE;
                });
                System.out.println((finite ? "trained " : "non-finite gradients in ") + a.id());
            }
        }
    }
}
