package io.geolightning.foundation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scratch folders a command works in (chips cut from a raster to be scored, a predicted scene): created in
 * {@code java.io.tmpdir} and deleted with everything in them when the command is done, or by a shutdown hook when the
 * JVM ends first, on Ctrl-C (SIGINT) and SIGTERM too; only SIGKILL can leave one behind. Outputs that stand for a
 * user's file are {@link TempFiles}, next to it.
 */
public final class TempFolders {

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(FileTrees::deleteQuietly),
                "geolightning-temp-folder-cleanup"));
    }

    private TempFolders() {
    }

    /**
     * @param prefix the folder name's prefix, e.g. {@code geolightning-evaluate-}
     * @return a new empty folder, deleted at the latest when the JVM ends
     * @throws IOException when {@code java.io.tmpdir} is missing, full or not writable
     */
    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix).toAbsolutePath();
        LIVE.add(dir);
        return dir;
    }

    /**
     * Deletes a folder made by {@link #create} and everything in it ({@link FileTrees}: links in it are removed, not
     * followed); a file that cannot be deleted is left (it is in the temporary folder) and is tried again when the JVM
     * ends.
     *
     * @param dir the folder, or null
     */
    public static void delete(Path dir) {
        if (dir != null && FileTrees.deleteQuietly(dir)) {
            LIVE.remove(dir.toAbsolutePath());
        }
    }

    /** @return the folders this process holds now (tests, diagnostics) */
    public static Set<Path> live() {
        return Set.copyOf(LIVE);
    }
}
