/**
 * What a {@link io.geolightning.trainer.Trainer} connects a run to, like Lightning's {@code trainer/connectors}: the
 * devices and their memory ({@link io.geolightning.trainer.connectors.DeviceConnector}), the optimizers and the
 * optimisation step ({@link io.geolightning.trainer.connectors.OptimizerConnector}), the logged metrics and the
 * experiment loggers ({@link io.geolightning.trainer.connectors.LoggerConnector}) and checkpoints
 * ({@link io.geolightning.trainer.connectors.CheckpointConnector}). The trainer builds one of each; the loops use
 * them. Modules and callbacks do not: they go through the trainer's accessors.
 */
package io.geolightning.trainer.connectors;
