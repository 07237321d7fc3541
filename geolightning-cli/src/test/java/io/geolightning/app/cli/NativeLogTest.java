package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch's own warnings stay off the user's stderr unless {@code --verbose}: the real launcher
 * (scripts/geolightning, on the classes under test through GEOLIGHTNING_CLASSPATH) trains the Olinda run with a
 * validation split of 233 chips in batches of 232, so the last validation batch holds one chip; a one-sample
 * convolution without gradients is where PyTorch asks NNPACK, and on CPUs NNPACK does not support that prints
 * "[W... NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware." once per convolution.
 */
class NativeLogTest {

    /** c10's log line: [W or [I, month and day, space, time, source file and line]. */
    private static final Pattern NATIVE = Pattern.compile("(?m)^\\[[IW]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ [^]]+\\] ");

    @Test
    void nativeWarningsOnlyWithVerbose(@TempDir Path tmp) throws Exception {
        Path chips = tmp.resolve("chips");
        CliRun tile = CliRun.tileOlinda(chips);
        assertEquals(0, tile.code(), tile.err());
        assertTrue(tile.out().contains("val 233"), tile.out());

        Launcher.Launch quiet = train(tmp, chips, "quiet", "--progress");
        assertEquals(0, quiet.code(), quiet.err());
        assertTrue(quiet.out().contains("trained 1 epoch(s)"), quiet.out());
        assertFalse(NATIVE.matcher(quiet.err()).find(), "native log lines on stderr:\n" + quiet.err());
        assertFalse(quiet.err().contains("NNPACK") || quiet.err().contains("AutoNonVariableTypeMode"), quiet.err());
        assertTrue(quiet.err().contains("[INFO] "), "the launcher's filter dropped GeoLightning's own log lines:\n"
                + quiet.err());

        Launcher.Launch verbose = train(tmp, chips, "verbose", "--verbose");
        assertEquals(0, verbose.code(), verbose.err());
        assumeTrue(verbose.err().contains("Could not initialize NNPACK"),
                "this CPU initialises NNPACK, so libtorch printed no warning to keep off stderr");
        assertTrue(NATIVE.matcher(verbose.err()).find(), verbose.err());
    }

    private static Launcher.Launch train(Path tmp, Path chips, String name, String flag)
            throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("geolightning.root"));
        List<String> args = new ArrayList<>(List.of("train", "--config", root.resolve("sample-data/run.yaml")
                .toString(), flag));
        for (String set : List.of("data.chips=" + chips, "runs=" + tmp.resolve(name), "data.batchSize=232",
                "trainer.maxEpochs=1", "trainer.numSanityValSteps=0", "callbacks.earlyStopping.enabled=false")) {
            args.add("--set");
            args.add(set);
        }
        return Launcher.run(tmp, name, args);
    }
}
