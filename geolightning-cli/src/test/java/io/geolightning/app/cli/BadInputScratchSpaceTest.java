package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite: a full (or read-only, or missing) {@code /tmp} stands in as a {@code java.io.tmpdir} under a
 * plain file, where nothing can be created. Commands that keep no scratch files there must not need it: tiling and
 * reading a chip store (snappy-java unpacked its native library there: a stack trace, then "no snappyjava in
 * java.library.path") and training (javax.imageio cached every PNG there: "Can't create cache file!").
 */
class BadInputScratchSpaceTest {

    @TempDir
    Path tmp;

    private List<String> unusableTmpdir() throws Exception {
        return List.of("-Djava.io.tmpdir=" + Files.writeString(tmp.resolve("full"), "x").resolve("tmp"));
    }

    private void succeeds(List<String> jvm, Object... args) throws Exception {
        Process p = BadInputs.start(tmp, jvm, args);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the CLI did not end");
        String err = Files.readString(tmp.resolve("child.err"));
        assertEquals(0, p.exitValue(), args[0] + ": " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void tileAndInfoNeedNoScratchSpace() throws Exception {
        List<String> jvm = unusableTmpdir();
        Path store = tmp.resolve("chips");
        succeeds(jvm, "tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--stride", 16, "--out", store);
        succeeds(jvm, "info", "--verify", store);
        assertTrue(Files.readString(tmp.resolve("child.out")).contains("rows:"));
    }

    @Test
    void trainingNeedsNoScratchSpace() throws Exception {
        Path runs = tmp.resolve("runs");
        succeeds(unusableTmpdir(), "train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips="
                + BadInputs.chips(), "--set", "runs=" + runs, "--set", "trainer.maxEpochs=1", "--set",
                "data.augment=false");
        Path run = runs.resolve("olinda/version_0");
        assertTrue(Files.isRegularFile(run.resolve("predictions/epoch=0-step=15.png")), "the validation drawing");
        assertTrue(Files.isRegularFile(run.resolve("plots/loss.png")), "the report's plot");
    }
}
