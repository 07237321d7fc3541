package io.geolightning.models.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.tasks.LandUseTask;
import java.nio.file.Path;
import java.util.List;

/** A {@link LandUseTask} (trained in this process or restored from a checkpoint) as an {@link InferenceModel}. */
public final class TaskInferenceModel implements InferenceModel {

    private final LandUseTask task;
    private final String source;
    private final boolean owned;

    /**
     * @param task the task; not closed by {@link #close()}
     * @param source a name for messages, e.g. the run it came from
     */
    public TaskInferenceModel(LandUseTask task, String source) {
        this(task, source, false);
    }

    private TaskInferenceModel(LandUseTask task, String source, boolean owned) {
        this.task = task;
        this.source = source;
        this.owned = owned;
    }

    /**
     * @param checkpoint a .ckpt written while training a land-use task
     * @return the restored model (closing it closes the task)
     */
    public static TaskInferenceModel fromCheckpoint(Path checkpoint) {
        return new TaskInferenceModel(LandUseTask.load(checkpoint), checkpoint.getFileName().toString(), true);
    }

    /** @return the wrapped task */
    public LandUseTask task() {
        return task;
    }

    @Override
    public ModelSignature signature() {
        return ModelSignature.of(task.settings().model());
    }

    @Override
    public List<String> classNames() {
        return task.settings().classNames();
    }

    @Override
    public java.util.Map<String, String> classColors() {
        return task.settings().classColors();
    }

    @Override
    public BandNormalization normalization() {
        return task.settings().normalization();
    }

    @Override
    public BandNormalization scaleReference() {
        return task.settings().scaleReference();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public float[] probabilities(float[] batch, int n, int height, int width) {
        try (NDManager step = task.getManager().newSubManager()) {
            NDArray x = step.create(batch, new Shape(n, task.settings().model().bands(), height, width));
            NDArray p = task.probabilities(x);
            return p.toFloatArray();
        }
    }

    @Override
    public void close() {
        if (owned) {
            task.close();
        }
    }
}
