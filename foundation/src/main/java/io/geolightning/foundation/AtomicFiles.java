package io.geolightning.foundation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Publishes files so that no reader ever sees a half-written one: the bytes go to a hidden temporary in the same
 * folder ({@link TempFiles}), which is then renamed over the target atomically. Stale temporaries of the same target
 * left by a killed run are removed first. The published file has the default permissions (the umask applies).
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
     * @throws IOException when the folder is not writable or the disk is full; the target is then untouched
     */
    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, true);
    }

    /**
     * {@link #write} of a file that must be new: it fails, leaving the file there as it is, when one exists at the
     * target when the content is finished (another command's, written meanwhile).
     *
     * @param target final path (its folder must exist)
     * @param writer writes the content
     * @throws FileAlreadyExistsException when the target exists
     * @throws IOException as {@link #write}
     */
    public static void writeNew(Path target, Writer writer) throws IOException {
        write(target, writer, false);
    }

    private static void write(Path target, Writer writer, boolean replace) throws IOException {
        TempFiles.removeStale(target);
        Path tmp = TempFiles.create(target, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            if (replace) {
                commit(tmp, target);
            } else {
                commitNew(tmp, target);
            }
            tmp = null;
        } finally {
            TempFiles.discard(tmp);
        }
    }

    /**
     * @param target final path
     * @param text UTF-8 text
     * @throws IOException as {@link #write}
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Moves a finished temporary onto its target atomically and forgets it.
     *
     * @param tmp the temporary from {@link TempFiles}
     * @param target the final path
     * @throws IOException when the rename fails (the temporary is then still registered for cleanup)
     */
    public static void commit(Path tmp, Path target) throws IOException {
        Files.move(tmp, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        TempFiles.release(tmp);
    }

    /**
     * Moves a finished temporary onto its target unless the target exists, and forgets it: a hard link (atomic,
     * failing on an existing name) where the file system has them, else a checked rename; a link that fails on a full
     * disk fails the move.
     *
     * @param tmp the temporary from {@link TempFiles}
     * @param target the final path
     * @throws FileAlreadyExistsException when the target exists (the temporary is then still registered)
     * @throws IOException when the move fails
     */
    public static void commitNew(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (diskFull(e)) {
                throw (FileSystemException) e; // the rename would fail alike: say so, not "no hard links here"
            }
            Files.move(tmp, target); // no hard links here: fails when the target exists, checked just before
            TempFiles.release(tmp);
            return;
        }
        TempFiles.discard(tmp);
    }

    /**
     * @param e a failed write or rename
     * @return whether it (or a cause) says the disk, or the user's quota, is full ({@code ENOSPC}, {@code EDQUOT})
     */
    public static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param e a failed write or rename of an output
     * @return the fix to advise in its one-line error: free space when the disk is full, else the folder's permission
     */
    public static String fixFor(Throwable e) {
        return diskFull(e) ? "the disk is full: free disk space or write to another folder"
                : "check write permission of the folder";
    }
}
