package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --progress} on work shorter than the five-second interval: tiling Olinda (~3 s), predicting it (~1 s) and
 * scoring a checkpoint on its test split each print their first progress line at once and a summary line at the end,
 * through the real launcher.
 */
class ProgressLinesTest {

    /** How a summary line spells the time (Progress: "4.2s" under ten seconds, then "14s", "2m05s", "1h02m"). */
    private static final String ELAPSED = "(\\d+\\.\\ds|\\d+s|\\d+m\\d\\ds|\\d+h\\d\\dm)";

    @Test
    void shortWorkPrintsAFirstLineAndASummary(@TempDir Path tmp) throws Exception {
        Path chips = tmp.resolve("chips");
        Launcher.Launch tile = Launcher.run(tmp, "tile", List.of("tile", "--raster",
                CliRun.sample("olinda/L7_ETMs.tif").toString(), "--labels", CliRun.sample("olinda/olinda1.shp")
                        .toString(), "--label-field", "TIPO", "--chip", "16", "--stride", "8", "--out",
                chips.toString(), "--progress"));
        assertEquals(0, tile.code(), tile.err());
        // tiling runs on several threads: the first line may count a chip or two more than the first
        Matcher first = Pattern.compile("(?m)^\\[INFO\\] Tiler - tiling: [1-9]\\d?/([\\d,]+) candidate chips"
                + " \\(\\d%\\)").matcher(tile.err());
        assertTrue(first.find(), "no first progress line:\n" + tile.err());
        String total = first.group(1);
        assertTrue(Pattern.compile("(?m)^\\[INFO\\] Tiler - tiling: " + total + " candidate chips in " + ELAPSED
                + " \\(")
                .matcher(tile.err()).find(), "no summary line for " + total + " chips:\n" + tile.err());

        CliRun train = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips,
                "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=1", "--set",
                "trainer.numSanityValSteps=0");
        assertEquals(0, train.code(), train.err());
        Launcher.Launch predict = Launcher.run(tmp, "predict", List.of("predict", "--checkpoint",
                tmp.resolve("runs/olinda/version_0/checkpoints/last.ckpt").toString(), "--raster",
                CliRun.sample("olinda/L7_ETMs.tif").toString(), "--out", tmp.resolve("p.tif").toString(),
                "--progress"));
        assertEquals(0, predict.code(), predict.err());
        assertTrue(Pattern.compile("(?m)^\\[INFO\\] ScenePredictor - L7_ETMs.tif: 1/([\\d,]+) windows \\(0%\\)")
                .matcher(predict.err()).find(), "no first progress line:\n" + predict.err());
        assertTrue(Pattern.compile("(?m)^\\[INFO\\] ScenePredictor - L7_ETMs.tif: [\\d,]+ windows in " + ELAPSED
                + " \\(")
                .matcher(predict.err()).find(), "no summary line:\n" + predict.err());
        for (List<String> extra : List.of(List.<String>of(), List.of("--tta"))) { // the task's test step, TTA's loop
            List<String> args = new ArrayList<>(List.of("evaluate", "--checkpoint",
                    tmp.resolve("runs/olinda/version_0/checkpoints/last.ckpt").toString(), "--chips",
                    chips.toString(), "--progress"));
            args.addAll(extra);
            Launcher.Launch evaluate = Launcher.run(tmp, "evaluate", args);
            assertEquals(0, evaluate.code(), evaluate.err());
            Matcher counted = Pattern.compile("(?m)^\\[INFO\\] EvaluateCommand - evaluating last.ckpt:"
                    + " [\\d,]+/([\\d,]+) chips \\(\\d+%\\)").matcher(evaluate.err());
            assertTrue(counted.find(), "no progress line " + extra + ":\n" + evaluate.err());
            assertTrue(evaluate.err().contains("EvaluateCommand - evaluating last.ckpt: " + counted.group(1)
                    + " chips in "), "no summary line " + extra + ":\n" + evaluate.err());
        }
    }
}
