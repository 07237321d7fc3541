package io.geolightning.models.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Writes files so that no reader ever sees a half-written one: the bytes go to a temporary file in the same folder,
 * which is then moved over the target atomically.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Content producer that may fail with an I/O error. */
    @FunctionalInterface
    public interface Writer {
        /** @param out stream to write the whole content to */
        void write(OutputStream out) throws IOException;
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
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            readableByAll(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new ReportException(target + ": cannot write (" + e.getMessage()
                    + "); check the folder is writable and the disk has space", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
        }
    }

    /** Temporary files are created owner-only; a report is meant to be shared like any other output file. */
    private static void readableByAll(Path p) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
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
