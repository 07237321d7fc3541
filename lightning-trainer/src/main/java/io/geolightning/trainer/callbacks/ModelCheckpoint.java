package io.geolightning.trainer.callbacks;

import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.TrainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves checkpoints like Lightning's {@code ModelCheckpoint}: after every epoch (every {@code everyNEpochs}) it writes
 * {@code <dirpath>/<filename>.ckpt} when the monitored metric ranks among the {@code saveTopK} best, deleting the
 * checkpoint that dropped out, so exactly the top-K files (plus {@code last.ckpt} with {@code saveLast}) remain.
 * Without a monitor the K most recent are kept. Files are written atomically. When an epoch validates more than once
 * ({@code valCheckInterval} below one epoch) it saves after every validation instead, the epoch's last included, and
 * not at the epoch's end (Lightning's {@code save_on_train_epoch_end} false); a mid-epoch checkpoint resumes inside
 * its epoch, and the default name, with its epoch and step, tells an epoch's validations apart.
 *
 * <p>Deleting is confined: the callback only ever deletes a checkpoint that it wrote itself, in this process, inside
 * its own folder. The ranking restored from a checkpoint ({@code ckptPath}) is advisory: its entries are reduced to
 * file names, found beside the checkpoint resumed from (the earlier run's folder) or else in this run's folder, and
 * keep their scores for ranking, so the best checkpoint of a resumed run may be one the earlier run wrote; a restored
 * file that drops out of the top K is left on disk (never deleted), so resuming can never remove an earlier run's
 * checkpoint, the checkpoint being resumed from, or any other file named by a crafted checkpoint.
 *
 * <p>The filename template substitutes {@code {epoch}}, {@code {step}} and any metric, optionally formatted
 * ({@link CheckpointFilename}): {@code "epoch={epoch}-val_loss={val_loss:.4f}"} gives
 * {@code epoch=3-val_loss=0.1234.ckpt}.
 */
public final class ModelCheckpoint implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

    private final Path dirpath;
    private final String filename;
    private final boolean autoInsertMetricName;
    private final String monitor;
    private final Mode mode;
    private final int saveTopK;
    private final boolean saveLast;
    private final int everyNEpochs;
    private final Map<Path, Double> kept = new LinkedHashMap<>();
    /** Checkpoints written by this instance in this process (absolute, normalised): the only ones it may delete. */
    private final Set<Path> written = new HashSet<>();
    /** Restored ranking (file name to score), resolved against the folder at the first save. */
    private final Map<String, Double> restored = new LinkedHashMap<>();
    private Path bestModelPath;
    private double bestModelScore = Double.NaN;
    private Path lastModelPath;
    private Path resolvedDir;
    private long saveCounter;

    private ModelCheckpoint(Builder b) {
        if (b.saveTopK < -1) {
            throw new TrainerException("ModelCheckpoint saveTopK " + b.saveTopK
                    + " is invalid; pass -1 (all), 0 (none) or a positive count");
        }
        if (b.everyNEpochs <= 0) {
            throw new TrainerException("ModelCheckpoint everyNEpochs " + b.everyNEpochs + " must be > 0");
        }
        CheckpointFilename.check(b.filename, b.saveLast);
        dirpath = b.dirpath;
        filename = b.filename;
        autoInsertMetricName = b.autoInsertMetricName;
        monitor = b.monitor;
        mode = b.mode;
        saveTopK = b.saveTopK;
        saveLast = b.saveLast;
        everyNEpochs = b.everyNEpochs;
    }

    /** @return a builder (no monitor, saveTopK 1, filename "epoch={epoch}-step={step}") */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onValidationEnd(Trainer trainer, LightningModule module) {
        if (trainer.stage() == Stage.FIT && trainer.validatesWithinEpoch()) { // in a fit; not Trainer.validate
            save(trainer);
        }
    }

    @Override
    public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
        if (!trainer.validatesWithinEpoch()) {
            save(trainer);
        }
    }

    private void save(Trainer trainer) {
        if ((trainer.currentEpoch() + 1) % everyNEpochs != 0) {
            return;
        }
        Path dir = directory(trainer);
        if (saveTopK != 0) {
            saveTopK(trainer, dir);
        }
        if (saveLast) {
            Path last = dir.resolve("last.ckpt");
            lastModelPath = last;
            trainer.saveCheckpoint(last);
            written.add(canonical(last));
        }
    }

    private void saveTopK(Trainer trainer, Path dir) {
        double score;
        if (monitor != null) {
            Double v = Monitor.value(trainer, monitor, "ModelCheckpoint");
            if (v == null) {
                return;
            }
            score = v;
            if (Double.isNaN(score)) {
                LOG.warn("ModelCheckpoint: {} is NaN at epoch {}; not saving a top-k checkpoint", monitor, trainer.currentEpoch());
                return;
            }
        } else {
            score = ++saveCounter; // most recent ranks best
        }
        Mode m = monitor != null ? mode : Mode.MAX;
        Path path = dir.resolve(CheckpointFilename.format(filename, trainer, autoInsertMetricName) + ".ckpt");
        Double previous = kept.get(path);
        if (previous != null) { // a name without a changing field ("best"): the file keeps the better of the two
            if (!m.improves(score, previous, 0)) {
                return;
            }
            kept.remove(path);
        }
        if (saveTopK > 0 && kept.size() >= saveTopK) {
            Path worst = worst(m);
            if (!m.improves(score, kept.get(worst), 0)) {
                return;
            }
        }
        kept.put(path, score);
        List<Path> evicted = new ArrayList<>();
        while (saveTopK > 0 && kept.size() > saveTopK) {
            Path worst = worst(m);
            kept.remove(worst);
            evicted.add(worst);
        }
        bestModelPath = best(m);
        bestModelScore = monitor != null ? kept.get(bestModelPath) : Double.NaN;
        trainer.saveCheckpoint(path);
        written.add(canonical(path));
        for (Path p : evicted) {
            if (!p.equals(path)) {
                deleteIfOwned(p, dir);
            }
        }
    }

    private Path worst(Mode m) {
        Path worst = null;
        for (Map.Entry<Path, Double> e : kept.entrySet()) {
            if (worst == null || m.improves(kept.get(worst), e.getValue(), 0)) {
                worst = e.getKey();
            }
        }
        return worst;
    }

    private Path best(Mode m) {
        Path best = null;
        for (Map.Entry<Path, Double> e : kept.entrySet()) {
            if (best == null || m.improves(e.getValue(), kept.get(best), 0)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Deletes an evicted checkpoint only when this instance wrote it, in this process, inside its folder. */
    private void deleteIfOwned(Path p, Path dir) {
        Path c = canonical(p);
        if (!written.contains(c) || !c.startsWith(canonical(dir))) {
            LOG.info("ModelCheckpoint: {} left the top {} but was not written by this run; leaving it on disk", p,
                    saveTopK);
            return;
        }
        try {
            Files.deleteIfExists(c);
            written.remove(c);
        } catch (IOException e) {
            LOG.warn("ModelCheckpoint: cannot delete {} ({})", p, e.getMessage());
        }
    }

    private static Path canonical(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private Path directory(Trainer trainer) {
        if (resolvedDir == null) {
            resolvedDir = dirpath != null ? dirpath : trainer.logDir().resolve("checkpoints");
            adoptRestored();
        }
        return resolvedDir;
    }

    /** Ranks the restored entries whose files exist in this run's folder; the others are forgotten. */
    private void adoptRestored() {
        Path here = canonical(resolvedDir);
        for (Path p : List.copyOf(kept.keySet())) { // found beside the checkpoint resumed from, this very folder:
            if (canonical(p).getParent().equals(here)) { // keyed as this run's own saves are
                kept.putIfAbsent(resolvedDir.resolve(p.getFileName()), kept.remove(p));
            }
        }
        restored.forEach((name, score) -> {
            Path p = resolvedDir.resolve(name);
            if (Files.isRegularFile(p)) {
                kept.putIfAbsent(p, score);
            }
        });
        restored.clear();
    }

    /** @return the best checkpoint so far, or null */
    public Path bestModelPath() {
        return bestModelPath;
    }

    /** @return its monitored score (NaN without a monitor) */
    public double bestModelScore() {
        return bestModelScore;
    }

    /** @return the last.ckpt path once written, or null */
    public Path lastModelPath() {
        return lastModelPath;
    }

    /** @return the kept top-k checkpoints and their scores */
    public Map<Path, Double> bestKModels() {
        return new LinkedHashMap<>(kept);
    }

    @Override
    public String stateKey() {
        return "ModelCheckpoint{" + monitor + "," + filename + "}";
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> k = new LinkedHashMap<>(restored);
        kept.forEach((p, v) -> k.put(p.getFileName().toString(), v)); // names only: folders are never restored
        s.put("kept", k);
        s.put("bestModelPath", bestModelPath == null ? null : bestModelPath.getFileName().toString());
        s.put("saveCounter", saveCounter);
        return s;
    }

    @Override
    public void loadStateDict(Map<String, Object> state) {
        loadStateDict(state, null);
    }

    @Override
    public void loadStateDict(Map<String, Object> state, Path checkpoint) {
        kept.clear();
        restored.clear();
        Object k = state.get("kept");
        if (k instanceof Map<?, ?> map) {
            map.forEach((p, v) -> {
                String name = fileName(p);
                if (name != null && v instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    restored.put(name, n.doubleValue());
                }
            });
        }
        String best = fileName(state.get("bestModelPath"));
        Double bestScore = best == null ? null : restored.get(best);
        bestModelScore = bestScore == null || monitor == null ? Double.NaN : bestScore;
        bestModelPath = null; // recomputed from the files found
        Path beside = checkpoint == null ? null : checkpoint.toAbsolutePath().normalize().getParent();
        if (beside != null) { // the earlier run's files, beside the checkpoint resumed from
            restored.entrySet().removeIf(e -> {
                Path p = beside.resolve(e.getKey());
                return Files.isRegularFile(p) && kept.putIfAbsent(p, e.getValue()) == null;
            });
        }
        if (resolvedDir != null) { // already saving in this process: resolve against the known folder now
            adoptRestored();
        }
        if (!kept.isEmpty()) {
            bestModelPath = best(monitor != null ? mode : Mode.MAX);
            bestModelScore = monitor != null ? kept.get(bestModelPath) : Double.NaN;
        }
        Object counter = state.get("saveCounter");
        saveCounter = counter instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }

    /** @return the file name of a restored path (any folder dropped), or null when it is not a checkpoint name */
    private static String fileName(Object p) {
        if (p == null) {
            return null;
        }
        String s = p.toString().replace('\\', '/');
        String name = s.substring(s.lastIndexOf('/') + 1);
        return name.endsWith(".ckpt") && !name.equals(".ckpt") ? name : null;
    }

    /** Builder of {@link ModelCheckpoint}. */
    public static final class Builder {
        private Path dirpath;
        private String filename = "epoch={epoch}-step={step}";
        private boolean autoInsertMetricName = true;
        private String monitor;
        private Mode mode = Mode.MIN;
        private int saveTopK = 1;
        private boolean saveLast;
        private int everyNEpochs = 1;

        private Builder() {}

        /** @param v folder (default: first logger's dir, else defaultRootDir, + /checkpoints) @return this */
        public Builder dirpath(Path v) {
            dirpath = v;
            return this;
        }

        /** @param v filename template without extension @return this */
        public Builder filename(String v) {
            filename = v;
            return this;
        }

        /**
         * @param v Lightning's {@code auto_insert_metric_name} (default true): {@code {epoch}-{val_loss:.2f}} names
         *     {@code epoch=3-val_loss=0.12.ckpt}; a field already written after its name ({@code epoch={epoch}})
         *     is left as it is; false writes the values alone ({@code 3-0.12.ckpt})
         * @return this
         */
        public Builder autoInsertMetricName(boolean v) {
            autoInsertMetricName = v;
            return this;
        }

        /** @param v metric ranking the checkpoints (null = keep the most recent) @return this */
        public Builder monitor(String v) {
            monitor = v;
            return this;
        }

        /** @param v MIN for losses, MAX for scores @return this */
        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        /** @param v how many best to keep: -1 all, 0 none @return this */
        public Builder saveTopK(int v) {
            saveTopK = v;
            return this;
        }

        /** @param v also write last.ckpt every time @return this */
        public Builder saveLast(boolean v) {
            saveLast = v;
            return this;
        }

        /** @param v save every N epochs @return this */
        public Builder everyNEpochs(int v) {
            everyNEpochs = v;
            return this;
        }

        /** @return the callback */
        public ModelCheckpoint build() {
            return new ModelCheckpoint(this);
        }
    }
}
