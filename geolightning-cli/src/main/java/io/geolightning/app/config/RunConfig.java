package io.geolightning.app.config;

import io.geolightning.models.nn.Architecture;

/**
 * A training run, LightningCLI-style: one YAML file with the sections {@code model}, {@code data}, {@code trainer},
 * {@code callbacks} and {@code optimizer}, plus the run's name, the root of its run folders and the global seed.
 * Read with {@link RunConfigLoader}; every section fills its defaults, so an empty file is a valid (if not very useful)
 * configuration only once {@code data} says where the chips come from.
 *
 * @param name run name: the run folder is {@code <runs>/<name>/version_N}
 * @param runs root folder of the run folders (default {@code runs})
 * @param seed seed of every random number generator (splits, shuffling, initialisation)
 * @param model the network and its loss
 * @param data where the chips come from and how they are batched
 * @param trainer the training loop
 * @param callbacks checkpointing, early stopping, learning-rate monitor
 * @param optimizer optimizer and learning-rate schedule
 */
public record RunConfig(String name, String runs, Integer seed, ModelSection model, DataSection data,
                        TrainerSection trainer, CallbacksSection callbacks, OptimizerSection optimizer) {

    /** Fills defaults. */
    public RunConfig {
        if (name == null || name.isBlank()) {
            name = "run";
        }
        if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw new ConfigException("name '" + name + "': a run name becomes a folder name; use letters, digits,"
                    + " '-' or '_' without slashes");
        }
        if (runs == null || runs.isBlank()) {
            runs = "runs";
        }
        if (seed == null) {
            seed = 42;
        }
        model = model == null ? ModelSection.defaults() : model;
        data = data == null ? DataSection.defaults() : data;
        trainer = trainer == null ? TrainerSection.defaults() : trainer;
        callbacks = callbacks == null ? CallbacksSection.defaults() : callbacks;
        optimizer = optimizer == null ? OptimizerSection.defaults() : optimizer;
        trainer.check(seed);
        if (model.network() == Architecture.UNET && (optimizer.backboneLr() > 0
                || callbacks.unfreezeBackboneAtEpoch() != null)) {
            throw new ConfigException((optimizer.backboneLr() > 0 ? "optimizer.backboneLr" : "callbacks."
                    + "unfreezeBackboneAtEpoch") + ": the plain unet has no pretrained backbone; use"
                    + " unet_resnet18/34/50 (whose encoder is one) or remove the setting");
        }
    }
}
