package io.geolightning.foundation.fuzz;

import io.geolightning.foundation.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File chores of the fuzz tests: writing one input, removing the folder of inputs. */
public final class FuzzFiles {

    private FuzzFiles() {
    }

    /**
     * Writes an input where the parser will read it.
     *
     * @param file the file
     * @param bytes its new content
     */
    public static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a folder and everything in it.
     *
     * @param dir the folder
     */
    public static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
