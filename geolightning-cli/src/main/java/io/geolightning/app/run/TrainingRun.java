package io.geolightning.app.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.geolightning.app.config.CallbacksSection;
import io.geolightning.app.config.CheckpointSection;
import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.EarlyStoppingSection;
import io.geolightning.app.config.RunConfig;
import io.geolightning.app.config.RunConfigLoader;
import io.geolightning.app.config.TrainerSection;
import io.geolightning.app.data.DataModuleFactory;
import io.geolightning.app.report.Numbers;
import io.geolightning.app.report.RunFolder;
import io.geolightning.app.report.RunReport;
import io.geolightning.app.report.RunSummary;
import io.geolightning.models.callbacks.ImagePredictionLogger;
import io.geolightning.models.metrics.ConfusionMatrix;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.models.weights.PretrainedWeights;
import io.geolightning.models.weights.WeightLoadReport;
import io.geolightning.tiling.data.ChipDataModule;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipStoreLayout;
import io.geolightning.trainer.Seeding;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.BackboneFinetuning;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.LearningRateMonitor;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.loggers.TensorBoardLogger;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code geolightning train} run: resolves the configuration into a data module, a land-use task (its settings
 * from the configuration and the data: {@link TaskSettingsFromData}) and a trainer,
 * creates the run folder ({@link RunFolder}), trains, evaluates the best checkpoint on the test split (the
 * validation split when there is no test split) and writes {@code report.html}. Progress lines go to the given
 * writer; libraries log through SLF4J.
 */
public final class TrainingRun {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RunConfig config;
    private final PrintWriter out;

    /**
     * @param config the resolved configuration
     * @param out where progress lines go
     */
    public TrainingRun(RunConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** The final evaluation: metrics, confusion matrix and what they were computed on. */
    private record Evaluation(Map<String, Double> metrics, ConfusionMatrix matrix, String on) {
        static final Evaluation NONE = new Evaluation(Map.of(), null, null);
    }

    /** @return what the run produced */
    public TrainingResult run() {
        validate();
        Path root = Path.of(config.runs());
        DataModuleFactory.requireStores(config.data());
        ChipDataModule data = DataModuleFactory.create(config.data(), root.resolve(config.name()).resolve("chips"),
                config.seed());
        data.prepareData();
        data.setup(io.geolightning.trainer.Stage.FIT);
        TaskSettings settings = TaskSettingsFromData.resolve(config, data);
        // a declared model.normalization (the checkpoint's, which predict applies) is what training feeds too
        data.normalizeWith(settings.trainingStatistics() != null ? settings.normalization() : null);
        if (config.trainer().ckptPath() != null && !config.trainer().ckptPath().isBlank()) {
            ResumeCheck.requireSameNetwork(config.trainer().ckptPath(), settings);
            ResumeCheck.requireSameBatchSize(config.trainer().ckptPath(), config.data().batchSize());
            ResumeCheck.requireSameOrder(config.trainer().ckptPath(), data.trainDataLoader().order(),
                    config.data().seed() != null);
            settings = ResumeCheck.keepSchedule(config.trainer().ckptPath(), settings, config.trainer().maxEpochs(),
                    out);
        }
        boolean hasVal = data.hasSamples(Split.VAL);
        if (config.callbacks().earlyStopping().enabled() && !hasVal
                && config.callbacks().earlyStopping().monitor().startsWith("val_")) {
            throw new ConfigException("callbacks.earlyStopping monitors " + config.callbacks().earlyStopping()
                    .monitor() + " but the data has no validation split; set data.val > 0 or disable early stopping");
        }
        CallbackChecks.require(config.callbacks(), settings.classNames(), hasVal, data.bandCount(),
                () -> ValidationClasses.of(data));
        Seeding.seedEverything(config.seed()); // the task draws its initial weights when it is built
        try (LandUseTask task = LandUseTask.create(settings)) {
            return fit(data, settings, hasVal, task, loadWeights(task));
        }
    }

    /**
     * Loads {@code model.weights} into the task's network, before the run folder is made, so that weights that do not
     * fit leave nothing behind.
     */
    private WeightLoadReport loadWeights(LandUseTask task) {
        if (config.model().weights() == null || config.model().weights().isBlank()) {
            return null;
        }
        return PretrainedWeights.load(task.getBlock(), Path.of(config.model().weights()),
                config.model().weightsPrefix());
    }

    private TrainingResult fit(ChipDataModule data, TaskSettings settings, boolean hasVal, LandUseTask task,
                               WeightLoadReport weights) {
        Path root = Path.of(config.runs());
        CsvLogger csv = new CsvLogger(root, config.name());
        TensorBoardLogger tb = new TensorBoardLogger(root, config.name(), csv.version());
        RunFolder folder = new RunFolder(csv.logDir());
        folder.sweepSiblings();
        folder.create();
        String yaml = RunConfigLoader.toYaml(config);
        folder.writeString(folder.config(), yaml);
        Map<String, Object> dataFacts = dataFacts(data, settings, folder);
        out.printf(Locale.ROOT, "run folder %s%n", folder.dir());
        out.printf(Locale.ROOT, "data: %s%s%n", dataFacts.get("chips"), howRead(data));
        out.printf(Locale.ROOT, "model: %s, %d bands, %d classes %s, chip %d px%n",
                settings.model().architecture().id(), settings.model().bands(), settings.model().classes(),
                settings.classNames(), settings.model().chipSize());
        out.flush();

        ModelCheckpoint checkpoint = checkpoint(config.callbacks(), folder, hasVal);
        EarlyStopping early = earlyStopping();
        EpochPrinter printer = new EpochPrinter(out, config.trainer().maxEpochs());
        List<Callback> callbacks = new ArrayList<>(List.of(checkpoint));
        if (early != null) {
            callbacks.add(early);
        }
        if (config.callbacks().unfreezeBackboneAtEpoch() != null) {
            callbacks.add(new BackboneFinetuning(config.callbacks().unfreezeBackboneAtEpoch()));
        }
        if (config.callbacks().lrMonitor()) {
            callbacks.add(new LearningRateMonitor());
        }
        if (hasVal && config.callbacks().imagePredictions() > 0) {
            callbacks.add(new ImagePredictionLogger(data.valDataLoader(), config.callbacks().imagePredictions(),
                    config.callbacks().imageBands(), folder.predictions()));
        }
        callbacks.add(printer); // last: it sees early stopping's decision of the epoch

        long t0 = System.nanoTime();
        double seconds;
        Evaluation evaluation;
        try (Trainer trainer = trainer(config.trainer(), folder, callbacks, csv, tb, hasVal)) {
            if (weights != null) {
                out.printf(Locale.ROOT, "weights: %s%n", weights.summary());
            }
            trainer.fit(task, data);
            seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "trained %d epoch(s) in %.1f s%n", printer.epochs(), seconds);
            String resumed = config.trainer().ckptPath();
            if (printer.epochs() == 0 && resumed != null && !resumed.isBlank()) {
                out.printf(Locale.ROOT, "nothing to train: %s already reached trainer.maxEpochs (%d) or"
                        + " trainer.maxSteps; raise them to train further%n", resumed, config.trainer().maxEpochs());
            }
            evaluation = evaluate(trainer, task, best(checkpoint), data, folder);
        } finally {
            csv.close();
            tb.close();
        }
        Path best = best(checkpoint);
        Path last = checkpoint.lastModelPath();
        if (evaluation.matrix() != null) {
            out.printf(Locale.ROOT, "evaluation on the %s:%n%s", evaluation.on(),
                    evaluation.matrix().toTable(settings.classNames()));
        }
        RunSummary summary = new RunSummary(config.name() + " / " + folder.dir().getFileName(), yaml, dataFacts,
                settings.classNames(), evaluation.matrix() == null ? null : evaluation.matrix().counts(),
                evaluation.on(), evaluation.metrics(), best == null ? null : relative(folder, best),
                last == null ? null : relative(folder, last), printer.epochs(), seconds,
                early == null ? null : early.stopReason());
        Path report = RunReport.write(folder, summary);
        writeEvaluationJson(folder, settings, evaluation, best, printer.epochs(), seconds);
        out.println(best != null ? "best checkpoint " + best : noCheckpoint(checkpoint, printer.epochs()));
        out.printf(Locale.ROOT, "report %s%n", report);
        out.flush();
        return new TrainingResult(folder, best, last, evaluation.metrics(), evaluation.on(), printer.epochs(),
                seconds);
    }

    /** @return a checkpoint's path from the run folder (an earlier run's, after a resume, is ../../version_N/...) */
    private static String relative(RunFolder folder, Path file) {
        return folder.dir().toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
    }

    /**
     * @return why the run evaluated no checkpoint file: a checkpoint it saved was deleted while it ran, it trained no
     *     epoch (a resume that had nothing left to train), or callbacks.checkpoint saves none
     */
    private String noCheckpoint(ModelCheckpoint checkpoint, int epochs) {
        Path gone = checkpoint.bestModelPath() != null ? checkpoint.bestModelPath() : checkpoint.lastModelPath();
        if (gone != null) {
            return "no checkpoint evaluated: " + gone + ", which this run saved, no longer exists (deleted while it"
                    + " ran): the weights in memory were evaluated";
        }
        String resumed = config.trainer().ckptPath();
        if (epochs == 0) {
            return "no checkpoint saved: the run trained no epoch; the weights "
                    + (resumed == null || resumed.isBlank() ? "in memory" : "of " + resumed) + " were evaluated";
        }
        CheckpointSection c = config.callbacks().checkpoint();
        return c.saveTopK() == 0 && !c.saveLast() ? "no checkpoint saved (callbacks.checkpoint.saveTopK 0 and saveLast"
                + " false): the weights in memory were evaluated" : "no checkpoint saved: the weights in memory were"
                + " evaluated";
    }

    private static Path best(ModelCheckpoint checkpoint) {
        Path best = checkpoint.bestModelPath() != null ? checkpoint.bestModelPath() : checkpoint.lastModelPath();
        return best != null && Files.exists(best) ? best : null;
    }

    /**
     * Scores the best checkpoint (the in-memory weights when none was saved) on the test split, else the validation
     * split, with the trainer that fitted it, as Lightning's {@code trainer.test(ckpt_path="best")}: its loggers write
     * the figures at the run's last global step with the epoch count as their epoch (one past the last epoch
     * trained), and {@code trainer.limitTestBatches} (or {@code limitValBatches}) applies.
     */
    private static Evaluation evaluate(Trainer trainer, LandUseTask trained, Path best, ChipDataModule data,
                                       RunFolder folder) {
        boolean test = data.hasSamples(Split.TEST);
        if (!test && !data.hasSamples(Split.VAL)) {
            return Evaluation.NONE;
        }
        try (LandUseTask loaded = best != null ? LandUseTask.load(best) : null) {
            LandUseTask t = loaded != null ? loaded : trained;
            Map<String, Double> m = test ? trainer.test(t, data) : trainer.validate(t, data);
            return new Evaluation(m, test ? t.testMatrix() : t.validationMatrix(),
                    (test ? "test split" : "validation split") + ", "
                            + (loaded != null ? relative(folder, best) : "last weights"));
        }
    }

    private void writeEvaluationJson(RunFolder folder, TaskSettings settings, Evaluation e, Path best, int epochs,
                                     double seconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("evaluatedOn", e.on());
        json.put("checkpoint", best == null ? null : best.toAbsolutePath().toString());
        json.put("epochs", epochs);
        json.put("seconds", seconds);
        json.put("classNames", settings.classNames());
        json.put("metrics", e.metrics());
        json.put("confusionMatrix", e.matrix() == null ? null : e.matrix().counts());
        folder.write(folder.evaluationJson(), os -> JSON.writeValue(os, json));
    }

    private EarlyStopping earlyStopping() {
        EarlyStoppingSection e = config.callbacks().earlyStopping();
        if (!e.enabled()) {
            return null;
        }
        return EarlyStopping.builder(e.monitor()).patience(e.patience()).minDelta(e.minDelta())
                .mode(e.monitorMode()).build();
    }

    /**
     * Checks what binding could not: the checkpoint to resume from exists, a device count names devices the engine has.
     * Every other key was checked when the configuration was read.
     */
    private void validate() {
        TrainerSection t = config.trainer();
        t.deviceList();
        t.requireAvailable();
        if (t.ckptPath() != null && !t.ckptPath().isBlank() && !Files.isRegularFile(Path.of(t.ckptPath()))) {
            throw new ConfigException("trainer.ckptPath " + t.ckptPath() + ": no such checkpoint; pass an existing"
                    + " .ckpt to resume from or remove the key");
        }
    }

    /** @return "  (N chip stores, streamed)" and the like when the data is not one store read into memory, else "" */
    private static String howRead(ChipDataModule data) {
        if (!(data instanceof SatelliteDataModule s)) {
            return "";
        }
        int stores = s.config().stores().size();
        boolean streamed = s.streams(Split.TRAIN);
        if (stores == 1 && !streamed) {
            return "";
        }
        return "  (" + (stores > 1 ? stores + " chip stores, " : "") + (streamed ? "streamed" : "in memory") + ")";
    }

    private Map<String, Object> dataFacts(ChipDataModule data, TaskSettings settings, RunFolder folder) {
        Map<String, Object> facts = new LinkedHashMap<>();
        StringBuilder chips = new StringBuilder();
        for (Split s : List.of(Split.TRAIN, Split.VAL, Split.TEST)) {
            chips.append(chips.length() == 0 ? "" : ", ").append(s.id()).append(' ').append(data.sampleCount(s));
        }
        BandStatistics stats = data.bandStatistics();
        if (data instanceof SatelliteDataModule s) {
            List<Path> stores = s.config().stores();
            facts.put("source", (stores.size() == 1 ? "chip store " : stores.size() + " chip stores ")
                    + String.join(", ", stores.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList())
                    + (s.streams(Split.TRAIN) ? " (streamed)" : ""));
            Path sidecar = new ChipStoreLayout(s.config().store()).sidecar();
            if (Files.exists(sidecar)) {
                folder.copy(sidecar, folder.chipsJson());
            }
        } else if (data instanceof ImageFolderDataModule f) {
            facts.put("source", "image folder " + f.classNames().size() + " classes");
        }
        facts.put("task", settings.model().kind().name().toLowerCase(Locale.ROOT));
        facts.put("classes", settings.classNames());
        facts.put("chips", chips.toString());
        facts.put("bands", data.bandCount());
        facts.put("chip size", data.chipSize()[0] + " x " + data.chipSize()[1]);
        facts.put("band mean (train)", Numbers.nums(stats.mean()));
        facts.put("band std (train)", Numbers.nums(stats.std()));
        if (!(data instanceof SatelliteDataModule)) {
            Map<String, Object> json = new LinkedHashMap<>(facts);
            json.put("bandStatistics", stats);
            folder.write(folder.statsJson(), os -> JSON.writeValue(os, json));
        }
        return facts;
    }

    private static ModelCheckpoint checkpoint(CallbacksSection c, RunFolder folder, boolean hasVal) {
        String monitor = c.checkpoint().monitor();
        String filename = c.checkpoint().filename();
        if (monitor.isBlank() || (!hasVal && monitor.startsWith("val_"))) {
            monitor = null;
            if (filename.contains("{val_")) {
                filename = "epoch={epoch}-step={step}";
            }
        }
        return ModelCheckpoint.builder().dirpath(folder.checkpoints()).monitor(monitor)
                .mode(c.checkpoint().monitorMode()).saveTopK(c.checkpoint().saveTopK())
                .saveLast(c.checkpoint().saveLast()).filename(filename)
                .autoInsertMetricName(c.checkpoint().autoInsertMetricName()).build();
    }

    private Trainer trainer(TrainerSection t, RunFolder folder, List<Callback> callbacks, CsvLogger csv,
                            TensorBoardLogger tb, boolean hasVal) {
        return t.applyTo(Trainer.builder())
                .numSanityValSteps(hasVal ? t.numSanityValSteps() : 0)
                .seed(config.seed())
                .defaultRootDir(folder.dir())
                .callbacks(callbacks.toArray(new Callback[0]))
                .loggers(csv, tb)
                .enableProgressBar(System.console() != null)
                .build();
    }
}
