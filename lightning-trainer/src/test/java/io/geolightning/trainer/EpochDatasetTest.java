package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Progress;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer asks an {@link EpochDataset} for the batches of the epoch it runs, and a run resumed from a mid-epoch
 * checkpoint asks for the resumed epoch from the batch the checkpoint stopped at, instead of producing and dropping
 * the batches before it.
 */
class EpochDatasetTest {

    /** Delivers a plain dataset's batches, recording what the trainer asked for. */
    static final class Recording implements EpochDataset {
        final ArrayDataset data;
        final List<String> requests = new ArrayList<>();
        int produced;
        int closed;
        Map<String, String> order;

        Recording(ArrayDataset data) {
            this.data = data;
        }

        @Override
        public Iterable<Batch> epochData(NDManager manager, int epoch, int fromBatch) {
            requests.add(epoch + "@" + fromBatch);
            return () -> {
                Iterator<Batch> all;
                try {
                    all = data.getData(manager).iterator();
                } catch (IOException | ai.djl.translate.TranslateException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < fromBatch && all.hasNext(); i++) {
                    all.next().close(); // the ArrayDataset cannot seek; what counts is what the trainer asked for
                }
                return new CloseableIterator() {
                    @Override
                    public void close() {
                        closed++;
                    }

                    @Override
                    public boolean hasNext() {
                        return all.hasNext();
                    }

                    @Override
                    public Batch next() {
                        produced++;
                        return all.next();
                    }
                };
            };
        }

        @Override
        public Map<String, String> order() {
            return order;
        }

        @Override
        public Iterable<Batch> getData(NDManager manager) {
            return epochData(manager, 0, 0);
        }

        @Override
        public void prepare(Progress progress) {
        }
    }

    interface CloseableIterator extends Iterator<Batch>, AutoCloseable {
        @Override
        void close();
    }

    /** Records the batch indices trained, and saves a checkpoint after batch 2 of epoch 1 once. */
    static final class MidEpochSaver implements Callback {
        final Path file;
        final List<String> trained = new ArrayList<>();

        MidEpochSaver(Path file) {
            this.file = file;
        }

        @Override
        public void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {
            trained.add(trainer.currentEpoch() + ":" + batchIdx);
            if (file != null && trainer.currentEpoch() == 1 && batchIdx == 2) {
                trainer.saveCheckpoint(file);
            }
        }
    }

    @Test
    void trainerAsksForEachEpochAndResumesAtTheCheckpointsBatch(@TempDir Path tmp) {
        Path mid = tmp.resolve("mid.ckpt");
        try (NDManager data = NDManager.newBaseManager()) {
            ArrayDataset val = Blobs.make(data, 64, 4, 1.0, 2, 32, false);
            Recording full = new Recording(Blobs.make(data, 256, 4, 1.0, 1, 32, false));
            MidEpochSaver saver = new MidEpochSaver(mid);
            try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(1e-2).build())) {
                Trainer.builder().maxEpochs(3).callbacks(saver).enableProgressBar(false).build().fit(m, full, val);
            }
            // the last three requests are the three epochs, each from its first batch
            assertEquals(List.of("0@0", "1@0", "2@0"), full.requests.subList(full.requests.size() - 3,
                    full.requests.size()));
            assertEquals(24, saver.trained.size());
            assertEquals(full.requests.size(), full.closed, "every iterator the trainer opened was closed");

            // stopping early (limitTrainBatches) closes the epoch's iterator too, so a loader stops reading ahead
            Recording limited = new Recording(Blobs.make(data, 256, 4, 1.0, 1, 32, false));
            try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(1e-2).build())) {
                Trainer.builder().maxEpochs(2).limitTrainBatches(BatchLimit.count(3)).enableProgressBar(false).build()
                        .fit(m, limited, val);
            }
            assertEquals(limited.requests.size(), limited.closed);

            Recording resumed = new Recording(Blobs.make(data, 256, 4, 1.0, 1, 32, false));
            MidEpochSaver after = new MidEpochSaver(null);
            try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(1e-2).build())) {
                Trainer.builder().maxEpochs(3).ckptPath(mid).callbacks(after).enableProgressBar(false).build()
                        .fit(m, resumed, val);
            }
            assertEquals(resumed.requests.size(), resumed.closed, "every iterator the trainer opened was closed");
            assertEquals(List.of("1@3", "2@0"), resumed.requests.subList(resumed.requests.size() - 2,
                    resumed.requests.size()));
            List<String> expected = new ArrayList<>();
            for (int b = 3; b < 8; b++) {
                expected.add("1:" + b);
            }
            for (int b = 0; b < 8; b++) {
                expected.add("2:" + b);
            }
            assertEquals(expected, after.trained, "the resumed epoch trains batches 3..7, then a whole epoch");
        }
    }

    /**
     * A mid-epoch checkpoint records what decided its epoch's order ({@link EpochDataset#order()}); a resume whose
     * dataset would draw another order (another seed here) is refused before the resumed epoch trains a batch, while
     * the same order resumes.
     */
    @Test
    void aMidEpochCheckpointResumesOnlyInItsOrder(@TempDir Path tmp) {
        Path mid = tmp.resolve("mid.ckpt");
        try (NDManager data = NDManager.newBaseManager()) {
            ArrayDataset val = Blobs.make(data, 64, 4, 1.0, 2, 32, false);
            fitOrdered(data, val, "1", Trainer.builder().maxEpochs(2).callbacks(new MidEpochSaver(mid)));
            assertEquals(Map.of("seed", "1"), io.geolightning.trainer.checkpoint.CheckpointIO.read(mid).meta()
                    .dataOrder());
            MidEpochSaver trained = new MidEpochSaver(null);
            TrainerException e = assertThrows(TrainerException.class, () -> fitOrdered(data, val, "2",
                    Trainer.builder().maxEpochs(2).ckptPath(mid).callbacks(trained)));
            assertEquals("ckptPath", e.setting());
            assertEquals("ckptPath " + mid + ": saved after batch 3 of epoch 1, whose batch order this run's data"
                    + " would change (seed 1 -> 2): resuming there would train some of the epoch's samples twice and"
                    + " skip others; resume with the data settings that saved it, or from a checkpoint saved at an"
                    + " epoch's end", e.getMessage());
            assertEquals(List.of(), trained.trained, "nothing trained");
            MidEpochSaver resumed = new MidEpochSaver(null);
            fitOrdered(data, val, "1", Trainer.builder().maxEpochs(2).ckptPath(mid).callbacks(resumed));
            assertEquals(5, resumed.trained.size(), "the same order resumes: batches 3..7 of epoch 1");
        }
    }

    /** Fits a small MLP on blobs whose order is the {@code seed} given. */
    private static void fitOrdered(NDManager data, ArrayDataset val, String seed, Trainer.Builder trainer) {
        Recording train = new Recording(Blobs.make(data, 256, 4, 1.0, 1, 32, false));
        train.order = Map.of("seed", seed);
        try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(1e-2).build())) {
            trainer.enableProgressBar(false).build().fit(m, train, val);
        }
    }
}
