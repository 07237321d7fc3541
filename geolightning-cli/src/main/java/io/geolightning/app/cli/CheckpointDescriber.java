package io.geolightning.app.cli;

import io.geolightning.app.report.Numbers;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** Prints what {@code info} knows about a checkpoint: network, data it expects, progress, metrics, hyperparameters. */
final class CheckpointDescriber {

    private final PrintWriter out;

    CheckpointDescriber(PrintWriter out) {
        this.out = out;
    }

    void describe(Path path) {
        CheckpointMeta m = CheckpointIO.read(path).meta();
        Table t = new Table(out, 16);
        t.title("checkpoint " + path);
        long params = 0;
        long stats = 0; // batch-norm running statistics: buffers, not parameters (PyTorch's model.parameters())
        int statTensors = 0;
        for (CheckpointMeta.ParameterInfo p : m.parameters()) {
            long n = 1;
            for (long d : p.shape()) {
                n *= d;
            }
            boolean stat = p.name().endsWith("runningMean") || p.name().endsWith("runningVar");
            params += stat ? 0 : n;
            stats += stat ? n : 0;
            statTensors += stat ? 1 : 0;
        }
        Map<String, Object> hp = m.hyperparameters();
        TaskSettings settings = null;
        String inconsistent = null;
        if (hp != null && hp.get("model") instanceof Map) {
            try {
                settings = TaskSettings.ofCheckpoint(path, m);
            } catch (ModelException e) {
                inconsistent = e.getMessage();
            }
        }
        if (settings != null) {
            ModelSpec s = settings.model();
            t.row("architecture", s.architecture().id() + " (" + s.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ")" + (s.options().isEmpty() ? "" : " " + s.options()));
            t.row("bands", s.bands());
            t.row("classes", s.classes() + " " + settings.classNames());
            t.row("chip size", s.chipSize() + " pixels");
            t.row("normalisation", "mean " + Numbers.nums(settings.normalization().mean()) + ", std "
                    + Numbers.nums(settings.normalization().std()));
            t.row("optimizer", settings.optimizer().optimizer() + ", lr " + Numbers.num(settings.optimizer().lr())
                    + ", weight decay " + Numbers.num(settings.optimizer().weightDecay()) + ", schedule "
                    + settings.optimizer().schedule());
            if (!settings.classWeights().isEmpty()) {
                t.row("class weights", settings.classWeights());
            }
        } else if (inconsistent != null) {
            t.row("architecture", "unreadable: the hyperparameters are inconsistent (see below)");
        } else {
            t.row("architecture", "unknown (not written by a land-use task)");
        }
        t.row("parameters", String.format(java.util.Locale.ROOT, "%,d in %d tensors", params,
                m.parameters().size() - statTensors) + (statTensors == 0 ? "" : String.format(java.util.Locale.ROOT,
                ", and %,d batch-norm statistics in %d", stats, statTensors)));
        // the checkpoint keeps the epoch a resume starts at; its file name counts the epoch done from 0
        int e = m.epoch();
        t.row("epochs done", m.batchInEpoch() > 0 ? e + ", and " + m.batchInEpoch() + " batches of epoch=" + e
                + " (a mid-epoch checkpoint)" : e > 0 ? e + " (the last: epoch=" + (e - 1) + ", counted from 0 as in"
                + " checkpoint names)" : "0");
        t.row("global step", m.globalStep());
        if (m.seed() != null) {
            t.row("seed", m.seed());
        }
        if (m.metrics() != null && !m.metrics().isEmpty()) {
            t.row("metrics", "");
            m.metrics().forEach((k, v) -> t.row("  " + k, Numbers.num(v)));
        }
        if (hp != null && settings == null) {
            t.row("hyperparameters", hp);
        }
        if (inconsistent != null) {
            out.flush();
            throw new CliException(inconsistent);
        }
    }
}
