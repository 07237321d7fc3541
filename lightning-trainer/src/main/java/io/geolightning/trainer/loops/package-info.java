/**
 * The loops a {@link io.geolightning.trainer.Trainer} dispatches to, like Lightning's {@code loops}:
 * {@link io.geolightning.trainer.loops.FitLoop} (resume, sanity check, epochs) over a training-epoch loop (steps,
 * gradient accumulation, validation within the epoch) and an
 * {@link io.geolightning.trainer.loops.EvaluationLoop} (validation and test), and the
 * {@link io.geolightning.trainer.loops.PredictionLoop}. They share one
 * {@link io.geolightning.trainer.loops.LoopContext} per run, advance its
 * {@link io.geolightning.trainer.RunProgress} and act through the trainer's connectors.
 */
package io.geolightning.trainer.loops;
