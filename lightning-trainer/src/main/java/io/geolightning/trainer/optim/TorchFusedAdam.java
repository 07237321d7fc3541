package io.geolightning.trainer.optim;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's fused multi-tensor Adam and AdamW kernels ({@code torch._fused_adam_}, {@code torch._fused_adamw_}; on
 * the CPU since PyTorch 2.4), which update every weight and both moments in one pass over memory and one call for
 * all parameters. DJL's own {@code adamUpdate} is per parameter and makes a dozen passes (a cloned gradient, then one
 * pass per elementwise operation), measured 8-18x slower on ResNet-18's 11.2 M parameters.
 *
 * <p>DJL has no binding for these operators, so this class reaches them through a TorchScript module of two
 * one-line methods, written here as TorchScript source and compiled by libtorch when loaded: the same path a
 * {@code torch.jit.save} archive takes, with nothing of Python's involved. Only used when the arrays are the PyTorch
 * engine's; if libtorch cannot compile the module (an older libtorch without the operators, say), that is logged once
 * and {@link Adam} falls back to its per-parameter update.
 */
final class TorchFusedAdam {

    private static final Logger LOG = LoggerFactory.getLogger(TorchFusedAdam.class);

    /**
     * The module's code, the file {@code code/__torch__.py} of a TorchScript archive: a class with the methods
     * {@code adam} and {@code adamw}, each calling its operator on lists of tensors.
     */
    private static final String CODE = "class FusedAdam(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + method("adam") + method("adamw");

    private static String method(String name) {
        return """
                  def %1$s(self: __torch__.FusedAdam, params: List[Tensor], grads: List[Tensor],
                      exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], steps: List[Tensor], lr: float, beta1: float,
                      beta2: float, weight_decay: float, eps: float) -> int:
                    _0 = annotate(List[Tensor], [])
                    torch._fused_%1$s_(params, grads, exp_avgs, exp_avg_sqs, _0, steps, lr=lr, beta1=beta1,
                        beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
                    return 0
                """.formatted(name);
    }

    private static final Object LOCK = new Object();
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();
    private static PtSymbolBlock module;
    private static boolean failed;

    private TorchFusedAdam() {
    }

    /**
     * Runs one fused update of a group of parameters sharing a learning rate, device and data type; the arrays are
     * updated in place.
     *
     * @param decoupled AdamW's decoupled weight decay (else Adam's L2 decay added to the gradient)
     * @param weights detached views of the weights
     * @param grads their gradients
     * @param expAvgs first moments
     * @param expAvgSqs second moments
     * @param t the 1-based step (bias corrections)
     * @param lr learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param weightDecay weight decay
     * @param eps denominator epsilon
     * @return false when the kernel is unavailable (not the PyTorch engine, or libtorch could not compile the module):
     *     nothing was updated, use the per-parameter update
     * @throws io.geolightning.trainer.TrainerException if the kernel failed while updating
     */
    static boolean step(boolean decoupled, List<NDArray> weights, List<NDArray> grads, List<NDArray> expAvgs,
            List<NDArray> expAvgSqs, long t, double lr, double beta1, double beta2, double weightDecay, double eps) {
        if (weights.isEmpty() || !(weights.get(0) instanceof PtNDArray)) {
            return false;
        }
        PtSymbolBlock block = module();
        if (block == null) {
            return false;
        }
        // PyTorch keeps one step tensor per parameter; the kernel only reads them, so one shared scalar will do
        NDArray step = weights.get(0).getManager().create((float) t).toDevice(weights.get(0).getDevice(), false);
        PtNDArray[] steps = new PtNDArray[weights.size()];
        java.util.Arrays.fill(steps, (PtNDArray) step);
        IValue[] args = {list(weights), list(grads), list(expAvgs), list(expAvgSqs), IValue.listFrom(steps),
                IValue.from(lr), IValue.from(beta1), IValue.from(beta2), IValue.from(weightDecay), IValue.from(eps)};
        try (IValue ignored = IValueUtils.runMethod(block, decoupled ? "adamw" : "adam", args)) {
            CALLS.incrementAndGet();
            return true;
        } catch (EngineException e) {
            // the kernel goes parameter by parameter: some may be updated already, so no second try per parameter
            throw new io.geolightning.trainer.TrainerException("libtorch's fused Adam kernel failed on "
                    + weights.size() + " parameters (" + firstLine(e) + "); the optimizer step is incomplete", e);
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    /** @return how many fused updates ran in this JVM (for tests) */
    static long calls() {
        return CALLS.get();
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }

    private static PtSymbolBlock module() {
        synchronized (LOCK) {
            if (module == null && !failed) {
                try {
                    // a manager of the JVM's lifetime: the module holds no tensors, only compiled code
                    PtNDManager manager = (PtNDManager) NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
                    module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), false, false);
                } catch (IOException | EngineException e) {
                    disable("libtorch could not compile its fused Adam kernel's module (" + firstLine(e) + ")");
                }
            }
            return module;
        }
    }

    private static void disable(String why) {
        synchronized (LOCK) {
            if (!failed) {
                LOG.info("{}; Adam/AdamW use the per-parameter update, which is slower", why);
            }
            failed = true;
            module = null;
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** @return a TorchScript archive (a zip, as {@code torch.jit.save} writes it) of the module {@link #CODE} */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "fused_adam/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            entry(zip, "fused_adam/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
            entry(zip, "fused_adam/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // pickle: ()
            entry(zip, "fused_adam/data.pkl", dataPickle());
        }
        return bytes.toByteArray();
    }

    /** @return the pickled module object: {@code __torch__.FusedAdam} with state {@code {"training": True}} */
    private static byte[] dataPickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes("c__torch__\nFusedAdam\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL module, class
        p.write(')'); // EMPTY_TUPLE (constructor arguments)
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT (the state)
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD (the object's __setstate__ with the dict)
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
