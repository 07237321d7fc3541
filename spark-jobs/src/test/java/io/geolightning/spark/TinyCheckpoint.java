package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.app.cli.GeoLightningCli;
import io.geolightning.foundation.FileTrees;
import io.geolightning.tiling.TilingSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test fixture: a small U-Net (width 8, depth 2, 64 px chips, 3 bands, classes background + New Brunswick's 1-4)
 * trained for one epoch by the single-machine CLI on the chips the Spark tile job cut from the two New Brunswick
 * clips. Cheap (seconds), and a real checkpoint as users get it.
 */
final class TinyCheckpoint {
    private static Path cached;

    private TinyCheckpoint() {
    }

    /** @return the checkpoint, trained once per JVM into a temporary folder removed at exit */
    static synchronized Path shared() throws IOException {
        if (cached == null) {
            Path dir = Files.createTempDirectory("tiny-checkpoint");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(dir)));
            cached = train(dir);
        }
        return cached;
    }

    static Path train(Path dir) throws IOException {
        Path list = SparkTestSupport.csv(dir.resolve("nb.csv"), "raster",
                List.of(SparkTestSupport.nbClip(1).toString(), SparkTestSupport.nbClip(2).toString()));
        TilingSettings nb = new TilingSettings(SparkTestSupport.nbLabels().toString(), null, "Quatreclasses",
                "segmentation", List.of("1", "2", "3", "4"), null, 255, null, null, 64, 32, null, null, "random",
                null, null, null, null, null);
        Path chips = dir.resolve("nb-chips");
        TileJob.run(SparkTestSupport.spark(), new TileJob.Config(list, chips, nb, 1, false));
        Path yaml = Files.writeString(dir.resolve("run.yaml"), String.join("\n",
                "name: nb",
                "runs: " + dir.resolve("runs"),
                "seed: 42",
                "model:",
                "  architecture: unet",
                "  options: {width: 8, depth: 2}",
                "  ignoreIndex: 255",
                "data:",
                "  chips: " + chips,
                "  batchSize: 8",
                "  workers: 1",
                "trainer:",
                "  maxEpochs: 2",
                "  numSanityValSteps: 0",
                "callbacks:",
                "  checkpoint: {saveLast: true}",
                "  earlyStopping: {enabled: false}",
                "optimizer: {name: adam, lr: 0.01}", ""));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GeoLightningCli.execute(new String[] {"train", "--config", yaml.toString()}, new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
        try (Stream<Path> s = Files.list(dir.resolve("runs/nb/version_0/checkpoints"))) {
            return s.filter(p -> p.getFileName().toString().equals("last.ckpt")).findFirst().orElseThrow();
        }
    }
}
