package io.geolightning.app.report;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.PngBytes;
import io.geolightning.foundation.TempFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The layout of one training run, {@code <runs>/<name>/version_N/}:
 * <pre>
 *   config.yaml                  resolved configuration (defaults and --set overrides applied)
 *   chips.json | stats.json      the data: chip-store sidecar copy, or class names and band statistics
 *   hparams.yaml                 hyperparameters (model spec, classes, normalisation, optimizer)
 *   metrics.csv                  every logged metric (Lightning's CSVLogger layout)
 *   events.out.tfevents.*        the same metrics for TensorBoard
 *   checkpoints/                 best-k and last checkpoints (.ckpt)
 *   plots/*.png                  loss and metric curves, confusion matrix
 *   evaluation.json              final metrics of the best checkpoint (test split, else validation split)
 *   report.html                  summary page showing all of the above
 * </pre>
 *
 * @param dir the version folder
 */
public record RunFolder(Path dir) {

    /** @return {@code config.yaml} */
    public Path config() {
        return dir.resolve("config.yaml");
    }

    /** @return {@code chips.json} (copy of the chip store's sidecar) */
    public Path chipsJson() {
        return dir.resolve("chips.json");
    }

    /** @return {@code stats.json} (data summary when the data is not a chip store) */
    public Path statsJson() {
        return dir.resolve("stats.json");
    }

    /** @return {@code metrics.csv} */
    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    /** @return {@code hparams.yaml} */
    public Path hparams() {
        return dir.resolve("hparams.yaml");
    }

    /** @return the checkpoint folder */
    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /** @return the plot folder */
    public Path plots() {
        return dir.resolve("plots");
    }

    /** @return the validation predictions' drawings, {@code predictions/epoch=E-step=S.png} */
    public Path predictions() {
        return dir.resolve("predictions");
    }

    /** @return {@code evaluation.json} */
    public Path evaluationJson() {
        return dir.resolve("evaluation.json");
    }

    /** @return {@code report.html} */
    public Path report() {
        return dir.resolve("report.html");
    }

    /**
     * Deletes the temporaries that runs killed with SIGKILL left in the run folders next to this one (their
     * checkpoints/, plots/, predictions/ and files): no later run writes into an earlier run's folder, so no other
     * write cleans them.
     */
    public void sweepSiblings() {
        Path experiment = dir.toAbsolutePath().getParent();
        if (experiment == null || !Files.isDirectory(experiment)) {
            return;
        }
        try (var s = Files.list(experiment)) {
            for (Path run : s.filter(Files::isDirectory).toList()) {
                TempFiles.removeStaleIn(run);
                TempFiles.removeStaleIn(run.resolve("checkpoints"));
                TempFiles.removeStaleIn(run.resolve("plots"));
                TempFiles.removeStaleIn(run.resolve("predictions"));
            }
        } catch (IOException e) {
            LoggerFactory.getLogger(RunFolder.class).warn("cannot list {} for stale temporary files ({})", experiment,
                    e.getMessage());
        }
    }

    /** Creates the folder and its sub-folders. */
    public void create() {
        try {
            Files.createDirectories(checkpoints());
            Files.createDirectories(plots());
        } catch (IOException e) {
            throw new ReportException(dir + ": cannot create the run folder (" + e.getMessage()
                    + "); pass a writable 'runs' folder", e);
        }
    }

    // ---- publishing files of the run: hidden temporary + atomic rename (foundation's AtomicFiles), report errors

    /**
     * @param target final path (its folder must exist)
     * @param writer writes the content
     */
    public void write(Path target, AtomicFiles.Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ReportException(target + ": the folder " + dir + " does not exist; create it first");
        }
        try {
            AtomicFiles.write(target, writer);
        } catch (IOException e) {
            throw new ReportException(target + ": cannot write (" + e.getMessage()
                    + "); check the folder is writable and the disk has space", e);
        }
    }

    /**
     * @param target final path
     * @param text UTF-8 text
     */
    public void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param target final path
     * @param image the image, written as PNG by javax.imageio
     */
    public void writePng(Path target, BufferedImage image) {
        write(target, out -> out.write(PngBytes.of(image)));
    }

    /**
     * @param source file to copy
     * @param target final path
     */
    public void copy(Path source, Path target) {
        write(target, out -> Files.copy(source, out));
    }
}
