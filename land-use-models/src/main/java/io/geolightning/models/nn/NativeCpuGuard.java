package io.geolightning.models.nn;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a native bug seen with DJL's PyTorch 2.7.1 CPU build on AVX-512 machines (an AMD EPYC here): oneDNN's
 * AVX-512 convolution backward pass returns wrong input gradients, so every layer below the last convolution learns
 * from garbage. Measured on a conv-relu-conv net: the first layer's weight gradient differs from the float64 reference
 * with one thread (893.8 vs 1537.8) and with two (1307.6, and NaN in 41-54 of 100 runs); with
 * {@code ONEDNN_MAX_CPU_ISA=AVX2} it matches the reference (1537.84) in 100 of 100 runs at the same speed.
 * oneDNN reads that variable when it creates its first primitive, so setting it in this process before the first
 * convolution is enough. A value already set by the user is kept; {@code -Dgeolightning.keepOneDnnIsa=true} disables
 * the guard.
 *
 * <p>{@code scripts/probe-onednn-isa} narrows it down on this machine (an AMD EPYC with AVX-512 BF16): a small
 * conv-relu-conv's weight gradients are wrong or NaN at every AVX-512 level ({@code AVX512_CORE}, {@code _VNNI},
 * {@code _BF16}) in 30 of 30 draws with one thread, and at {@code AVX2} and {@code AVX2_VNNI} in none with one thread
 * and 1 of 30 with two (a rarer fault that the probe also finds at every level on a ResNet-like stack, not understood
 * yet); the forward pass matches float64 at every level. So only training needs the cap: a process
 * that only predicts declares it with {@link #inferenceOnly()} (the CLI's predict, evaluate and export commands do) and
 * runs at the CPU's widest ISA.
 */
public final class NativeCpuGuard {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCpuGuard.class);
    private static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    private static volatile boolean applied;
    private static volatile boolean inferenceOnly;

    private NativeCpuGuard() {
    }

    /** The C library's setenv, through JNA (a DJL dependency). */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /**
     * Caps oneDNN at AVX2 unless {@code ONEDNN_MAX_CPU_ISA} is already set; idempotent, never throws. Call before the
     * first convolution runs (the networks' factory and tasks do).
     */
    public static synchronized void apply() {
        if (applied || inferenceOnly) {
            return;
        }
        applied = true;
        if (System.getenv(VARIABLE) != null || Boolean.getBoolean("geolightning.keepOneDnnIsa")) {
            return;
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            if (libc.setenv(VARIABLE, "AVX2", 0) == 0) {
                LOG.info("set {}=AVX2: oneDNN's AVX-512 convolution gradients are wrong on some CPUs; set {} "
                        + "yourself to override", VARIABLE, VARIABLE);
            }
        } catch (Throwable e) {
            LOG.warn("could not set {}=AVX2 ({}); if training does not converge or stops on NaN losses, export "
                    + "{}=AVX2 before starting Java", VARIABLE, e.getMessage(), VARIABLE);
        }
    }

    /**
     * Declares that this process only runs forward passes, which are correct at every oneDNN ISA level: {@link #apply()}
     * then leaves the ISA alone. Call before the first model is built (later, a convolution may already have fixed the
     * ISA). {@link #checkTraining()} refuses to train afterwards unless the cap was set outside.
     */
    public static synchronized void inferenceOnly() {
        if (!applied) {
            inferenceOnly = true;
        }
    }

    /**
     * Called when training starts: fails when this process declared {@link #inferenceOnly()} and nobody capped the ISA,
     * since its convolution gradients could be wrong.
     *
     * @throws IllegalStateException then
     */
    public static void checkTraining() {
        if (inferenceOnly && System.getenv(VARIABLE) == null && !Boolean.getBoolean("geolightning.keepOneDnnIsa")) {
            throw new IllegalStateException("this process declared it would only predict (NativeCpuGuard.inferenceOnly)"
                    + " but starts training; export " + VARIABLE + "=AVX2 or train in another process");
        }
    }
}
