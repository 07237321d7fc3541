package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.assertNoTemporaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite: two commands started together that write one output without {@code --overwrite}. Both passed
 * the "output exists" check at their start, and the one that finished second replaced the other's output, exit 0:
 * an output replaced without --overwrite. Now one succeeds and the other fails in one line, as two tiles do
 * ({@code BadInputDataLossTest.concurrentTilesToOneNewStoreLeaveOneWholeStoreAndTheOtherFails}).
 */
class BadInputConcurrentWritersTest {

    @TempDir
    Path tmp;

    /** Runs both, asserts one succeeds and the other fails in one line naming the clash; @return the winner (0, 1). */
    private int oneWins(Object[] first, Object[] second, String out) throws Exception {
        BadInputs.Race race = BadInputs.race(tmp, "run", first, second);
        String line = race.loserLine();
        assertTrue(line.contains(": another command wrote it while this one ran; nothing of this")
                || line.contains(out + ": exists; pass --overwrite") || line.contains(out + ": output exists; pass"
                + " --overwrite"), line);
        return race.winner();
    }

    /** An npz and a safetensors export: the folder holds the winner's card and weights, and nothing of the other. */
    @Test
    void exportsStartedTogetherLeaveOneWholeExportAndTheOtherFails() throws Exception {
        Path out = tmp.resolve("export");
        Object[] npz = {"export", "--checkpoint", BadInputs.checkpoint(), "--out", out};
        Object[] safetensors = {"export", "--checkpoint", BadInputs.checkpoint(), "--format", "safetensors", "--out",
            out};
        int winner = oneWins(npz, safetensors, out.resolve("model.json").toString());
        String weights = winner == 0 ? "model.npz" : "model.safetensors";
        try (java.util.stream.Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("geolightning_models.py", "model.json", weights), s.map(f -> f.getFileName()
                    .toString()).sorted().toList(), "the winner's files only");
        }
        String card = Files.readString(out.resolve("model.json"));
        assertTrue(card.contains("\"" + weights + "\""), card);
        assertNoTemporaries(tmp);
    }

    @Test
    void predictsStartedTogetherLeaveOneWholeOutputAndTheOtherFails() throws Exception {
        Path out = tmp.resolve("classes.tif");
        Path small = tmp.resolve("small.tif");
        assertEquals(0, new ProcessBuilder("gdal_translate", "-q", "-srcwin", "0", "0", "120", "352",
                RASTER.toString(), small.toString()).inheritIO().start().waitFor());
        int winner = oneWins(new Object[] {"predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER,
            "--out", out}, new Object[] {"predict", "--checkpoint", BadInputs.checkpoint(), "--raster", small, "--out",
            out}, out.toString());
        try (io.geolightning.geo.GeoRaster r = io.geolightning.geo.GeoRaster.open(out)) {
            assertEquals(winner == 0 ? 349 : 120, r.width(), "the winner's raster");
        }
        String legend = Files.readString(tmp.resolve("classes.tif.aux.xml"));
        assertTrue(legend.contains("URBANO"), legend);
        assertNoTemporaries(tmp);
    }
}
