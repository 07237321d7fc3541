package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by a validation in the middle of an epoch ({@code trainer.valCheckInterval: 0.5}) resumes
 * after the batches it had done; with another {@code data.batchSize} those are other samples, so the resume is refused
 * before the run folder is made instead of training some of the epoch's samples twice and skipping others.
 */
class MidEpochResumeTest {

    @TempDir
    Path tmp;

    /**
     * @param runs the runs folder
     * @param sets more {@code --set} values
     * @return the arguments of a train on the Olinda sample store, without augmentation, keeping every checkpoint
     */
    static List<Object> train(Path runs, String... sets) {
        List<Object> args = new java.util.ArrayList<>(List.of("train", "--config", CliRun.sample("run.yaml"), "--set",
                "data.chips=" + BadInputs.chips(), "--set", "runs=" + runs, "--set", "data.augment=false", "--set",
                "callbacks.checkpoint.saveTopK=-1"));
        for (String v : sets) {
            args.addAll(List.of("--set", v));
        }
        return args;
    }

    @Test
    void aMidEpochCheckpointIsNotResumedWithAnotherBatchSize() throws Exception {
        Path runs = tmp.resolve("runs");
        Object[] run = train(runs, "trainer.maxEpochs=1", "trainer.valCheckInterval=0.5",
                "callbacks.checkpoint.filename=\"e{epoch}-s{step}\"").toArray();
        CliRun first = CliRun.of(run);
        assertEquals(0, first.code(), first.err());
        Path mid;
        try (Stream<Path> s = Files.list(runs.resolve("olinda/version_0/checkpoints"))) {
            mid = s.filter(p -> CheckpointIO.read(p).meta().batchInEpoch() > 0).findFirst().orElseThrow();
        }
        CheckpointMeta meta = CheckpointIO.read(mid).meta();
        assertEquals(32, meta.batchSize(), "run.yaml's data.batchSize");
        List<Object> resume = new java.util.ArrayList<>(List.of(run));
        resume.addAll(List.of("--set", "trainer.ckptPath=" + mid, "--set", "data.batchSize=16"));
        BadInputs.fails(2, CliRun.of(resume.toArray()), "trainer.ckptPath=" + mid, ": saved after batch "
                + meta.batchInEpoch() + " of epoch 0 with data.batchSize 32, so this run's data.batchSize 16 would"
                + " train some of the epoch's samples twice and skip others; set data.batchSize 32, or resume from a"
                + " checkpoint saved at an epoch's end");
        assertFalse(Files.exists(runs.resolve("olinda/version_1")), "refused before the run folder is made");
        // another seed or reading mode draws the rest of the epoch in another order
        List<Object> reordered = new java.util.ArrayList<>(List.of(run));
        reordered.addAll(List.of("--set", "trainer.ckptPath=" + mid, "--set", "seed=7", "--set",
                "data.streaming=true"));
        BadInputs.fails(2, CliRun.of(reordered.toArray()), "trainer.ckptPath=" + mid, ": saved after batch "
                + meta.batchInEpoch() + " of epoch 0 with data.streaming false, seed 42, so this run's data.streaming"
                + " true, seed 7 would draw the rest of the epoch in another order, training some of its samples twice"
                + " and skipping others; set data.streaming false and seed 42, or resume from a checkpoint saved at an"
                + " epoch's end");
        assertEquals(java.util.Map.of("shuffle", "true", "streaming", "false", "seed", "42"), meta.dataOrder());
        assertFalse(Files.exists(runs.resolve("olinda/version_1")), "refused before the run folder is made");
        // a checkpoint saved at an epoch's end may change them: the next epoch draws a new order anyway
        List<Object> atEnd = new java.util.ArrayList<>(List.of(run));
        atEnd.addAll(List.of("--set", "trainer.ckptPath=" + runs.resolve("olinda/version_0/checkpoints/last.ckpt"),
                "--set", "seed=7", "--set", "data.streaming=true"));
        CliRun end = CliRun.of(atEnd.toArray());
        assertEquals(0, end.code(), end.err());
        resume.set(resume.size() - 1, "data.batchSize=32");
        CliRun same = CliRun.of(resume.toArray());
        assertEquals(0, same.code(), same.err());
        assertTrue(Files.exists(runs.resolve("olinda/version_2/checkpoints/last.ckpt")));
    }
}
