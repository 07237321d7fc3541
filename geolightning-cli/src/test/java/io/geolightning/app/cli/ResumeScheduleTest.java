package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed run continues its checkpoint's cosine learning-rate schedule, as PyTorch and Lightning restore a
 * scheduler's state: its length stays the one the checkpoint's run computed from its {@code trainer.maxEpochs}
 * (recomputed from another value, the learning rate jumped at the resume), and a run that outlasts it, training at
 * learning rate 0 past its end, is warned.
 */
class ResumeScheduleTest {

    @TempDir
    Path tmp;

    @Test
    void aResumedRunKeepsItsCheckpointsScheduleLength() throws Exception {
        Path runs = tmp.resolve("runs");
        String name = "callbacks.checkpoint.filename=\"e{epoch}\"";
        CliRun done = CliRun.of(MidEpochResumeTest.train(runs, name, "trainer.maxEpochs=3").toArray());
        assertEquals(0, done.code(), done.err());
        Path e0;
        try (Stream<Path> s = Files.list(runs.resolve("olinda/version_0/checkpoints"))) {
            e0 = s.filter(p -> !p.endsWith("last.ckpt") && CheckpointIO.read(p).meta().epoch() == 1).findFirst()
                    .orElseThrow(); // saved after epoch 0
        }
        long length = totalSteps(e0);
        assertEquals(0, length % 3, "3 epochs of whole steps: " + length);
        long perEpoch = length / 3;

        CliRun longer = CliRun.of(MidEpochResumeTest.train(runs, name, "trainer.ckptPath=" + e0,
                "trainer.maxEpochs=4").toArray());
        assertEquals(0, longer.code(), longer.err());
        assertTrue(longer.out().contains("warning: trainer.ckptPath " + e0 + ": its run's cosine learning-rate"
                + " schedule ends (at learning rate 0) after optimizer step " + length + " and this resumed run keeps"
                + " it, so the " + perEpoch + " steps trainer.maxEpochs 4 adds train at learning rate 0; to train"
                + " longer with a schedule of its own, start a new run from its weights (geolightning export, then"
                + " model.weights)\n"),
                longer.out());
        assertEquals(length, totalSteps(runs.resolve("olinda/version_1/checkpoints/last.ckpt")),
                "the schedule of 3 epochs continues (ending before the 4th), not one recomputed for 4");

        CliRun shorter = CliRun.of(MidEpochResumeTest.train(runs, name, "trainer.ckptPath=" + e0,
                "trainer.maxEpochs=2").toArray());
        assertEquals(0, shorter.code(), shorter.err());
        assertFalse(shorter.out().contains("warning"), shorter.out());
        assertEquals(length, totalSteps(runs.resolve("olinda/version_2/checkpoints/last.ckpt")),
                "the schedule of 3 epochs continues (stopping after 2), not one recomputed for 2");
    }

    private static long totalSteps(Path ckpt) {
        return TaskSettings.ofCheckpoint(ckpt, CheckpointIO.read(ckpt).meta()).optimizer().totalSteps();
    }
}
