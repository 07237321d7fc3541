package io.geolightning.trainer.optim;

import io.geolightning.trainer.TrainerException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code LightningModule.configureOptimizers()} returns: one or more optimizers, each with the parameters it
 * updates (its learning-rate schedule lives in the optimizer). With several optimizers in automatic optimisation
 * every optimizer steps after every (accumulated) batch; for alternating updates (GANs) use manual optimisation,
 * see {@code LightningModule.automaticOptimization()}.
 *
 * @param entries the optimizers in order; their index is the one {@code optimizers()} uses
 */
public record OptimizerConfig(List<Entry> entries) {

    /** Validates and freezes the list. */
    public OptimizerConfig {
        if (entries == null || entries.isEmpty()) {
            throw new TrainerException("OptimizerConfig has no optimizer; return OptimizerConfig.of(new Adam(...))");
        }
        entries = List.copyOf(entries);
    }

    /**
     * One optimizer and the parameters it owns.
     *
     * @param optimizer the optimizer
     * @param parameters which parameters it updates
     */
    public record Entry(LightningOptimizer optimizer, ParameterFilter parameters) {
        /** Checks for nulls. */
        public Entry {
            if (optimizer == null || parameters == null) {
                throw new TrainerException("OptimizerConfig entry has a null optimizer or filter; pass both");
            }
        }
    }

    /**
     * A single optimizer over all parameters.
     *
     * @param optimizer the optimizer
     * @return the configuration
     */
    public static OptimizerConfig of(LightningOptimizer optimizer) {
        return new OptimizerConfig(List.of(new Entry(optimizer, ParameterFilter.all())));
    }

    /** @return a builder for several optimizers */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link OptimizerConfig}. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {}

        /**
         * Adds an optimizer.
         *
         * @param optimizer the optimizer
         * @param parameters the parameters it updates
         * @return this builder
         */
        public Builder add(LightningOptimizer optimizer, ParameterFilter parameters) {
            entries.add(new Entry(optimizer, parameters));
            return this;
        }

        /** @return the configuration */
        public OptimizerConfig build() {
            return new OptimizerConfig(entries);
        }
    }
}
