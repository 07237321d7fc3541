package io.geolightning.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * Adam ({@code torch.optim.Adam}, or {@code AdamW} when {@code decoupled}) with bias correction; slots
 * {@code exp_avg} and {@code exp_avg_sq}. Plain Adam adds {@code weightDecay * w} to the gradient (L2); AdamW
 * shrinks the weight by {@code lr * weightDecay} before the update (decoupled decay, Loshchilov &amp; Hutter).
 * State is exposed for checkpoints, see {@link LightningOptimizer}. With the PyTorch engine a step is one call of
 * libtorch's fused multi-tensor kernel per parameter group ({@code torch._fused_adamw_}, see
 * {@link TorchFusedOptimizers}), PyTorch's own arithmetic. Otherwise each parameter goes through the engine's Adam
 * kernel ({@code NDArrayEx.adamUpdate}) on this class's own state arrays, with the epsilon rescaled so the result is
 * PyTorch's formula; engines without that kernel get the same update op by op.
 */
public class Adam extends LightningOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private boolean fused = true;

    /**
     * Creates the optimizer from a builder.
     *
     * @param b the builder
     * @param decoupled true for AdamW's decoupled weight decay
     */
    protected Adam(Builder b, boolean decoupled) {
        super(b.schedule);
        Schedules.checkUnit("beta1", b.beta1, false);
        Schedules.checkUnit("beta2", b.beta2, false);
        Schedules.checkRate("weightDecay", b.weightDecay);
        if (!(b.eps > 0)) {
            throw new io.geolightning.trainer.TrainerException("Adam eps " + b.eps + " must be > 0; pass e.g. 1e-8");
        }
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.weightDecay = b.weightDecay;
        this.decoupled = decoupled;
    }

    /** @return a builder for plain Adam (weight decay as L2 in the gradient) */
    public static Builder builder() {
        return new Builder(0);
    }

    /**
     * With the PyTorch engine, one call of libtorch's fused multi-tensor kernel per group of parameters sharing a
     * learning rate, device and data type ({@link TorchFusedOptimizers}); otherwise, or if libtorch cannot provide it,
     * the per-parameter {@link #update}.
     */
    @Override
    protected void updateAll(List<Update> updates, long t) {
        updateGroups(updates, t, (group, weights, grads) -> {
            List<List<NDArray>> moments = slots(group, "exp_avg", "exp_avg_sq");
            return TorchFusedOptimizers.adam(decoupled, weights, grads, moments.get(0), moments.get(1), t,
                    group.get(0).lr(), beta1, beta2, weightDecay, eps);
        });
    }

    @Override
    protected void update(String name, NDArray weight, NDArray grad, double lr, long t) {
        NDArray m = state(name, "exp_avg", weight);
        NDArray v = state(name, "exp_avg_sq", weight);
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        if (fused) {
            try {
                // the engine's one-call kernel (same arithmetic, no per-op JNI round trips) on OUR state arrays:
                // w -= lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps*sqrt(bc2))  ==  PyTorch's  lr/bc1 * m / (sqrt(v/bc2) + eps)
                weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight),
                        (float) lr, (float) (lr * Math.sqrt(bc2) / bc1), (float) weightDecay, 1f, -1f,
                        (float) beta1, (float) beta2, (float) (eps * Math.sqrt(bc2)), false, decoupled);
                return;
            } catch (UnsupportedOperationException e) {
                fused = false;
            }
        }
        NDArray g = grad;
        if (weightDecay > 0) {
            if (decoupled) {
                weight.muli(1 - lr * weightDecay);
            } else {
                g = grad.add(weight.mul(weightDecay));
            }
        }
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.square().muli(1 - beta2));
        NDArray denom = v.sqrt().divi(Math.sqrt(bc2)).addi(eps);
        weight.subi(m.div(denom).muli(lr / bc1));
    }

    /** Builder of {@link Adam} and {@link AdamW}. */
    public static class Builder {
        /** PyTorch's default learning rate of Adam and AdamW. */
        private LrSchedule schedule = LrSchedule.constant(1e-3);
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;

        /**
         * @param defaultWeightDecay initial weight decay (0 for Adam, 0.01 for AdamW as in PyTorch)
         */
        protected Builder(double defaultWeightDecay) {
            weightDecay = defaultWeightDecay;
        }

        /**
         * @param lr constant learning rate (default 1e-3, as {@code torch.optim.Adam} and {@code AdamW})
         * @return this builder
         */
        public Builder lr(double lr) {
            schedule = LrSchedule.constant(lr);
            return this;
        }

        /**
         * @param value the learning-rate schedule
         * @return this builder
         */
        public Builder schedule(LrSchedule value) {
            schedule = value;
            return this;
        }

        /**
         * @param b1 first-moment decay
         * @param b2 second-moment decay
         * @return this builder
         */
        public Builder betas(double b1, double b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        /**
         * @param value denominator epsilon
         * @return this builder
         */
        public Builder eps(double value) {
            eps = value;
            return this;
        }

        /**
         * @param value weight decay
         * @return this builder
         */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /** @return plain Adam */
        public Adam build() {
            return new Adam(this, false);
        }

        /** @return AdamW (decoupled weight decay) */
        public AdamW buildAdamW() {
            return new AdamW(this);
        }
    }
}
