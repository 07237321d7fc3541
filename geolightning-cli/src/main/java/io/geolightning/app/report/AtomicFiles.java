package io.geolightning.app.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The run folder's atomic writes (text, PNG, copies) with the report's error message; the mechanism - a hidden
 * temporary in the same folder renamed over the target, default permissions, cleanup on SIGINT/SIGTERM - is
 * {@link io.geolightning.foundation.AtomicFiles}.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Content producer that may fail with an I/O error. */
    @FunctionalInterface
    public interface Writer extends io.geolightning.foundation.AtomicFiles.Writer {
    }

    /**
     * @param target final path (its folder must exist)
     * @param writer writes the content
     */
    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ReportException(target + ": the folder " + dir + " does not exist; create it first");
        }
        try {
            io.geolightning.foundation.AtomicFiles.write(target, writer);
        } catch (IOException e) {
            throw new ReportException(target + ": cannot write (" + e.getMessage()
                    + "); check the folder is writable and the disk has space", e);
        }
    }

    /**
     * @param target final path
     * @param text UTF-8 text
     */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param target final path
     * @param image the image, written as PNG by javax.imageio
     */
    public static void writePng(Path target, BufferedImage image) {
        write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in javax.imageio");
            }
        });
    }

    /**
     * @param source file to copy
     * @param target final path
     */
    public static void copy(Path source, Path target) {
        write(target, out -> Files.copy(source, out));
    }
}
