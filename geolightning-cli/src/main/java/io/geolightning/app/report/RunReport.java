package io.geolightning.app.report;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run folder's {@code report.html}: run facts, data, final metrics, loss and metric curves, the gallery of
 * validation predictions ({@link PredictionGallery}) and the confusion matrix as PNG plots (drawn by {@link LineChart} and {@link ConfusionMatrixChart} into {@code plots/}), the
 * confusion matrix as a table and the resolved configuration. Every file is written atomically.
 */
public final class RunReport {

    /** Size of the plots in pixels. */
    static final int PLOT_WIDTH = 720;
    static final int PLOT_HEIGHT = 400;
    private static final List<String> SCORE_METRICS = List.of("val_acc", "val_miou", "val_f1", "train_acc_epoch");

    private RunReport() {
    }

    /**
     * @param folder the run folder (its {@code metrics.csv} is read)
     * @param summary what else to show
     * @return the report path
     */
    public static Path write(RunFolder folder, RunSummary summary) {
        folder.create();
        MetricsHistory history = MetricsHistory.read(folder.metrics());
        List<String> images = new ArrayList<>();

        LineChart loss = lossChart(history);
        if (!loss.isEmpty()) {
            folder.writePng(folder.plots().resolve("loss.png"), loss.render(PLOT_WIDTH, PLOT_HEIGHT));
            images.add("plots/loss.png");
        }
        LineChart scores = new LineChart("Metrics", "epoch", "score");
        for (String m : SCORE_METRICS) {
            addSeries(scores, history, m, m, lastTrainedEpoch(history));
        }
        if (!scores.isEmpty()) {
            folder.writePng(folder.plots().resolve("metrics.png"), scores.render(PLOT_WIDTH, PLOT_HEIGHT));
            images.add("plots/metrics.png");
        }
        if (summary.confusion() != null) {
            BufferedImage cm = ConfusionMatrixChart.render("Confusion matrix\n" + summary.confusionLabel(),
                    summary.confusion(), summary.classNames());
            folder.writePng(folder.plots().resolve("confusion.png"), cm);
            images.add("plots/confusion.png");
        }
        Path out = folder.report();
        folder.writeString(out, html(summary, history, images, PredictionGallery.of(folder)));
        return out;
    }

    /**
     * @param history a run's metrics
     * @return the loss chart of {@code plots/loss.png}: the training loss's epoch means and the validation loss
     */
    static LineChart lossChart(MetricsHistory history) {
        LineChart loss = new LineChart("Loss", "epoch", "cross-entropy");
        double last = lastTrainedEpoch(history);
        addSeries(loss, history, "train_loss_epoch", "train (epoch mean)", last);
        addSeries(loss, history, "val_loss", "validation", last);
        return loss;
    }

    /**
     * @return the last epoch with a training loss: the final evaluation of the best checkpoint on the validation
     *     split is logged after it (at the next epoch number, as Lightning's {@code trainer.validate} after a fit), and
     *     belongs to the evaluation table, not to the curves
     */
    private static double lastTrainedEpoch(MetricsHistory h) {
        double[] epochs = h.perEpoch("train_loss_epoch")[0];
        return epochs.length == 0 ? Double.POSITIVE_INFINITY : epochs[epochs.length - 1];
    }

    private static void addSeries(LineChart chart, MetricsHistory h, String metric, String name, double lastEpoch) {
        double[][] s = h.perEpoch(metric);
        int n = 0;
        while (n < s[0].length && s[0][n] <= lastEpoch) {
            n++;
        }
        if (n > 0) {
            chart.add(name, java.util.Arrays.copyOf(s[0], n), java.util.Arrays.copyOf(s[1], n));
        }
    }

    static String html(RunSummary s, MetricsHistory h, List<String> images, PredictionGallery gallery) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(s.title())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.k,th.k{text-align:left}")
                .append("pre{background:#f7f7f7;padding:1em;overflow:auto}img{margin:0.5em 0;border:1px solid #ddd}")
                .append(".gallery{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{color:#555}")
                .append("</style></head><body>\n");
        b.append("<h1>").append(esc(s.title())).append("</h1>\n");
        b.append("<p>Generated ").append(esc(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)))
                .append(" by GeoLightning.</p>\n");

        b.append("<h2>Run</h2>\n<table>");
        row(b, "epochs trained", Integer.toString(s.epochs()));
        row(b, "training time", String.format(Locale.ROOT, "%.1f s", s.seconds()));
        if (s.stopReason() != null) {
            row(b, "stopped early", s.stopReason());
        }
        if (s.bestCheckpoint() != null) {
            row(b, "best checkpoint", s.bestCheckpoint());
        }
        if (s.lastCheckpoint() != null) {
            row(b, "last checkpoint", s.lastCheckpoint());
        }
        b.append("</table>\n");

        if (!s.data().isEmpty()) {
            b.append("<h2>Data</h2>\n<table>");
            s.data().forEach((k, v) -> row(b, k, String.valueOf(v)));
            b.append("</table>\n");
        }

        if (!s.evaluation().isEmpty()) {
            b.append("<h2>Evaluation (").append(esc(s.confusionLabel())).append(")</h2>\n<table>");
            s.evaluation().forEach((k, v) -> row(b, k, fmt(v)));
            b.append("</table>\n");
        }

        Map<String, Double> last = h.lastValues();
        if (!last.isEmpty()) {
            b.append("<h2>Last logged metrics</h2>\n<table>");
            last.forEach((k, v) -> row(b, k, fmt(v)));
            b.append("</table>\n");
        }

        if (!images.isEmpty()) {
            b.append("<h2>Plots</h2>\n");
            for (String img : images) {
                b.append("<div><img src=\"").append(esc(img)).append("\" alt=\"").append(esc(img))
                        .append("\"></div>\n");
            }
        }

        gallery.appendHtml(b);

        if (s.confusion() != null) {
            b.append("<h2>Confusion matrix (").append(esc(s.confusionLabel()))
                    .append(")</h2>\n<p>Rows: true class; columns: predicted class.</p>\n<table><tr><th class=\"k\">"
                            + "true \\ predicted</th>");
            for (int p = 0; p < s.confusion().length; p++) {
                b.append("<th>").append(esc(name(s.classNames(), p))).append("</th>");
            }
            b.append("</tr>\n");
            for (int t = 0; t < s.confusion().length; t++) {
                b.append("<tr><th class=\"k\">").append(esc(name(s.classNames(), t))).append("</th>");
                for (long v : s.confusion()[t]) {
                    b.append("<td>").append(v).append("</td>");
                }
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }

        b.append("<h2>Configuration</h2>\n<pre>").append(esc(s.configYaml())).append("</pre>\n");
        b.append("<p>Files: <a href=\"config.yaml\">config.yaml</a>, <a href=\"metrics.csv\">metrics.csv</a>,"
                + " <a href=\"hparams.yaml\">hparams.yaml</a>, <a href=\"checkpoints/\">checkpoints/</a>."
                + " TensorBoard: <code>tensorboard --logdir .</code></p>\n");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><td class=\"k\">").append(esc(k)).append("</td><td class=\"k\">").append(esc(v))
                .append("</td></tr>");
    }

    private static String name(List<String> names, int i) {
        return i < names.size() ? names.get(i) : "class " + i;
    }

    private static String fmt(Double v) {
        if (v == null || v.isNaN()) {
            return "-";
        }
        return Math.abs(v - Math.rint(v)) < 1e-12 && Math.abs(v) < 1e12 ? Long.toString(Math.round(v))
                : String.format(Locale.ROOT, "%.4f", v);
    }

    /** @return text with HTML's special characters escaped */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
