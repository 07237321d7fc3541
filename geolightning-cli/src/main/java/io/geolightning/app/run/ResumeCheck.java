package io.geolightning.app.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.geolightning.app.config.ConfigException;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.OptimizerSettings;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import io.geolightning.trainer.connectors.CheckpointConnector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before a run resumes ({@code trainer.ckptPath}), compares the network the checkpoint was written by with the one
 * the run builds, so that a changed {@code model} section or data is named in the user's keys instead of failing on a
 * parameter's shape: the architecture, the bands, the classes and every model option both set. An option set on one
 * side only may be the other side's default: both networks are then built and their parameter shapes compared.
 */
final class ResumeCheck {

    private ResumeCheck() {
    }

    /**
     * @param ckptPath the checkpoint to resume from (an existing file)
     * @param run the task this run trains
     * @throws ConfigException naming {@code trainer.ckptPath}, what differs and the fix
     */
    static void requireSameNetwork(String ckptPath, TaskSettings run) {
        Path p = Path.of(ckptPath);
        TaskSettings written;
        try {
            written = TaskSettings.ofCheckpoint(p, CheckpointIO.read(p).meta());
        } catch (ModelException | TrainerException e) {
            return; // not a land-use checkpoint, or a damaged one: loading it says what is wrong, in one line
        }
        ModelSpec was = written.model();
        ModelSpec now = run.model();
        List<String> diffs = new ArrayList<>();
        if (was.architecture() != now.architecture()) {
            diffs.add("model.architecture " + was.architecture().id() + " -> " + now.architecture().id());
        }
        if (was.bands() != now.bands()) {
            diffs.add("bands " + was.bands() + " -> " + now.bands() + " (the data's)");
        }
        if (!written.classNames().equals(run.classNames())) {
            diffs.add("classes " + written.classNames() + " -> " + run.classNames() + " (the data's)");
        }
        was.options().forEach((k, v) -> {
            String other = now.options().get(k);
            if (other != null && !other.equals(v)) {
                diffs.add("model.options." + k + " " + v + " -> " + other);
            }
        });
        if (diffs.isEmpty() && !was.options().keySet().equals(now.options().keySet()) && !sameShapes(was, now)) {
            was.options().forEach((k, v) -> {
                if (!now.options().containsKey(k)) {
                    diffs.add("model.options." + k + " " + v + " -> unset (its default)");
                }
            });
            now.options().forEach((k, v) -> {
                if (!was.options().containsKey(k)) {
                    diffs.add("model.options." + k + " unset (its default) -> " + v);
                }
            });
        }
        if (!diffs.isEmpty()) {
            throw new ConfigException("trainer.ckptPath " + ckptPath + ": the checkpoint holds another network than"
                    + " this run builds (" + String.join(", ", diffs) + "); resume with the model section and data"
                    + " that wrote it, or remove trainer.ckptPath to start afresh");
        }
    }

    /**
     * A checkpoint saved in the middle of an epoch resumes after the batches it had done, which are the samples it
     * trained on only with the batch size that saved it.
     *
     * @param ckptPath the checkpoint to resume from (an existing file)
     * @param batchSize this run's {@code data.batchSize}
     * @throws ConfigException naming {@code trainer.ckptPath} and {@code data.batchSize} when they differ
     */
    static void requireSameBatchSize(String ckptPath, int batchSize) {
        CheckpointMeta meta;
        try {
            meta = CheckpointIO.read(Path.of(ckptPath)).meta();
        } catch (TrainerException e) {
            return; // a damaged checkpoint: loading it says what is wrong, in one line
        }
        if (meta.batchInEpoch() > 0 && meta.batchSize() != null && meta.batchSize() != batchSize) {
            throw new ConfigException("trainer.ckptPath " + ckptPath + ": saved after batch " + meta.batchInEpoch()
                    + " of epoch " + meta.epoch() + " with data.batchSize " + meta.batchSize() + ", so this run's"
                    + " data.batchSize " + batchSize + " would train some of the epoch's samples twice and skip others;"
                    + " set data.batchSize " + meta.batchSize() + ", or resume from a checkpoint saved at an epoch's"
                    + " end");
        }
    }

    /**
     * A checkpoint saved in the middle of an epoch resumes after the batches it had done, which are the samples it
     * trained on only if the rest of the epoch is drawn in the same order: the same seed, shuffle buffer and reading
     * mode (in memory or streamed). A checkpoint saved at an epoch's end may change them: a new epoch draws anew.
     *
     * @param ckptPath the checkpoint to resume from (an existing file)
     * @param order what decides this run's training order ({@link io.geolightning.tiling.data.ChipBatches#order()})
     * @param dataSeed whether {@code data.seed} is set (else the loader's seed is {@code seed})
     * @throws ConfigException naming {@code trainer.ckptPath}, each key that differs and the checkpoint's value
     */
    static void requireSameOrder(String ckptPath, Map<String, String> order, boolean dataSeed) {
        CheckpointMeta meta;
        try {
            meta = CheckpointIO.read(Path.of(ckptPath)).meta();
        } catch (TrainerException e) {
            return; // a damaged checkpoint: loading it says what is wrong, in one line
        }
        List<String> changed = CheckpointConnector.changedOrderSettings(meta.dataOrder(), order);
        if (meta.batchInEpoch() == 0 || changed.isEmpty()) {
            return;
        }
        List<String> saved = new ArrayList<>();
        List<String> now = new ArrayList<>();
        for (String k : changed) {
            String key = switch (k) {
                case "seed" -> dataSeed ? "data.seed" : "seed";
                case "streaming", "shuffleBuffer" -> "data." + k;
                default -> k;
            };
            saved.add(key + " " + meta.dataOrder().get(k));
            now.add(key + " " + order.get(k));
        }
        throw new ConfigException("trainer.ckptPath " + ckptPath + ": saved after batch " + meta.batchInEpoch()
                + " of epoch " + meta.epoch() + " with " + String.join(", ", saved) + ", so this run's "
                + String.join(", ", now) + " would draw the rest of the epoch in another order, training some of its"
                + " samples twice and skipping others; set " + String.join(" and ", saved) + ", or resume from a"
                + " checkpoint saved at an epoch's end");
    }

    /**
     * A resumed run continues its checkpoint's learning-rate schedule, as PyTorch and Lightning restore a scheduler's
     * state: a cosine schedule keeps the length (optimizer steps) the checkpoint's run computed from its
     * {@code trainer.maxEpochs}, instead of one recomputed from this run's, which would make the learning rate jump at
     * the resume. A run that would take more steps than that schedule lasts is warned: the steps past its end train at
     * the schedule's final learning rate, 0.
     *
     * @param ckptPath the checkpoint to resume from (an existing file)
     * @param run the task this run trains, its schedule computed from this run's settings
     * @param maxEpochs this run's {@code trainer.maxEpochs}
     * @param out where the warning goes
     * @return {@code run}, with the checkpoint's schedule length when both use the cosine schedule
     */
    static TaskSettings keepSchedule(String ckptPath, TaskSettings run, int maxEpochs, PrintWriter out) {
        Path p = Path.of(ckptPath);
        OptimizerSettings was;
        try {
            was = TaskSettings.ofCheckpoint(p, CheckpointIO.read(p).meta()).optimizer();
        } catch (ModelException | TrainerException e) {
            return run; // not a land-use checkpoint, or a damaged one: loading it says what is wrong, in one line
        }
        OptimizerSettings now = run.optimizer();
        if (!was.schedule().equals("cosine") || !now.schedule().equals("cosine")
                || was.totalSteps() == now.totalSteps()) {
            return run;
        }
        if (now.totalSteps() > was.totalSteps()) {
            out.println("warning: trainer.ckptPath " + ckptPath + ": its run's cosine learning-rate schedule ends (at"
                    + " learning rate 0) after optimizer step " + was.totalSteps() + " and this resumed run keeps it,"
                    + " so the " + (now.totalSteps() - was.totalSteps()) + " steps trainer.maxEpochs " + maxEpochs
                    + " adds train at learning rate 0; to train longer with a schedule of its own, start a new run"
                    + " from its weights (geolightning export, then model.weights)");
            out.flush();
        }
        return run.withOptimizer(now.toBuilder().totalSteps(was.totalSteps()).build());
    }

    /** @return whether both specs build networks with the same parameter shapes, in the same order */
    private static boolean sameShapes(ModelSpec a, ModelSpec b) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return shapes(ModelFactory.buildInitialized(a, manager)).equals(shapes(ModelFactory.buildInitialized(b,
                    manager)));
        }
    }

    private static List<Shape> shapes(Block block) {
        List<Shape> out = new ArrayList<>();
        block.getParameters().values().forEach(p -> out.add(p.getArray().getShape()));
        return out;
    }
}
