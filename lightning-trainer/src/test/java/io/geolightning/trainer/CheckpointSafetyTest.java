package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geolightning.trainer.callbacks.Mode;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.foundation.fuzz.ZipEdits;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What resuming and reading untrusted checkpoints may never do: delete files the run did not write, or read
 * unbounded amounts of data.
 */
class CheckpointSafetyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Scores per validation epoch: improving after epoch 2 so a resumed run evicts what it restored. */
    private static final double[] SCRIPT = {0.9, 0.5, 0.7, 0.3, 0.2, 0.1};
    private static final String TEMPLATE = "epoch={epoch}-score={score:.2f}";
    private static final String STATE_KEY = "ModelCheckpoint{score," + TEMPLATE + "}";

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.5).trainSplit(64, 21, 32).valSplit(32, 22, 32);

    private static ModelCheckpoint checkpoint(Path dir) {
        return ModelCheckpoint.builder().dirpath(dir).monitor("score").mode(Mode.MIN).saveTopK(1).saveLast(true)
                .filename(TEMPLATE).build();
    }

    private static void fit(ModelCheckpoint ckpt, int epochs, Path resumeFrom) {
        try (MlpModule m = new CheckpointResumeTest.ScriptedModule(SCRIPT)) {
            Trainer.builder().maxEpochs(epochs).callbacks(ckpt).numSanityValSteps(0).ckptPath(resumeFrom)
                    .limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build()
                    .fit(m, BLOBS.train(), BLOBS.val());
        }
    }

    private static Path firstRun(Path dir) {
        fit(checkpoint(dir), 2, null);
        Path best = dir.resolve("epoch=1-score=0.50.ckpt");
        assertTrue(Files.isRegularFile(best));
        assertTrue(Files.isRegularFile(dir.resolve("last.ckpt")));
        assertTrue(Files.notExists(dir.resolve("epoch=0-score=0.90.ckpt")), "the first run evicts its own worse file");
        return best;
    }

    @Test
    void resumingInAnotherFolderNeverDeletesTheEarlierRunsCheckpoints(@TempDir Path tmp) throws IOException {
        Path runA = tmp.resolve("version_0");
        Path best = firstRun(runA);
        byte[] before = Files.readAllBytes(best);
        Path runB = tmp.resolve("version_1");
        ModelCheckpoint resumed = checkpoint(runB);
        fit(resumed, SCRIPT.length, best);
        assertTrue(Files.isRegularFile(best), "the checkpoint resumed from was deleted");
        assertTrue(Files.isRegularFile(runA.resolve("last.ckpt")), "the earlier run's last.ckpt was deleted");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(best)));
        // the resumed run keeps its own top-1 in its own folder and deletes only what it wrote itself
        assertEquals(runB.resolve("epoch=5-score=0.10.ckpt"), resumed.bestModelPath());
        try (var s = Files.list(runB)) {
            assertEquals(List.of("epoch=5-score=0.10.ckpt", "last.ckpt"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void resumingInTheSameFolderRanksButNeverDeletesRestoredFiles(@TempDir Path tmp) {
        Path best = firstRun(tmp);
        fit(checkpoint(tmp), SCRIPT.length, best);
        assertTrue(Files.isRegularFile(best), "the restored best checkpoint was deleted by the resumed run");
        assertTrue(Files.isRegularFile(tmp.resolve("epoch=5-score=0.10.ckpt")));
        // its own evicted files (0.30, 0.20) are gone; 0.70 never ranked above the restored 0.50
        assertTrue(Files.notExists(tmp.resolve("epoch=3-score=0.30.ckpt")));
        assertTrue(Files.notExists(tmp.resolve("epoch=4-score=0.20.ckpt")));
        assertTrue(Files.notExists(tmp.resolve("epoch=2-score=0.70.ckpt")));
    }

    @Test
    void aCraftedCallbackStateCannotDeleteArbitraryFiles(@TempDir Path tmp) throws IOException {
        Path best = firstRun(tmp.resolve("run"));
        Path victimText = Files.writeString(tmp.resolve("notes.txt"), "precious");
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Path victimCkpt = Files.writeString(outside.resolve("other.ckpt"), "precious");
        Path runB = Files.createDirectories(tmp.resolve("run2"));
        Path foreignInRunFolder = Files.writeString(runB.resolve("foreign.ckpt"), "precious");
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put(victimText.toString(), 9.0);
        kept.put(victimCkpt.toString(), 9.0);
        kept.put("../elsewhere/other.ckpt", 9.0);
        kept.put(foreignInRunFolder.toString(), 9.0); // resolves inside the run folder, but this run did not write it
        Path crafted = tmp.resolve("crafted.ckpt");
        rewriteMeta(best, crafted, meta -> {
            ObjectNode state = ((ObjectNode) meta.get("callbacks")).putObject(STATE_KEY);
            state.set("kept", JSON.valueToTree(kept));
            state.put("bestModelPath", victimText.toString());
            return meta;
        });
        fit(checkpoint(runB), SCRIPT.length, crafted);
        for (Path p : List.of(victimText, victimCkpt, foreignInRunFolder)) {
            assertEquals("precious", Files.readString(p), p + " was touched");
        }
        assertTrue(Files.isRegularFile(runB.resolve("epoch=5-score=0.10.ckpt")));
    }

    @Test
    void unknownEntriesAreNeverRead(@TempDir Path tmp) throws IOException {
        Path best = firstRun(tmp.resolve("run"));
        Path padded = tmp.resolve("padded.ckpt");
        ZipEdits.copy(best, padded, null, zip -> ZipEdits.zeros(zip, "junk.bin", 512L << 20));
        assertTrue(Files.size(padded) < 4L << 20, "the bomb should be small on disk");
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        var loaded = CheckpointIO.read(padded);
        assertEquals(2, loaded.meta().epoch());
        long grew = rt.totalMemory() - rt.freeMemory() - usedBefore;
        assertTrue(grew < 256L << 20, "reading meta.json of a padded checkpoint used " + (grew >> 20) + " MiB");
        fit(checkpoint(tmp.resolve("run2")), 3, padded); // and it still resumes
    }

    @Test
    void oversizedKnownEntriesFailWithOneLine(@TempDir Path tmp) throws IOException {
        Path best = firstRun(tmp.resolve("run"));
        Path bomb = tmp.resolve("bomb.ckpt");
        ZipEdits.copy(best, bomb, "model.params", zip -> ZipEdits.zeros(zip, "model.params", 512L << 20));
        TrainerException e = assertThrows(TrainerException.class, () -> fit(checkpoint(tmp.resolve("r2")), 3, bomb));
        assertEquals(1, e.getMessage().lines().count());
        // the weights are streamed: a zero-filled entry fails at its first array header, before any allocation
        assertTrue(e.getMessage().startsWith(bomb + ": model.params is damaged (")
                || e.getMessage().startsWith(bomb + ": not a valid checkpoint: entry model.params holds more than"),
                e.getMessage());

        Path optBomb = tmp.resolve("optbomb.ckpt");
        ZipEdits.copy(best, optBomb, "optimizer-0.ndlist", zip -> ZipEdits.zeros(zip, "optimizer-0.ndlist", 512L << 20));
        e = assertThrows(TrainerException.class, () -> fit(checkpoint(tmp.resolve("r3")), 3, optBomb));
        assertTrue(e.getMessage().startsWith(optBomb + ": not a valid checkpoint: entry optimizer-0.ndlist holds"),
                e.getMessage());

        Path metaBomb = tmp.resolve("metabomb.ckpt");
        ZipEdits.copy(best, metaBomb, "meta.json", zip -> {
            zip.putNextEntry(new ZipEntry("meta.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 80; i++) {
                zip.write(spaces);
            }
            zip.closeEntry();
        });
        e = assertThrows(TrainerException.class, () -> CheckpointIO.read(metaBomb));
        assertTrue(e.getMessage().startsWith(metaBomb + ": not a valid checkpoint: entry meta.json holds"),
                e.getMessage());
    }

    @Test
    void metadataThatDisagreesWithTheWeightsIsInconsistent(@TempDir Path tmp) throws IOException {
        Path best = firstRun(tmp.resolve("run"));
        Path huge = tmp.resolve("huge.ckpt");
        rewriteMeta(best, huge, meta -> {
            ((ObjectNode) meta.get("parameters").get(0)).set("shape", JSON.valueToTree(new long[] {1L << 40, 1L << 40}));
            return meta;
        });
        TrainerException e = assertThrows(TrainerException.class, () -> CheckpointIO.read(huge));
        assertTrue(e.getMessage().startsWith(huge + ": checkpoint is inconsistent: meta.json declares parameter '"),
                e.getMessage());

        Path badType = tmp.resolve("type.ckpt");
        rewriteMeta(best, badType, meta -> {
            ((ObjectNode) meta.get("parameters").get(0)).put("dataType", "QUATERNION");
            return meta;
        });
        e = assertThrows(TrainerException.class, () -> CheckpointIO.read(badType));
        assertTrue(e.getMessage().contains("has unknown type 'QUATERNION'"), e.getMessage());
    }

    // ---- fixtures: rewritten copies of a real checkpoint ----

    static void rewriteMeta(Path from, Path to, UnaryOperator<ObjectNode> edit) throws IOException {
        ObjectNode meta = (ObjectNode) JSON.readTree(ZipEdits.read(from, "meta.json"));
        ZipEdits.replace(from, to, "meta.json", JSON.writeValueAsBytes(edit.apply(meta)));
    }
}
