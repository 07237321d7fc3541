package io.geolightning.trainer.loggers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs started together under one name (a sweep launched with {@code &}) each get their own {@code version_N}: the
 * next version was listed, then created with {@code createDirectories}, which succeeds on a folder another run has
 * just made, so two runs could share one folder and overwrite each other's metrics.csv and checkpoints.
 */
class VersionFoldersTest {

    @TempDir
    Path tmp;

    @Test
    void loggersStartedTogetherGetOneFolderEach() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 25; round++) {
                Path root = Files.createDirectories(tmp.resolve("round" + round));
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Path>> dirs = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    dirs.add(pool.submit(() -> {
                        CsvLogger csv = new CsvLogger(root, "sweep");
                        start.await();
                        return csv.logDir();
                    }));
                }
                Set<Path> distinct = new HashSet<>();
                for (Future<Path> f : dirs) {
                    distinct.add(f.get());
                }
                assertEquals(threads, distinct.size(), "round " + round + ": runs shared a folder: " + distinct);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aGivenVersionIsUsedAsItIs() {
        Path dir = new CsvLogger(tmp, "exp", "version_7").logDir();
        assertEquals(tmp.resolve("exp/version_7"), dir);
        assertEquals(dir, new CsvLogger(tmp, "exp", "version_7").logDir(), "a version asked for may exist already");
        assertEquals(tmp.resolve("exp/version_8"), new CsvLogger(tmp, "exp").logDir());
    }
}
