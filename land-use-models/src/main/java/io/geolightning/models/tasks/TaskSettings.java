package io.geolightning.models.tasks;

import io.geolightning.foundation.OneLine;
import io.geolightning.geo.ClassLegend;
import io.geolightning.models.nn.Architecture;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.data.ChipDataModule;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a land-use task needs, and everything a checkpoint must carry to be self-describing for prediction:
 * the network ({@link ModelSpec}), class names, the band normalisation of the training data, loss options and
 * optimizer settings. {@link #toMap()} is what {@code saveHyperparameters} stores.
 *
 * @param model the network
 * @param classNames one name per class (index = class value in the output raster)
 * @param normalization per-band mean/std the training chips were normalised with
 * @param classWeights one loss weight per class, or empty for equal weights
 * @param ignoreIndex label excluded from loss and metrics (255 by convention)
 * @param optimizer optimizer and learning-rate schedule
 * @param classColors colours of the classes ({@code #rrggbb} by class name; given by name or value) that predictions
 *     use for the palette, legend and QGIS style unless told otherwise; empty = the default palette
 * @param trainingStatistics the training chips' own band mean/std when {@code normalization} is another one (a run's
 *     {@code model.normalization}, pretrained weights' scaling), or null when it is them: what predict judges a
 *     raster's scale against ({@link #scaleReference()})
 */
public record TaskSettings(ModelSpec model, List<String> classNames, BandNormalization normalization,
                           List<Double> classWeights, int ignoreIndex, OptimizerSettings optimizer,
                           Map<String, String> classColors, BandNormalization trainingStatistics) {

    /** Default ignore label: 255, the nodata value of the uint8 label rasters. */
    public static final int DEFAULT_IGNORE_INDEX = 255;

    /** Fills defaults and checks that classes and bands agree. */
    public TaskSettings {
        if (model == null) {
            throw new ModelException("task settings: model spec is missing; pass a ModelSpec");
        }
        if (classNames == null || classNames.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < model.classes(); c++) {
                names.add("class " + c);
            }
            classNames = names;
        }
        if (classNames.size() != model.classes()) {
            throw new ModelException("task settings: " + classNames.size() + " class names " + classNames
                    + " for a model with " + model.classes() + " classes; pass one name per class");
        }
        classNames = List.copyOf(classNames);
        if (normalization == null) {
            normalization = BandNormalization.identity(model.bands());
        }
        if (normalization.bands() != model.bands()) {
            throw new ModelException("task settings: band statistics for " + normalization.bands()
                    + " bands but the model takes " + model.bands() + "; compute statistics on the same bands");
        }
        if (trainingStatistics != null && trainingStatistics.bands() != model.bands()) {
            throw new ModelException("task settings: training statistics for " + trainingStatistics.bands()
                    + " bands but the model takes " + model.bands() + "; compute statistics on the same bands");
        }
        classWeights = classWeights == null ? List.of() : List.copyOf(classWeights);
        if (!classWeights.isEmpty() && classWeights.size() != model.classes()) {
            throw new ModelException("task settings: " + classWeights.size() + " class weights for "
                    + model.classes() + " classes; pass one weight per class or none");
        }
        if (ignoreIndex >= 0 && ignoreIndex < model.classes()) {
            throw new ModelException("task settings: ignoreIndex " + ignoreIndex + " is a real class (0.."
                    + (model.classes() - 1) + "); use 255 or -1 for none");
        }
        if (optimizer == null) {
            optimizer = OptimizerSettings.defaults();
        }
        classColors = canonicalColors(classColors, classNames);
    }

    /**
     * Settings without class colours.
     *
     * @param model the network
     * @param classNames one name per class
     * @param normalization band normalisation
     * @param classWeights per-class loss weights
     * @param ignoreIndex ignored label
     * @param optimizer optimizer settings
     */
    public TaskSettings(ModelSpec model, List<String> classNames, BandNormalization normalization,
                        List<Double> classWeights, int ignoreIndex, OptimizerSettings optimizer) {
        this(model, classNames, normalization, classWeights, ignoreIndex, optimizer, null);
    }

    /**
     * Settings whose normalisation is the training chips' band statistics.
     *
     * @param model the network
     * @param classNames one name per class
     * @param normalization band normalisation
     * @param classWeights per-class loss weights
     * @param ignoreIndex ignored label
     * @param optimizer optimizer settings
     * @param classColors colours by class name or value
     */
    public TaskSettings(ModelSpec model, List<String> classNames, BandNormalization normalization,
                        List<Double> classWeights, int ignoreIndex, OptimizerSettings optimizer,
                        Map<String, String> classColors) {
        this(model, classNames, normalization, classWeights, ignoreIndex, optimizer, classColors, null);
    }

    /**
     * The class a user's key names, as colours, weights by name and the like are keyed: a class name, or a class
     * value written as a number.
     *
     * @param key a class name or value
     * @param classNames the classes (class {@code i} has value {@code i})
     * @return the class value, or -1 when the key names no class
     */
    public static int classValue(String key, List<String> classNames) {
        int c = classNames.indexOf(key);
        if (c < 0 && key.matches("\\d{1,5}") && Integer.parseInt(key) < classNames.size()) {
            c = Integer.parseInt(key);
        }
        return c;
    }

    /**
     * @param colors class colours by class name or value, any hex form {@link ClassLegend#parseHex} reads (or null)
     * @param classNames the classes
     * @return the colours as {@code #rrggbb} by class name, in the order given
     * @throws ModelException naming the key when it names no class or its colour is unreadable
     */
    public static Map<String, String> canonicalColors(Map<String, String> colors, List<String> classNames) {
        Map<String, String> out = new LinkedHashMap<>();
        if (colors == null) {
            return Map.of();
        }
        colors.forEach((key, value) -> {
            int c = classValue(key, classNames);
            if (c < 0) {
                throw new ModelException("class colour for '" + key + "': no such class; the classes are "
                        + classNames);
            }
            try {
                out.put(classNames.get(c), ClassLegend.hex(ClassLegend.parseHex(String.valueOf(value))));
            } catch (IllegalArgumentException e) {
                throw new ModelException("class colour for '" + key + "': " + e.getMessage());
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * @param model the network
     * @return settings with default names, identity normalisation, no weights, ignore 255, default optimizer
     */
    public static TaskSettings of(ModelSpec model) {
        return new TaskSettings(model, null, null, null, DEFAULT_IGNORE_INDEX, null, null);
    }

    /**
     * Settings for a network of {@code architecture} sized to a data module: bands, classes and chip size, class names
     * and the training split's band statistics all come from the data. Calls {@link ChipDataModule#prepareData()} first
     * (tiling once; skipped when the chip store is current).
     *
     * @param architecture the network family (a segmentation architecture needs a segmentation chip store)
     * @param data the data module the task will be trained on
     * @return settings with the default optimizer and ignore index
     */
    public static TaskSettings forData(Architecture architecture, ChipDataModule data) {
        data.prepareData();
        List<String> classes = data.classNames();
        ModelSpec spec = ModelSpec.of(architecture, data.bandCount(), classes.size(), data.chipSize()[0]);
        return of(spec).withClassNames(classes).withNormalization(BandNormalization.of(data.bandStatistics()));
    }

    /** @param names class names @return a copy with these class names */
    public TaskSettings withClassNames(List<String> names) {
        Map<String, String> kept = new LinkedHashMap<>(); // colours of the classes that keep their name
        classColors.forEach((name, hex) -> {
            if (names != null && names.contains(name)) {
                kept.put(name, hex);
            }
        });
        return new TaskSettings(model, names, normalization, classWeights, ignoreIndex, optimizer, kept,
                trainingStatistics);
    }

    /**
     * @param n band normalisation (one other than the data's band statistics must reach the data module's loaders
     *     too: {@code ChipDataModule.normalizeWith})
     * @return a copy with it
     */
    public TaskSettings withNormalization(BandNormalization n) {
        return new TaskSettings(model, classNames, n, classWeights, ignoreIndex, optimizer, classColors,
                trainingStatistics);
    }

    /**
     * @param stats the training chips' band statistics, when the normalisation is a declared one (null: it is them)
     * @return a copy with them
     */
    public TaskSettings withTrainingStatistics(BandNormalization stats) {
        return new TaskSettings(model, classNames, normalization, classWeights, ignoreIndex, optimizer, classColors,
                stats);
    }

    /** @return the band statistics of the data the model was trained on: what a raster's scale is judged against */
    public BandNormalization scaleReference() {
        return trainingStatistics != null ? trainingStatistics : normalization;
    }

    /** @param weights per-class loss weights @return a copy with them */
    public TaskSettings withClassWeights(List<Double> weights) {
        return new TaskSettings(model, classNames, normalization, weights, ignoreIndex, optimizer, classColors,
                trainingStatistics);
    }

    /** @param index ignored label @return a copy with it */
    public TaskSettings withIgnoreIndex(int index) {
        return new TaskSettings(model, classNames, normalization, classWeights, index, optimizer, classColors,
                trainingStatistics);
    }

    /** @param o optimizer settings @return a copy with them */
    public TaskSettings withOptimizer(OptimizerSettings o) {
        return new TaskSettings(model, classNames, normalization, classWeights, ignoreIndex, o, classColors,
                trainingStatistics);
    }

    /**
     * @param colors colours by class name or value ({@code #rrggbb}) for the class rasters' palette, legend and QGIS
     *     style
     * @return a copy with them
     */
    public TaskSettings withClassColors(Map<String, String> colors) {
        return new TaskSettings(model, classNames, normalization, classWeights, ignoreIndex, optimizer, colors,
                trainingStatistics);
    }

    /** @return the class weights as a float array, or null when all classes weigh 1 */
    public float[] classWeightArray() {
        if (classWeights.isEmpty()) {
            return null;
        }
        float[] w = new float[classWeights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = classWeights.get(i).floatValue();
        }
        return w;
    }

    /**
     * @return the hyperparameter map: model, classNames, normalization, classWeights, ignoreIndex, optimizer,
     *     classColors and trainingStatistics (each of those two when any)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toMap());
        m.put("classNames", classNames);
        m.put("normalization", normalization.toMap());
        m.put("classWeights", classWeights);
        m.put("ignoreIndex", ignoreIndex);
        m.put("optimizer", optimizer.toMap());
        if (!classColors.isEmpty()) {
            m.put("classColors", classColors);
        }
        if (trainingStatistics != null) {
            m.put("trainingStatistics", trainingStatistics.toMap());
        }
        return m;
    }

    /**
     * @param m hyperparameters written by {@link #toMap()} (e.g. read back from a checkpoint)
     * @return the settings
     * @throws ModelException naming the missing or malformed entry
     */
    @SuppressWarnings("unchecked")
    public static TaskSettings fromMap(Map<String, ?> m) {
        if (m == null || !(m.get("model") instanceof Map)) {
            throw new ModelException("checkpoint hyperparameters have no 'model' entry; it was not written by a "
                    + "GeoLightning land-use task, retrain or pass the matching checkpoint");
        }
        List<String> names = new ArrayList<>();
        if (m.get("classNames") instanceof List<?> l) {
            l.forEach(v -> names.add(String.valueOf(v)));
        }
        List<Double> weights = new ArrayList<>();
        if (m.get("classWeights") instanceof List<?> l) {
            for (Object v : l) {
                if (!(v instanceof Number n)) {
                    throw new ModelException("checkpoint hyperparameters: class weight " + v
                            + " is not a number; write numbers");
                }
                weights.add(n.doubleValue());
            }
        }
        Object ignore = m.get("ignoreIndex");
        Object norm = m.get("normalization");
        Object opt = m.get("optimizer");
        BandNormalization normalization;
        BandNormalization stats;
        try {
            normalization = norm instanceof Map ? BandNormalization.fromMap((Map<String, ?>) norm) : null;
            stats = m.get("trainingStatistics") instanceof Map<?, ?> t
                    ? BandNormalization.fromMap((Map<String, ?>) t) : null;
        } catch (TilingException e) {
            throw new ModelException(e.getMessage(), e);
        }
        return new TaskSettings(ModelSpec.fromMap((Map<String, ?>) m.get("model")), names, normalization, weights,
                ignore instanceof Number n ? n.intValue() : DEFAULT_IGNORE_INDEX,
                opt instanceof Map ? OptimizerSettings.fromMap((Map<String, ?>) opt) : null,
                colors(m.get("classColors")), stats);
    }

    private static Map<String, String> colors(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> map) {
            map.forEach((k, c) -> out.put(String.valueOf(k), String.valueOf(c)));
        }
        return out;
    }

    /**
     * The task settings a checkpoint's hyperparameters hold.
     *
     * @param checkpoint the file (for messages)
     * @param meta its metadata
     * @return the settings
     * @throws ModelException when they are missing (not written by a land-use task) or invalid (inconsistent)
     */
    public static TaskSettings ofCheckpoint(Path checkpoint, CheckpointMeta meta) {
        Map<String, Object> hp = meta.hyperparameters();
        if (hp == null || !(hp.get("model") instanceof Map)) {
            throw new ModelException(checkpoint + ": not written by a land-use task (its hyperparameters have no"
                    + " 'model'); pass a .ckpt written by 'geolightning train' or LandUseTask");
        }
        try {
            return fromMap(hp);
        } catch (RuntimeException e) {
            throw new ModelException(checkpoint + ": checkpoint is inconsistent: its hyperparameters are invalid ("
                    + (e instanceof ModelException ? "" : e.getClass().getSimpleName() + ": ")
                    + OneLine.of(e.getMessage())
                    + "); pass an intact .ckpt written by 'geolightning train'", e);
        }
    }
}
