package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A callback monitoring a class's validation metric of a class the val split lacks (Olinda at 16 px, stride 8: no
 * RURAL chip among the val blocks) is refused before the run folder is made, in the key's words; the run failed after
 * making it, at the first epoch's end, telling the user to call log() in the module. A class the split holds passes.
 */
class MonitoredClassTest {

    @Test
    void aClassTheValSplitLacksCannotBeMonitored(@TempDir Path tmp) {
        Path chips = tmp.resolve("chips");
        CliRun tiled = CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--stride", 8, "--out", chips);
        assertEquals(0, tiled.code(), tiled.err());
        Path runs = tmp.resolve("runs");
        String line = fails(2, CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips,
                "--set", "runs=" + runs, "--set", "trainer.maxEpochs=1", "--set",
                "callbacks.earlyStopping.monitor=val_recall_rural"));
        assertEquals("error: --set callbacks.earlyStopping.monitor=val_recall_rural: the validation split holds no chip"
                + " or pixel of class 'RURAL', so its recall is never defined and its precision, F1 and IoU are 0 or"
                + " undefined at every validation; monitor val_loss or a class the split holds, or tile again with"
                + " another --seed or --block so that the val split holds some", line);
        assertFalse(Files.exists(runs), "no run folder");
        CliRun urban = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips,
                "--set", "runs=" + runs, "--set", "trainer.maxEpochs=1", "--set", "trainer.limitTrainBatches=2",
                "--set", "callbacks.earlyStopping.monitor=val_recall_urbano");
        assertEquals(0, urban.code(), urban.err());
        assertTrue(Files.isDirectory(runs));
    }
}
