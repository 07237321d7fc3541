package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.training.dataset.ArrayDataset;
import io.geolightning.trainer.callbacks.BackboneFinetuning;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lightning's BackboneFinetuning on an MLP (backbone = every layer but the last): while frozen the backbone's weights
 * do not move and the head's do; from the unfreeze epoch on both move; afterwards the network is trainable again.
 */
class BackboneFinetuningTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(3, 1.0).trainSplit(128, 1, 16).valSplit(32, 2, 32);

    /** Weights of the backbone's first array and the head's at every epoch start and at the end of fit. */
    private static final class Snapshots implements Callback {
        final List<float[]> backbone = new ArrayList<>();
        final List<float[]> head = new ArrayList<>();

        @Override
        public void onTrainEpochStart(Trainer trainer, LightningModule module) {
            take(module);
        }

        @Override
        public void onFitEnd(Trainer trainer, LightningModule module) {
            take(module);
        }

        private void take(LightningModule module) {
            backbone.add(module.backboneParameters().get(0).getArray().toFloatArray());
            var children = module.getBlock().getChildren().values();
            head.add(children.get(children.size() - 1).getParameters().get(0).getValue().getArray().toFloatArray());
        }
    }

    @Test
    void theBackboneLearnsOnlyFromTheUnfreezeEpoch() {
        ArrayDataset train = BLOBS.train();
        Snapshots s = new Snapshots();
        try (MlpModule module = new MlpModule(8, 3, () -> Adam.builder().lr(0.05).build())) {
            // a backbone array that was not trainable before (as batch-norm running statistics are not) must stay so:
            // unfreezing gives gradients back only to what the callback froze
            Parameter fixed = module.backboneParameters().get(1);
            fixed.freeze(true);
            Trainer trainer = Trainer.builder().maxEpochs(3).enableProgressBar(false)
                    .callbacks(new BackboneFinetuning(2), s).build();
            trainer.fit(module, train, null);
            assertFalse(fixed.requiresGradient(), "left as it was: " + fixed.getName());
            fixed.freeze(false);
            // snapshots: start of epochs 0, 1, 2 and the end
            assertArrayEquals(s.backbone.get(0), s.backbone.get(1), "epoch 0: backbone frozen");
            assertArrayEquals(s.backbone.get(1), s.backbone.get(2), "epoch 1: backbone frozen");
            assertFalse(java.util.Arrays.equals(s.backbone.get(2), s.backbone.get(3)), "epoch 2: backbone trained");
            assertFalse(java.util.Arrays.equals(s.head.get(0), s.head.get(1)), "epoch 0: the head trains");
            for (Parameter p : module.backboneParameters()) {
                assertTrue(p.requiresGradient(), "trainable again after fit: " + p.getName());
            }
        }
        assertThrows(TrainerException.class, () -> new BackboneFinetuning(-1));
        assertEquals(2, new BackboneFinetuning(2).unfreezeAtEpoch());
    }
}
