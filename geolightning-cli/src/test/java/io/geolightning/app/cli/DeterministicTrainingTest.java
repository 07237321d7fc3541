package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deterministic: true} replays a run: the shipped sample-data/run.yaml (Olinda, 2 data workers, augmentation
 * on) trained twice with the same seed writes byte-identical metrics.csv files, from the first logged step to the
 * final test evaluation; another seed gives other numbers. metrics.csv holds only metrics (no wall-clock column), so
 * the whole file is compared. The runs share one JVM, so the second starts from whatever RNG state the first left:
 * the seed has to reach everything drawn before the trainer starts, the network's initial weights included.
 */
class DeterministicTrainingTest {

    @Test
    void sameSeedWritesIdenticalMetrics(@TempDir Path tmp) throws IOException {
        Path chips = tmp.resolve("chips");
        CliRun tile = CliRun.tileOlinda(chips);
        assertEquals(0, tile.code(), tile.err());

        String first = metrics(chips, tmp.resolve("first"), 42);
        String second = metrics(chips, tmp.resolve("second"), 42);
        String header = first.lines().findFirst().orElseThrow();
        assertFalse(header.toLowerCase(Locale.ROOT).contains("time"), "a wall-clock column would differ: " + header);
        assertTrue(first.lines().count() > 5 && header.contains("train_loss") && first.contains("test_loss"),
                first);
        assertEquals(first, second, "same seed, deterministic: true, yet the runs differ");

        assertNotEquals(first, metrics(chips, tmp.resolve("other"), 7), "the seed does not change the run");
    }

    private static String metrics(Path chips, Path runs, int seed) throws IOException {
        CliRun train = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips,
                "--set", "runs=" + runs, "--set", "seed=" + seed, "--set", "trainer.maxEpochs=2", "--set",
                "trainer.deterministic=true");
        assertEquals(0, train.code(), train.err());
        return Files.readString(runs.resolve("olinda/version_0/metrics.csv"));
    }
}
