package io.geolightning.app.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.geolightning.app.report.Numbers;
import io.geolightning.foundation.ExitCodes;
import io.geolightning.foundation.Progress;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.VectorLayerPath;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.labels.RasterLabelSource;
import io.geolightning.models.metrics.ConfusionMatrix;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.predict.ClassScores;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.predict.ModelSignature;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.models.predict.TestTimeAugmentation;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.torchscript.ModelFiles;
import io.geolightning.tiling.data.ChipBatches;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code geolightning evaluate}: scores a checkpoint on a split of a chip store, on a folder of labelled images or on a
 * raster with its labels (normalised with the checkpoint's own statistics) and prints the metrics and the confusion
 * matrix.
 */
@Command(name = "evaluate", aliases = {"validate", "test"}, description = "Score a checkpoint or TorchScript model on"
        + " a chip store split (--chips), a folder of images in class folders (--images) or a raster with its labels"
        + " (--raster, --labels): metrics + confusion matrix (LightningCLI's names: 'validate' scores the val split"
        + " and 'test' the test split unless --split says otherwise).")
final class EvaluateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    @Option(names = "--checkpoint", required = true, paramLabel = "MODEL", description = "Checkpoint (.ckpt), or a"
            + " TorchScript model (.pt) with its model card.")
    Path checkpoint;

    @Option(names = "--model-card", paramLabel = "JSON", description = "The card of a TorchScript --checkpoint."
            + " Default: <model>.json, else model.json, beside it.")
    Path modelCard;

    @Option(names = "--chips", paramLabel = "STORE", description = "Chip store from 'tile' (one of --chips, --images,"
            + " --raster).")
    Path chips;

    @Option(names = "--images", paramLabel = "FOLDER", description = "A folder of class folders of images (e.g. AID):"
            + " every image is scored, its folder naming its class.")
    Path images;

    @Option(names = "--raster", paramLabel = "RASTER", description = "A raster to score on --labels: cut into chips of"
            + " the model's size (stride = chip size), every chip scored.")
    Path raster;

    @Option(names = "--labels", paramLabel = "VECTOR", description = "With --raster: labelled polygons or a label"
            + " raster, named by --label-field; their classes must be the model's.")
    Path labels;

    @Option(names = "--layer", paramLabel = "LAYER", description = "With --raster: the layer of --labels (default:"
            + " the first), as tile --layer.")
    String layer;

    @Option(names = "--label-field", paramLabel = "FIELD", description = "With --raster: the attribute holding the"
            + " class (optional for segmentation labels without one).")
    String labelField;

    @Option(names = "--ignore-value", paramLabel = "N", description = "With --raster: label value whose pixels or"
            + " polygons are not scored (as tile --ignore-value, e.g. 255), nor are polygons with an empty label"
            + " field.")
    Integer ignoreValue;

    @Option(names = "--unknown", defaultValue = "error", paramLabel = "error|ignore", description = "With --raster:"
            + " labels of a class the model does not know are an error, or ignored. Default: ${DEFAULT-VALUE}.")
    String unknown;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
            description = "train, val or test. Default: ${DEFAULT-VALUE} (val when run as 'validate').")
    String split;

    @Option(names = "--tta", description = "Test-time augmentation, as predict --tta: score each chip's probabilities"
            + " averaged over its 8 flips and quarter turns (8 times the compute; accuracy, mIoU and F1, no loss).")
    boolean tta;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--scene-window", paramLabel = "PIXELS", description = "With --chips, for a segmenter: score the"
            + " split's chips on predictions of their whole scenes, made as predict makes them in windows of PIXELS"
            + " (0 = the chip size; automatic overlap, tapered blending), so pixels near a chip's border see the"
            + " imagery around it. Default: each chip on its own.")
    Integer sceneWindow;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        OptionChecks checks = new OptionChecks(spec).atLeast("--batch-size", batchSize, 1, "32");
        if (!spec.commandLine().getParseResult().hasMatchedOption("--split") && spec.commandLine().getParent() != null
                && spec.commandLine().getParent().getParseResult().originalArgs().stream()
                .filter(a -> !a.startsWith("-")).findFirst().orElse("").equals("validate")) { // the name it ran as
            split = "val";
        }
        Split s = checks.choice("--split", split, Map.of("train", Split.TRAIN, "val", Split.VAL, "validation",
                Split.VAL, "test", Split.TEST), "train, val or test");
        if (!Files.isRegularFile(checkpoint)) {
            throw new CliException(checkpoint + ": checkpoint file not found; pass a .ckpt from a run's checkpoints/"
                    + " folder");
        }
        if (modelCard != null && !Files.isRegularFile(modelCard)) {
            throw new CliException(modelCard + ": model card file not found; pass the JSON card of the TorchScript"
                    + " model");
        }
        int sources = (chips != null ? 1 : 0) + (images != null ? 1 : 0) + (raster != null ? 1 : 0);
        if (sources != 1) {
            throw checks.usage(sources == 0 ? "pass what to score: --chips STORE, --images FOLDER or --raster RASTER"
                    + " --labels VECTOR" : "--chips, --images and --raster: pass one of them");
        }
        boolean ignoreUnknown = checks.choice("--unknown", unknown, Map.of("error", false, "ignore", true),
                "error or ignore");
        ParseResult parsed = spec.commandLine().getParseResult();
        String labelOption = Stream.of("--labels", "--layer", "--label-field", "--ignore-value", "--unknown")
                .filter(parsed::hasMatchedOption).findFirst().orElse(null);
        if (labelOption != null && raster == null) {
            throw checks.usage(labelOption + " goes with --raster; pass the raster the labels describe");
        }
        if (ignoreValue != null && (ignoreValue < 0 || ignoreValue > 255)) {
            throw checks.usage("--ignore-value " + ignoreValue + ": must be a mask value from 0 to 255, e.g. 255");
        }
        if (chips == null && spec.commandLine().getParseResult().hasMatchedOption("--split")) {
            throw checks.usage("--split " + split + ": splits are a chip store's; --images and --raster score every"
                    + " image or chip");
        }
        if (sceneWindow != null && chips == null) {
            throw checks.usage("--scene-window goes with --chips; pass the chip store whose split to score");
        }
        if (sceneWindow != null && sceneWindow < 0) {
            throw checks.usage("--scene-window " + sceneWindow + ": must be at least 0 (0 = the chip size), e.g. 256");
        }
        if (raster != null && labels == null) {
            throw checks.usage("--raster " + raster + ": pass --labels VECTOR (and --label-field FIELD) to score it");
        }
        if (labels != null) { // QGIS's "file.gpkg|layername=x", as a layer's source is copied there
            VectorLayerPath l = VectorLayerPath.parse(labels.toString(), layer, "--layer");
            labels = Path.of(l.file().text());
            layer = l.layer();
        }
        try (InferenceModel model = ModelFiles.open(checkpoint, modelCard)) {
            if (images != null) {
                return report(w, model, EvaluationSources.imageFolder(images, model, batchSize), images + " (class"
                        + " folders, ", null);
            }
            if (raster != null) {
                requireLabelField(model, checks);
                try (EvaluationSources.TiledRaster tiled = EvaluationSources.tile(raster, labels, layer,
                        labelField, ignoreValue, ignoreUnknown, model)) {
                    chips = tiled.store();
                    SatelliteDataModule data = storeData(model);
                    data.setup(Stage.FIT);
                    return report(w, model, data.trainDataLoader(), raster.getFileName() + " on "
                            + labels.getFileName() + " (", data.metadata().maskIgnoreValue());
                }
            }
            SatelliteDataModule data = storeData(model);
            ChipStoreMetadata m = data.metadata();
            if (m.rows(s.id()) == 0) {
                throw new CliException(chips + ": the " + s.id() + " split holds no chip (splits: " + m.rowCounts()
                        + "); pass another --split");
            }
            if (sceneWindow != null) {
                return reportScenes(w, model, s, m);
            }
            data.setup(s == Split.TEST ? Stage.TEST : Stage.FIT);
            ChipBatches loader = switch (s) {
                case TRAIN -> data.trainDataLoader(); // the loader config above neither shuffles nor augments
                case VAL -> data.valDataLoader();
                case TEST -> data.testDataLoader();
                case PREDICT -> throw new IllegalStateException();
            };
            return report(w, model, loader, chips + " (" + s.id() + " split, ", m.maskIgnoreValue());
        }
    }

    /**
     * A classifier scored on polygons needs the field naming their classes, as {@code tile} does: without one every
     * polygon would be labelled the model's class 1. A label raster's values are its classes.
     */
    private void requireLabelField(InferenceModel model, OptionChecks checks) {
        GdalPath path = GdalPath.of(labels.toString());
        if (model.signature().kind() == LabelTask.CLASSIFICATION && (labelField == null || labelField.isBlank())
                && (path.isVirtual() || Files.exists(path.local())) && !RasterLabelSource.isRaster(path)) {
            throw checks.usage("--label-field is not set: " + checkpoint.getFileName() + " classifies chips, which"
                    + " needs the attribute that holds each polygon's class (classes " + model.classNames()
                    + "); pass --label-field FIELD");
        }
    }

    private SatelliteDataModule storeData(InferenceModel model) {
        SatelliteDataModule data = new SatelliteDataModule(SatelliteDataModule.Config.store(chips,
                LoaderConfig.builder().batchSize(batchSize).build()).withStatistics(
                EvaluationSources.statistics(model.normalization())));
        check(data.metadata(), model.signature(), model.classNames());
        return data;
    }

    /** Scores the model on the loader and prints the metrics and the confusion matrix. */
    private int report(PrintWriter w, InferenceModel model, ChipBatches loader, String what, Integer ignore) {
        // ignore: the store's mask value of ignored pixels (null for image folders, whose labels are all classes)
        ModelSignature sig = model.signature();
        Map<String, Double> metrics;
        ConfusionMatrix cm;
        Progress progress = new Progress(LOG, "evaluating " + checkpoint.getFileName(), "chips", loader.size());
        if (model instanceof TaskInferenceModel t && !tta) { // the task's own test step: loss and metrics as in training
            Callback counter = new Callback() {
                @Override
                public void onTestBatchEnd(Trainer trainer, LightningModule module, Batch batch, int batchIdx) {
                    progress.add(batch.getSize());
                }
            };
            // masks whose ignore value is not the model's (another --ignore-value): the loss and matrix skip theirs
            LandUseTask task = ignore == null ? t.task() : t.task().withIgnoreIndex(ignore);
            try (Trainer trainer = Trainer.builder().maxEpochs(1).enableProgressBar(false).numSanityValSteps(0)
                    .callbacks(counter).defaultRootDir(Path.of(".")).build()) {
                metrics = trainer.test(task, loader);
                cm = task.testMatrix();
            } finally {
                if (task != t.task()) {
                    task.close();
                }
            }
        } else {
            cm = new ConfusionMatrix(sig.classes(), ignore == null ? ConfusionMatrix.NO_IGNORE : ignore);
            metrics = score(tta ? TestTimeAugmentation.of(model) : model, loader, cm, progress);
        }
        progress.finish();
        return print(w, model, what, loader.size(), metrics, cm);
    }

    /** {@code --scene-window}: the split's chips scored on whole-scene predictions ({@link SceneEvaluation}). */
    private int reportScenes(PrintWriter w, InferenceModel model, Split s, ChipStoreMetadata m) {
        if (model.signature().kind() != LabelTask.SEGMENTATION) {
            throw new OptionChecks(spec).usage("--scene-window scores a segmenter's chips on whole-scene"
                    + " predictions; " + checkpoint.getFileName() + " is a classifier (drop --scene-window)");
        }
        ConfusionMatrix cm = new ConfusionMatrix(model.signature().classes(), m.maskIgnoreValue());
        Progress progress = new Progress(LOG, "evaluating " + checkpoint.getFileName() + " on whole scenes", "chips",
                m.rows(s.id()));
        int n = SceneEvaluation.score(model, chips, s, SceneEvaluation.options(sceneWindow, batchSize, tta), cm,
                progress);
        progress.finish();
        return print(w, model, chips + " (" + s.id() + " split, on whole-scene predictions in windows of "
                + (sceneWindow == 0 ? model.signature().chipSize() : sceneWindow) + " px, ", n, metrics(cm), cm);
    }

    private int print(PrintWriter w, InferenceModel model, String what, long chipCount, Map<String, Double> metrics,
                      ConfusionMatrix cm) {
        w.printf(Locale.ROOT, "%s%s on %s%d %s)%n", checkpoint.getFileName(), tta ? " with 8-fold test-time"
                + " augmentation" : "", what, chipCount, images != null ? "images" : "chips");
        Table t = new Table(w, 22);
        metrics.forEach((k, v) -> t.row(k.replaceFirst("^test_", ""), Numbers.num(v)));
        w.println();
        w.print(cm.toTable(model.classNames()));
        w.flush();
        return ExitCodes.OK;
    }

    /**
     * Runs an {@link InferenceModel} (a TorchScript model, or any model under test-time augmentation) over the
     * loader: accuracy, mean IoU and macro F1.
     */
    private static Map<String, Double> score(InferenceModel model, ChipBatches loader, ConfusionMatrix cm,
                                             Progress progress) {
        boolean perPixel = model.signature().kind() == LabelTask.SEGMENTATION;
        int classes = model.signature().classes();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch b : loader.getData(manager)) {
                try (b) {
                    NDArray x = b.getData().head();
                    Shape shape = x.getShape();
                    int n = (int) shape.get(0);
                    int h = (int) shape.get(2);
                    int wd = (int) shape.get(3);
                    float[] p = model.probabilities(x.toFloatArray(), n, h, wd);
                    int[] truth = b.getLabels().head().toType(DataType.INT32, false).toIntArray();
                    cm.add(truth, ClassScores.argmax(p, n, classes, perPixel ? h * wd : 1));
                    progress.add(n);
                }
            }
        }
        return metrics(cm);
    }

    /** @return accuracy, mean IoU and macro F1 of a confusion matrix */
    private static Map<String, Double> metrics(ConfusionMatrix cm) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("acc", cm.accuracy());
        metrics.put("miou", cm.meanIoU());
        metrics.put("f1", cm.macroF1());
        return metrics;
    }

    private void check(ChipStoreMetadata m, ModelSignature spec, List<String> classes) {
        if (m.bands() != spec.bands()) {
            throw new CliException(chips + ": chips have " + m.bands() + " bands but " + checkpoint.getFileName()
                    + " expects " + spec.bands() + "; evaluate on chips tiled from the same kind of imagery");
        }
        if (m.classNames() == null || !m.classNames().equals(classes)) {
            throw new CliException(chips + ": classes " + m.classNames() + " differ from " + checkpoint.getFileName()
                    + "'s " + classes + "; tile with the same labels (--classes " + String.join(",", classes) + ")");
        }
        String kind = spec.kind().id();
        if (spec.kind() != m.task()) {
            throw new CliException(chips + ": chips are labelled for " + m.task().id() + " but "
                    + checkpoint.getFileName() + " is a " + kind + " model; tile in " + kind + " mode");
        }
        if (m.chipWidth() != spec.chipSize() || m.chipHeight() != spec.chipSize()) {
            String sizes = chips + ": chips are " + m.chipWidth() + " x " + m.chipHeight() + " pixels but "
                    + checkpoint.getFileName() + " was trained on " + spec.chipSize() + "-pixel chips";
            if (spec.kind() == LabelTask.CLASSIFICATION) {
                throw new CliException(sizes + ", so the scores would not describe it; tile with --chip "
                        + spec.chipSize() + " to evaluate it");
            }
            PrintWriter err = this.spec.commandLine().getErr();
            err.println("warning: " + sizes + "; scores of a segmenter on other chip sizes may differ from those on"
                    + " its own (tile with --chip " + spec.chipSize() + " to compare like with like)");
            err.flush();
        }
    }

}
