package io.geolightning.trainer.optim;

/**
 * AdamW ({@code torch.optim.AdamW}): Adam with decoupled weight decay, default decay 0.01 as in PyTorch.
 * Build with {@code AdamW.builder().lr(1e-3).build()}.
 */
public final class AdamW extends Adam {

    AdamW(Adam.Builder b) {
        super(b, true);
    }

    /** @return a builder whose {@code build()} returns an AdamW */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link AdamW}. */
    public static final class Builder extends Adam.Builder {
        private Builder() {
            super(0.01);
        }

        @Override
        public AdamW build() {
            return buildAdamW();
        }
    }
}
