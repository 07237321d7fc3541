package io.geolightning.app.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run report's gallery: the drawings of the validation predictions ({@code predictions/epoch=E-step=S.png},
 * written by the image-prediction callback), the latest first, each captioned with its epoch and step.
 *
 * @param drawings the drawings, latest first
 */
record PredictionGallery(List<Drawing> drawings) {

    private static final Pattern NAME = Pattern.compile("epoch=(\\d+)-step=(\\d+)\\.png");

    /**
     * One drawing.
     *
     * @param file its path relative to the run folder
     * @param epoch the epoch it was drawn in
     * @param step the global step
     */
    record Drawing(String file, int epoch, long step) {
    }

    /**
     * @param folder the run folder
     * @return its drawings (none when the callback was off)
     */
    static PredictionGallery of(RunFolder folder) {
        Path dir = folder.predictions();
        if (!Files.isDirectory(dir)) {
            return new PredictionGallery(List.of());
        }
        try (Stream<Path> files = Files.list(dir)) {
            return new PredictionGallery(files.map(p -> NAME.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> new Drawing("predictions/" + m.group(), Integer.parseInt(m.group(1)),
                            Long.parseLong(m.group(2))))
                    .sorted(Comparator.comparingLong(Drawing::step).reversed()).toList());
        } catch (IOException e) {
            throw new ReportException(dir + ": cannot list the prediction drawings (" + e.getMessage() + ")", e);
        }
    }

    /** Appends the gallery section (nothing when there are no drawings). */
    void appendHtml(StringBuilder b) {
        if (drawings.isEmpty()) {
            return;
        }
        b.append("<h2>Validation predictions</h2>\n<p>The same validation chips after each validation, latest first:"
                + " the predicted class and its probability (green when right, red when wrong) over the true class, or"
                + " the true and the predicted mask. Also in TensorBoard's Images tab.</p>\n<div class=\"gallery\">");
        for (Drawing d : drawings) {
            String caption = "epoch " + d.epoch() + ", step " + d.step();
            b.append("<figure><img src=\"").append(RunReport.esc(d.file())).append("\" alt=\"validation predictions, ")
                    .append(caption).append("\"><figcaption>").append(caption).append("</figcaption></figure>");
        }
        b.append("</div>\n");
    }
}
