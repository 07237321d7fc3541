package io.geolightning.tiling.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Temporary-file-then-rename helpers so that no half-written output ever sits at its final path. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** @return a hidden temporary path in the same folder as {@code target} */
    public static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
                + ".tmp");
    }

    /** Moves {@code temp} onto {@code target} atomically, replacing it. */
    public static void commit(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes bytes to {@code target} through a temporary file. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = tempFor(target);
        try {
            Files.write(tmp, bytes);
            commit(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
