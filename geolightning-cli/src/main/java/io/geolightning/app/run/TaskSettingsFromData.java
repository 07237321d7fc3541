package io.geolightning.app.run;

import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.ModelSection;
import io.geolightning.app.config.RunConfig;
import io.geolightning.foundation.GeoLightningException;
import io.geolightning.foundation.GeoLightningException.Kind;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.OptimizerSettings;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.data.ChipDataModule;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The task a run trains, from its configuration and its data together: the network must fit how the data is labelled
 * and take its bands, classes and chip size; the ignore index, class weights and class colours must fit its classes;
 * the learning-rate schedule lasts the steps the run will take; the input normalisation is the configured one or the
 * data's band statistics. Everything that needs the data and was not checked when the configuration was read.
 */
final class TaskSettingsFromData {

    private TaskSettingsFromData() {
    }

    /**
     * @param config the resolved configuration
     * @param data the data module, set up for fitting
     * @return the task's settings
     * @throws ConfigException naming the key that does not fit the data
     * @throws GeoLightningException when the data has fewer than two classes
     */
    static TaskSettings resolve(RunConfig config, ChipDataModule data) {
        ModelSection m = config.model();
        Architecture arch = m.network();
        requireSameKind(arch, dataKind(data));
        List<String> classes = classes(data);
        int[] size = data.chipSize();
        Map<String, String> options = new LinkedHashMap<>();
        m.options().forEach((k, v) -> options.put(k, String.valueOf(v)));
        ModelSpec spec = new ModelSpec(arch, data.bandCount(), classes.size(), Math.min(size[0], size[1]), options);
        int ignore = m.ignoreIndex();
        if (data instanceof SatelliteDataModule s && s.metadata().ignoreValue() != null) {
            ignore = s.metadata().ignoreValue();
        } else if (ignore >= 0 && ignore < classes.size()) {
            throw new ConfigException("model.ignoreIndex " + ignore + ": that is a real class id (0.."
                    + (classes.size() - 1) + "); use 255, or -1 for none");
        }
        List<Double> weights = m.classWeights().isEmpty() ? null : m.classWeights();
        if (weights != null && weights.size() != classes.size()) {
            throw new ConfigException("model.classWeights has " + weights.size() + " values but the data has "
                    + classes.size() + " classes " + classes + "; give one weight per class");
        }
        OptimizerSettings opt = config.optimizer().settings(scheduleSteps(config, data));
        BandNormalization declared = m.normalization(data.bandCount());
        for (String key : m.classColors().keySet()) {
            if (TaskSettings.classValue(key, classes) < 0) {
                throw new ConfigException("model.classColors." + key + ": the data has no such class; its classes are "
                        + classes + " (values 0.." + (classes.size() - 1) + ")");
            }
        }
        BandNormalization stats = BandNormalization.of(data.bandStatistics());
        return new TaskSettings(spec, classes, declared != null ? declared : stats, weights, ignore, opt,
                m.classColors(), declared != null ? stats : null);
    }

    /** @return the optimisation steps the run will take: the schedule's length (the trainer's own count of them) */
    private static long scheduleSteps(RunConfig config, ChipDataModule data) {
        return config.trainer().config(config.seed()).steppingBatches(data.trainDataLoader().batchCount());
    }

    private static void requireSameKind(Architecture arch, LabelTask dataKind) {
        if (arch.kind() != dataKind) {
            throw new ConfigException("model.architecture " + arch.id() + " " + (arch.kind() == LabelTask.SEGMENTATION
                    ? "segments pixels" : "classifies chips") + " but the data is labelled for "
                    + dataKind.name().toLowerCase(Locale.ROOT) + "; use " + (dataKind == LabelTask.SEGMENTATION
                    ? "unet or unet_resnet18/34/50" : "cnn, resnet18, resnet34 or resnet50")
                    + " or tile the data in the other mode");
        }
    }

    /** @return the data's class names, two or more */
    private static List<String> classes(ChipDataModule data) {
        List<String> classes = data.classNames();
        if (classes.size() < 2) {
            String source = data instanceof SatelliteDataModule s ? s.config().store() + ": the chip store has "
                    : data instanceof ImageFolderDataModule f ? f.root() + ": the image folder has "
                    : "data: the data has ";
            String fix = data instanceof ImageFolderDataModule
                    ? "add a folder of images for each other class beside it (data.imageFolder/<class>/)"
                    : "tile labels of more classes (--classes, data.classes), or name a --background class"
                    + " (data.background) for the chips no polygon labels";
            throw new GeoLightningException(Kind.FAILURE, source + classes.size() + " class " + classes
                    + "; a model needs two or more: " + fix);
        }
        return classes;
    }

    private static LabelTask dataKind(ChipDataModule data) {
        if (data instanceof SatelliteDataModule s) {
            LabelTask task = s.metadata().task();
            if (task == LabelTask.NONE) {
                throw new ConfigException(s.config().store() + ": the chip store has no labels (task " + task.id()
                        + "); tile with --labels to train on it");
            }
            return task;
        }
        return LabelTask.CLASSIFICATION;
    }
}
