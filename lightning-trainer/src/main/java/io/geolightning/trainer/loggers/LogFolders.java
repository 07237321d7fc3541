package io.geolightning.trainer.loggers;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.trainer.TrainerException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Lightning's folder layout {@code <root>/<name>/version_<N>} and atomic text writes. */
final class LogFolders {

    private static final Pattern VERSION = Pattern.compile("version_(\\d+)");

    private LogFolders() {}

    /** @return {@code version_<max+1>} among the existing folders of {@code <root>/<name>} */
    static String nextVersion(Path experimentDir) {
        int next = 0;
        if (Files.isDirectory(experimentDir)) {
            try (Stream<Path> s = Files.list(experimentDir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Matcher m = VERSION.matcher(p.getFileName().toString());
                    if (m.matches() && Files.isDirectory(p)) {
                        next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
                    }
                }
            } catch (IOException e) {
                throw new TrainerException(experimentDir + ": cannot list log versions (" + e.getMessage()
                        + "); check the folder is readable", e);
            }
        }
        return "version_" + next;
    }

    /**
     * Creates the next {@code version_<N>} of an experiment and returns its name. The folder is made with
     * {@code createDirectory}, which fails when it exists: a run started at the same moment (a sweep launched with
     * {@code &}) that listed the same versions gets the next free number instead of sharing the folder.
     */
    static String claimNextVersion(Path experimentDir) {
        createDirectories(experimentDir);
        while (true) {
            String version = nextVersion(experimentDir);
            Path dir = experimentDir.resolve(version);
            try {
                Files.createDirectory(dir);
                return version;
            } catch (FileAlreadyExistsException e) {
                // another run took it between the listing and here: list again
            } catch (IOException e) {
                throw new TrainerException(dir + ": cannot create log folder (" + e.getMessage()
                        + "); pass a writable root folder", e);
            }
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TrainerException(dir + ": cannot create log folder (" + e.getMessage()
                    + "); pass a writable root folder", e);
        }
    }

    /** Writes text to a temporary file next to {@code target} and moves it over atomically. */
    static void writeAtomically(Path target, String text) {
        try {
            AtomicFiles.writeString(target, text);
        } catch (IOException e) {
            throw new TrainerException(target + ": cannot write (" + e.getMessage()
                    + "); check the folder is writable and the disk has space", e);
        }
    }
}
