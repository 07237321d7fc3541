package io.geolightning.trainer.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} rule: L2 weight decay added to the gradient,
 * heavy-ball momentum {@code buf = momentum * buf + g} (slot {@code momentum_buffer}) and optional Nesterov.
 * State is exposed for checkpoints, see {@link LightningOptimizer}. With the PyTorch engine a step is one call of
 * libtorch's fused multi-tensor kernel per parameter group ({@code torch._fused_sgd_}).
 */
public final class Sgd extends LightningOptimizer {

    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    private Sgd(Builder b) {
        super(b.schedule);
        Schedules.checkUnit("momentum", b.momentum, false);
        Schedules.checkRate("weightDecay", b.weightDecay);
        if (b.nesterov && b.momentum == 0) {
            throw new io.geolightning.trainer.TrainerException("Sgd nesterov needs momentum > 0; set momentum(0.9)");
        }
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /** @return a builder (learning rate required) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * With the PyTorch engine, one call of libtorch's fused multi-tensor kernel per group of parameters sharing a
     * learning rate, device and data type ({@link TorchFusedOptimizers}); otherwise the per-parameter
     * {@link #update}.
     */
    @Override
    protected void updateAll(List<Update> updates, long t) {
        updateGroups(updates, t, (group, weights, grads) -> TorchFusedOptimizers.sgd(weights, grads,
                momentum > 0 ? slots(group, "momentum_buffer").get(0) : List.of(), group.get(0).lr(), momentum,
                weightDecay, nesterov));
    }

    @Override
    protected void update(String name, NDArray weight, NDArray grad, double lr, long t) {
        NDArray g = weightDecay > 0 ? grad.add(weight.mul(weightDecay)) : grad;
        if (momentum > 0) {
            NDArray buf = state(name, "momentum_buffer", weight);
            buf.muli(momentum).addi(g);
            g = nesterov ? g.add(buf.mul(momentum)) : buf;
        }
        weight.subi(g.mul(lr));
    }

    /** Builder of {@link Sgd}. */
    public static final class Builder {
        private LrSchedule schedule;
        private double momentum;
        private boolean nesterov;
        private double weightDecay;

        private Builder() {}

        /**
         * @param lr constant learning rate
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
         * @param value momentum in [0, 1)
         * @return this builder
         */
        public Builder momentum(double value) {
            momentum = value;
            return this;
        }

        /**
         * @param value use Nesterov momentum
         * @return this builder
         */
        public Builder nesterov(boolean value) {
            nesterov = value;
            return this;
        }

        /**
         * @param value L2 penalty added to the gradient
         * @return this builder
         */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /** @return the optimizer */
        public Sgd build() {
            return new Sgd(this);
        }
    }
}
