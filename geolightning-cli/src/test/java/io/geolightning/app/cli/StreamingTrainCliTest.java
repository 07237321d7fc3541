package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} on two chip stores at once, streamed: Olinda tiled twice (16-pixel chips at two strides) trains from
 * both, and a store of another chip size is refused with one line naming it, before anything is written.
 */
class StreamingTrainCliTest {

    private static Path tile(Path out, int chip, int stride) {
        CliRun r = CliRun.of("tile", "--raster", BadInputs.RASTER, "--labels", BadInputs.LABELS, "--label-field",
                "TIPO", "--chip", chip, "--stride", stride, "--val", 0.2, "--test", 0.2, "--out", out);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void trainsOnTwoStreamedStoresAndRefusesOneThatDisagrees(@TempDir Path tmp) throws Exception {
        Path a = BadInputs.chips();
        Path b = tile(tmp.resolve("b"), 16, 16);
        Path runs = tmp.resolve("runs");
        CliRun r = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=[" + a + ", " + b
                + "]", "--set", "data.streaming=true", "--set", "data.shuffleBuffer=64", "--set", "runs=" + runs,
                "--set", "trainer.maxEpochs=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("data: train 574, val 287, test 233  (2 chip stores, streamed)"), r.out());
        try (Stream<Path> s = Files.walk(runs)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".ckpt")), "a checkpoint was written");
        }

        Path c = tile(tmp.resolve("c"), 32, 32);
        Path runs2 = tmp.resolve("runs2");
        String line = BadInputs.fails(1, CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set",
                "data.chips=[" + a + ", " + c + "]", "--set", "runs=" + runs2, "--set", "trainer.maxEpochs=1"),
                c.toString(), "chip size 32x32, but 16x16 in " + a);
        assertFalse(line.contains("Exception"), line);
        try (Stream<Path> s = Files.walk(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".ckpt") && p.startsWith(runs2)),
                    "no checkpoint from the refused run");
        }
    }
}
