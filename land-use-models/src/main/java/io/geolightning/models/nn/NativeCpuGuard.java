package io.geolightning.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a native bug of DJL's PyTorch 2.7.1 CPU build (its bundled oneDNN 3.7.1) on AVX-512 machines (an AMD
 * EPYC here): the AVX-512 convolution backward pass returns wrong input gradients (relative error 0.1-1, or NaN) for
 * stride-1 convolutions with a kernel larger than 1x1 whose output-channel count is not a multiple of 16 (the
 * AVX-512 vector); every layer below such a convolution then learns from garbage. And the forward pass of a
 * convolution with a kernel larger than 1x1 (any stride) from more than 16 input channels that are not a multiple of
 * 16 (24, 40; a 20-band image) is wrong too (errors of the order of the outputs), in training and in prediction alike:
 * a width-8 U-Net concatenates 16 + 8 = 24 channels. Weight gradients, 1x1 convolutions and the other forward passes
 * are right; capped at AVX2 ({@code ONEDNN_MAX_CPU_ISA=AVX2}) the same convolutions are right for channel counts that
 * are multiples of 8 (the AVX2 vector; the networks' width options require that). {@code scripts/probe-onednn-isa}
 * and {@code NativeCpuGuardTest} measure it.
 *
 * <p>So the cap is set only for a network that has such a convolution ({@link #forModel}, called by
 * {@link ModelFactory#build}): ResNets, and the CNN and U-Nets at widths that are multiples of 16, train at the CPU's
 * widest ISA (1.8x faster than capped here, {@code scripts/bench-vs-pytorch}); and only on a CPU whose kernels get
 * them wrong: {@link OneDnnSelfCheck} asks the CPU once (a child JVM, seconds) and keeps its verdict, so a CPU where
 * they are right (or that has no AVX-512) trains every network uncapped. oneDNN reads the variable when it
 * creates its first primitive, so the first network a process builds decides; a riskier one built later in a process
 * that already runs uncapped is refused by {@link #checkTraining} with a one-line message. A value the user set is
 * kept; {@code -Dgeolightning.keepOneDnnIsa=true} disables the guard. Prediction follows the same rule as training:
 * a network with such a convolution has one whose forward pass is wrong, or is one step from it.
 */
public final class NativeCpuGuard {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCpuGuard.class);
    private static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    /** Output channels per AVX-512 vector: convolutions with other multiples get wrong input gradients. */
    private static final int LANES = 16;

    private enum Decision { NONE, CAPPED, UNCAPPED }

    private static Decision decision = Decision.NONE;

    private NativeCpuGuard() {
    }

    /** The C library's setenv, through JNA (a DJL dependency). */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /**
     * Caps oneDNN at AVX2 for a network whose structure is unknown (a TorchScript model) unless the process decided
     * already; idempotent, never throws. Call before the first convolution runs.
     */
    public static synchronized void apply() {
        if (decision == Decision.NONE) {
            if (userChose() || cpuNeedsCap()) {
                cap("a network of unknown structure");
            } else {
                decision = Decision.UNCAPPED;
            }
        }
    }

    /**
     * @return false when this CPU's AVX-512 kernels were tested right (or it has none), true otherwise (tested wrong,
     *     or no verdict); tests the CPU when no verdict is kept
     */
    private static boolean cpuNeedsCap() {
        if (!Boolean.parseBoolean(System.getProperty("geolightning.oneDnnSelfCheck", "true"))) {
            return true;
        }
        OneDnnSelfCheck.Verdict v = OneDnnSelfCheck.forThisProcess().verdict();
        return v == OneDnnSelfCheck.Verdict.WRONG || v == OneDnnSelfCheck.Verdict.UNKNOWN;
    }

    /**
     * Decides the process's oneDNN ISA for the first network it builds: capped at AVX2 when the network has a
     * convolution whose input gradients oneDNN's AVX-512 kernels get wrong ({@link #riskyConvolutions}) and this
     * CPU's kernels were not tested right ({@link OneDnnSelfCheck}: tested wrong, or no verdict), the CPU's widest
     * otherwise. Later calls change nothing (oneDNN has read the variable by then). Never throws.
     *
     * @param network a built network (initialised or not)
     * @param bands the bands of its input (its first convolution's input channels)
     */
    public static synchronized void forModel(Block network, int bands) {
        if (decision != Decision.NONE) {
            return;
        }
        List<String> risky = riskyConvolutions(network, bands);
        if (risky.isEmpty() || !userChose() && !cpuNeedsCap()) {
            decision = Decision.UNCAPPED;
        } else {
            cap(risky.get(0));
        }
    }

    private static void cap(String why) {
        decision = Decision.CAPPED;
        if (userChose()) {
            return;
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            if (libc.setenv(VARIABLE, "AVX2", 0) == 0) {
                LOG.info("set {}=AVX2 for {}: oneDNN's AVX-512 kernels compute its input gradients wrongly on some"
                        + " CPUs; set {} yourself to override", VARIABLE, why, VARIABLE);
            }
        } catch (Throwable e) {
            LOG.warn("could not set {}=AVX2 ({}); if training does not converge or stops on NaN losses, export "
                    + "{}=AVX2 before starting Java", VARIABLE, e.getMessage(), VARIABLE);
        }
    }

    private static boolean userChose() {
        return System.getenv(VARIABLE) != null || Boolean.getBoolean("geolightning.keepOneDnnIsa");
    }

    /**
     * Called when training starts: fails when {@code network} has a convolution whose gradients could be wrong and
     * this process runs oneDNN uncapped (it built a safe network first).
     *
     * @param network the network about to train
     * @throws IllegalStateException then
     */
    public static synchronized void checkTraining(Block network) {
        if (decision == Decision.CAPPED || userChose()) {
            return;
        }
        List<String> risky = riskyConvolutions(network);
        if (risky.isEmpty() || !cpuNeedsCap()) {
            return;
        }
        throw new IllegalStateException(risky.get(0) + ": oneDNN's AVX-512 kernels compute its input gradients wrongly"
                + " on some CPUs, and this process already runs them uncapped (a network without such convolutions"
                + " was built first); export " + VARIABLE + "=AVX2, train in a fresh process, or use channel counts"
                + " that are multiples of " + LANES);
    }

    /**
     * @param network a built network
     * @return the convolutions oneDNN's AVX-512 kernels get wrong: input gradients (stride 1, kernel larger than 1x1,
     *     output channels not a multiple of 16), described as {@code "a 3x3 convolution with 24 output channels"},
     *     and, for initialised convolutions, forward passes (kernel larger than 1x1, more than 16 input channels, not
     *     a multiple of 16), {@code "a 3x3 convolution from 24 input channels"}; empty when there are none
     */
    public static List<String> riskyConvolutions(Block network) {
        List<String> out = new ArrayList<>();
        collect(network, out);
        return out;
    }

    /**
     * @param network a built network, initialised or not
     * @param bands the bands of its input
     * @return {@link #riskyConvolutions(Block)}, and a first convolution's forward pass from {@code bands} when they
     *     are more than 16 and not a multiple of 16 (the other convolutions' inputs are other convolutions' outputs,
     *     or concatenations of them, which the output rule covers: {@code NativeCpuGuardTest})
     */
    public static List<String> riskyConvolutions(Block network, int bands) {
        List<String> out = new ArrayList<>();
        if (riskyInputs(bands)) {
            out.add("a first convolution from " + bands + " bands");
        }
        collect(network, out);
        return out;
    }

    private static boolean riskyInputs(long channels) {
        return channels > LANES && channels % LANES != 0;
    }

    private static void collect(Block block, List<String> out) {
        if (block instanceof Convolution c) {
            Shape k = c.getKernelShape();
            Shape stride = c.getStride();
            boolean unit = stride == null || stride.dimension() == 0
                    || Arrays.stream(stride.getShape()).anyMatch(v -> v == 1);
            boolean wide = k != null && Arrays.stream(k.getShape()).anyMatch(v -> v > 1);
            if (unit && wide && c.getFilters() % LANES != 0) {
                out.add("a " + k.get(0) + "x" + k.get(k.dimension() - 1) + " convolution with " + c.getFilters()
                        + " output channels");
            }
            Parameter weight = c.getParameters().get("weight");
            if (wide && weight != null && weight.isInitialized() && riskyInputs(weight.getArray().getShape().get(1))) {
                out.add("a " + k.get(0) + "x" + k.get(k.dimension() - 1) + " convolution from "
                        + weight.getArray().getShape().get(1) + " input channels");
            }
        }
        for (Block child : block.getChildren().values()) {
            collect(child, out);
        }
    }
}
