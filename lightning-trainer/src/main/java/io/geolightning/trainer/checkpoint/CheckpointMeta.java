package io.geolightning.trainer.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * The {@code meta.json} entry of a checkpoint: everything except the arrays.
 *
 * @param format always {@value #FORMAT}
 * @param version format version, {@value #VERSION}
 * @param epoch the epoch to resume at (the next one when {@code batchInEpoch == 0})
 * @param batchInEpoch training batches of {@code epoch} already done (0 = start of the epoch)
 * @param batchesPerEpoch training batches the saving run's epochs have (after limits), or null when unknown (and in
 *                        files written before it was recorded)
 * @param batchSize samples in each of the saving run's training batches (its epoch's first), or null when unknown
 * @param dataOrder what decided the saving run's training batch order besides the epoch
 *                  ({@link io.geolightning.trainer.EpochDataset#order()}), or null when unknown
 * @param globalStep optimisation steps done
 * @param seed the trainer's base seed, or null
 * @param parameters name, shape and type of every model parameter, in block order
 * @param optimizers per optimizer: class, step count, parameter names
 * @param hyperparameters the module's saved hyperparameters
 * @param callbacks callback states by {@code stateKey}
 * @param module extra module state from {@code onSaveCheckpoint}
 * @param metrics the trainer's callback metrics when saved
 */
public record CheckpointMeta(
        String format,
        int version,
        int epoch,
        int batchInEpoch,
        Integer batchesPerEpoch,
        Integer batchSize,
        Map<String, String> dataOrder,
        long globalStep,
        Integer seed,
        List<ParameterInfo> parameters,
        List<OptimizerInfo> optimizers,
        Map<String, Object> hyperparameters,
        Map<String, Map<String, Object>> callbacks,
        Map<String, Object> module,
        Map<String, Double> metrics) {

    /** Format marker. */
    public static final String FORMAT = "geolightning-checkpoint";

    /** Current format version. */
    public static final int VERSION = 1;

    /**
     * One model parameter.
     *
     * @param name hierarchical DJL name
     * @param shape its shape
     * @param dataType DJL data type name
     */
    public record ParameterInfo(String name, long[] shape, String dataType) {}

    /**
     * One optimizer.
     *
     * @param type the optimizer class's simple name
     * @param stepCount updates made
     * @param parameters names of the parameters it owns
     */
    public record OptimizerInfo(String type, long stepCount, List<String> parameters) {}
}
