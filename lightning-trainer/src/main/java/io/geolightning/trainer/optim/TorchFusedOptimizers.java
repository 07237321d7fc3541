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
 * libtorch's fused multi-tensor optimizer kernels ({@code torch._fused_adam_}, {@code torch._fused_adamw_},
 * {@code torch._fused_sgd_}; on the CPU since PyTorch 2.4), which update every weight and its state in one pass over
 * memory and one call for all parameters. DJL's own {@code adamUpdate} is per parameter and makes a dozen passes (a
 * cloned gradient, then one pass per elementwise operation): on ResNet-18's 11.2 M parameters it took 21-32 ms a
 * step on tcmalloc where the fused AdamW takes 4-6 ms.
 *
 * <p>DJL has no binding for these operators, so this class reaches them through a TorchScript module of one-line
 * methods, written here as TorchScript source and compiled by libtorch when loaded: the same path a
 * {@code torch.jit.save} archive takes, with nothing of Python's involved. Only used when the arrays are the PyTorch
 * engine's; if libtorch cannot compile the module (an older libtorch without the operators, say), that is logged once
 * and the optimizers fall back to their per-parameter updates.
 */
final class TorchFusedOptimizers {

    private static final Logger LOG = LoggerFactory.getLogger(TorchFusedOptimizers.class);

    /**
     * The module's code, the file {@code code/__torch__.py} of a TorchScript archive: a class with the methods
     * {@code adam}, {@code adamw} and {@code sgd}, each calling its operator on lists of tensors. The CPU kernels walk
     * each tensor's memory as one flat array, so a method returns 1 without updating anything when a tensor is not
     * contiguous (a weight that is a transposed view, say).
     */
    private static final String CODE = "class FusedOptimizers(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + """
                  def contiguous(self: __torch__.FusedOptimizers, tensors: List[Tensor]) -> bool:
                    for t in tensors:
                      if not t.is_contiguous():
                        return False
                    return True
                """
            + adamMethod("adam") + adamMethod("adamw")
            + """
                  def sgd(self: __torch__.FusedOptimizers, params: List[Tensor], grads: List[Tensor],
                      momentum_buffers: List[Tensor], lr: float, momentum: float, weight_decay: float,
                      nesterov: bool) -> int:
                    if not (self.contiguous(params) and self.contiguous(grads) and self.contiguous(momentum_buffers)):
                      return 1
                    torch._fused_sgd_(params, grads, momentum_buffers, weight_decay=weight_decay, momentum=momentum,
                        lr=lr, dampening=0., nesterov=nesterov, maximize=False, is_first_step=False)
                    return 0
                """;

    private static String adamMethod(String name) {
        return """
                  def %1$s(self: __torch__.FusedOptimizers, params: List[Tensor], grads: List[Tensor],
                      exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], steps: List[Tensor], lr: float, beta1: float,
                      beta2: float, weight_decay: float, eps: float) -> int:
                    if not (self.contiguous(params) and self.contiguous(grads) and self.contiguous(exp_avgs)
                        and self.contiguous(exp_avg_sqs)):
                      return 1
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

    private TorchFusedOptimizers() {
    }

    /**
     * Runs one fused Adam or AdamW update of a group of parameters sharing a learning rate, device and data type;
     * the arrays are updated in place.
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
     * @return false when the kernel is unavailable (not the PyTorch engine, libtorch could not compile the module, or
     *     a tensor is not contiguous): nothing was updated, use the per-parameter update
     * @throws io.geolightning.trainer.TrainerException if the kernel failed while updating
     */
    static boolean adam(boolean decoupled, List<NDArray> weights, List<NDArray> grads, List<NDArray> expAvgs,
            List<NDArray> expAvgSqs, long t, double lr, double beta1, double beta2, double weightDecay, double eps) {
        PtSymbolBlock block = module(weights);
        if (block == null) {
            return false;
        }
        // PyTorch keeps one step tensor per parameter; the kernel only reads them, so one shared scalar will do
        NDArray step = weights.get(0).getManager().create((float) t).toDevice(weights.get(0).getDevice(), false);
        PtNDArray[] steps = new PtNDArray[weights.size()];
        java.util.Arrays.fill(steps, (PtNDArray) step);
        return run(block, decoupled ? "adamw" : "adam", weights.size(), list(weights), list(grads), list(expAvgs),
                list(expAvgSqs), IValue.listFrom(steps), IValue.from(lr), IValue.from(beta1), IValue.from(beta2),
                IValue.from(weightDecay), IValue.from(eps));
    }

    /**
     * Runs one fused SGD update ({@code torch.optim.SGD}'s rule without dampening) of a group of parameters sharing a
     * learning rate, device and data type; the arrays are updated in place.
     *
     * @param weights detached views of the weights
     * @param grads their gradients
     * @param momentumBuffers the momentum buffers (zeros before the first step), empty without momentum
     * @param lr learning rate
     * @param momentum momentum (0 for none)
     * @param weightDecay L2 weight decay added to the gradient
     * @param nesterov Nesterov momentum
     * @return false when the kernel is unavailable: nothing was updated, use the per-parameter update
     * @throws io.geolightning.trainer.TrainerException if the kernel failed while updating
     */
    static boolean sgd(List<NDArray> weights, List<NDArray> grads, List<NDArray> momentumBuffers, double lr,
            double momentum, double weightDecay, boolean nesterov) {
        PtSymbolBlock block = module(weights);
        if (block == null) {
            return false;
        }
        // a zero buffer after "not the first step" is PyTorch's first step: buf = momentum * 0 + grad
        return run(block, "sgd", weights.size(), list(weights), list(grads), list(momentumBuffers), IValue.from(lr),
                IValue.from(momentum), IValue.from(weightDecay), IValue.from(nesterov));
    }

    private static boolean run(PtSymbolBlock block, String method, int parameters, IValue... args) {
        try (IValue result = IValueUtils.runMethod(block, method, args)) {
            if (result.toLong() != 0) {
                LOG.info("a weight, gradient or optimizer state is not contiguous in memory; the optimizer uses its "
                        + "per-parameter update, which is slower");
                return false;
            }
            CALLS.incrementAndGet();
            return true;
        } catch (EngineException e) {
            // the kernel goes parameter by parameter: some may be updated already, so no second try per parameter
            throw new io.geolightning.trainer.TrainerException("libtorch's fused " + method + " kernel failed on "
                    + parameters + " parameters (" + firstLine(e) + "); the optimizer step is incomplete", e);
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

    /** @return the module, or null if the arrays are not the PyTorch engine's or libtorch could not compile it */
    private static PtSymbolBlock module(List<NDArray> like) {
        if (like.isEmpty() || !(like.get(0) instanceof PtNDArray)) {
            return null;
        }
        synchronized (LOCK) {
            if (module == null && !failed) {
                try {
                    // a manager of the JVM's lifetime: the module holds no tensors, only compiled code
                    PtNDManager manager = (PtNDManager) NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
                    module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), false, false);
                } catch (IOException | EngineException e) {
                    disable("libtorch could not compile the fused optimizer kernels' module (" + firstLine(e) + ")");
                }
            }
            return module;
        }
    }

    private static void disable(String why) {
        synchronized (LOCK) {
            if (!failed) {
                LOG.info("{}; the optimizers use their per-parameter updates, which are slower", why);
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
            entry(zip, "fused_optimizers/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            entry(zip, "fused_optimizers/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
            entry(zip, "fused_optimizers/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // pickle: ()
            entry(zip, "fused_optimizers/data.pkl", dataPickle());
        }
        return bytes.toByteArray();
    }

    /** @return the pickled module object: {@code __torch__.FusedOptimizers} with state {@code {"training": True}} */
    private static byte[] dataPickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes("c__torch__\nFusedOptimizers\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL module, class
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
