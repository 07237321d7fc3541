/**
 * Runs from a YAML run configuration as a Java API: {@link io.geolightning.app.run.TrainingRun} builds the data module,
 * the task and the trainer from a {@link io.geolightning.app.config.RunConfig}, trains, evaluates the best checkpoint
 * and writes the run folder; {@code geolightning train} is a thin command over it.
 */
package io.geolightning.app.run;
