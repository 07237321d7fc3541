package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint names follow Lightning's {@code auto_insert_metric_name} (on by default): a Lightning template,
 * {@code {epoch}-{val_loss:.2f}}, names {@code epoch=1-val_loss=0.69.ckpt} as in Lightning, where it named
 * {@code 1-0.69.ckpt}; a field already written after its name is left as it is (Lightning would double it), and
 * {@code autoInsertMetricName(false)} writes the values alone.
 */
class CheckpointNameTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    @Test
    void namesAreInsertedAsLightningInsertsThem(@TempDir Path tmp) throws Exception {
        assertEquals(List.of("epoch=0-val_loss=V.ckpt", "epoch=1-val_loss=V.ckpt"),
                names(tmp.resolve("lightning"), "{epoch}-{val_loss:.2f}", true));
        assertEquals(List.of("epoch=0-step=4-val_loss=V.ckpt", "epoch=1-step=8-val_loss=V.ckpt"),
                names(tmp.resolve("mixed"), "epoch={epoch}-{step}-val_loss={val_loss:.2f}", true));
        assertEquals(List.of("0-V.ckpt", "1-V.ckpt"), names(tmp.resolve("off"), "{epoch}-{val_loss:.2f}", false));
    }

    /** @return the checkpoint names a 2-epoch fit (4 steps each) writes, the loss replaced by V */
    private static List<String> names(Path dir, String template, boolean autoInsert) throws Exception {
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(dir).monitor("val_loss").saveTopK(-1)
                .filename(template).autoInsertMetricName(autoInsert).build();
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
                Trainer trainer = Trainer.builder().maxEpochs(2).numSanityValSteps(0).callbacks(ckpt)
                        .enableProgressBar(false).build()) {
            trainer.fit(module, BLOBS.train(), BLOBS.val());
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString().replaceAll("\\d\\.\\d\\d\\.ckpt$", "V.ckpt")).sorted()
                    .toList();
        }
    }
}
