package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

/** A land-cover raster as labels, through the CLI and a YAML run: New Brunswick's polygons rasterised in the test. */
class RasterLabelsCliTest {

    @TempDir
    Path tmp;

    @Test
    void aLabelRasterTilesAndTrainsASegmentationRun() throws Exception {
        Path clip = CliRun.data("new-brunswick/23322E759967N_clipped_1m_1of2.tif");
        Path labels = tmp.resolve("landcover.tif");
        try (GeoRaster r = GeoRaster.open(clip)) {
            Envelope b = r.bounds();
            Process p = new ProcessBuilder("gdal_rasterize", "-q", "-a", "Quatreclasses", "-init", "0", "-ot", "Byte",
                    "-te", "" + b.getMinX(), "" + b.getMinY(), "" + b.getMaxX(), "" + b.getMaxY(), "-ts",
                    "" + r.width(), "" + r.height(), CliRun.data("new-brunswick/BakerLake_2017_clipped.gpkg").toString(),
                    labels.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
        }
        CliRun t = CliRun.of("tile", "--raster", clip, "--labels", labels, "--mode", "segmentation", "--classes",
                "1,2,3,4", "--ignore-value", 255, "--chip", 64, "--split", "random", "--out", tmp.resolve("chips"));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("classes:    [background, 1, 2, 3, 4]"), t.out());

        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n",
                "name: nb", "runs: " + tmp.resolve("runs"), "seed: 3",
                "model: {architecture: unet, options: {width: 8, depth: 2, loss: dice_ce}}",
                "data: {raster: " + clip + ", labels: " + labels + ", mode: segmentation, classes: {1: wetland, 2:"
                        + " forest, 3: water, 4: open}, ignoreValue: 255, chipSize: 64, split: random, batchSize: 8}",
                "trainer: {maxEpochs: 1, numSanityValSteps: 0}", ""));
        CliRun train = CliRun.of("train", "--config", yaml);
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.exists(tmp.resolve("runs/nb/version_0/checkpoints/last.ckpt")), train.out());
        CliRun info = CliRun.of("info", tmp.resolve("runs/nb/version_0/checkpoints/last.ckpt"));
        assertTrue(info.out().contains("[background, wetland, forest, water, open]"), "YAML value names: " + info.out());
        CliRun byName = CliRun.of("tile", "--raster", clip, "--labels", labels, "--mode", "segmentation", "--classes",
                "1=wetland,2=forest,3=water,4=open", "--ignore-value", 255, "--chip", 64, "--split", "random", "--out",
                tmp.resolve("named-chips"));
        assertEquals(0, byName.code(), byName.err());
        assertTrue(byName.out().contains("classes:    [background, wetland, forest, water, open]"), byName.out());
        CliRun mixed = CliRun.of("tile", "--raster", clip, "--labels", labels, "--mode", "segmentation", "--classes",
                "1=wetland,forest", "--out", tmp.resolve("never"));
        assertEquals(2, mixed.code(), mixed.err());
        assertTrue(mixed.errorLine().contains("--classes 1=wetland,forest: 'forest' is not value=name"),
                mixed.errorLine());

        // last year's classified output as this year's labels: the class names come from its CLASS_n tags
        Path classified = tmp.resolve("olinda-classes.tif");
        CliRun p = CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", BadInputs.RASTER, "--out",
                classified);
        assertEquals(0, p.code(), p.err());
        Path tta = tmp.resolve("olinda-tta.tif");
        CliRun t8 = CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", BadInputs.RASTER, "--out",
                tta, "--tta");
        assertEquals(0, t8.code(), t8.err());
        try (GeoRaster a = GeoRaster.open(classified); GeoRaster b = GeoRaster.open(tta)) {
            byte[] x = a.readAll().bytes();
            byte[] y = b.readAll().bytes();
            long same = 0;
            for (int i = 0; i < x.length; i++) {
                same += x[i] == y[i] ? 1 : 0;
            }
            assertTrue(same > 0.8 * x.length, "test-time augmentation mostly agrees: " + (double) same / x.length);
        }
        CliRun again = CliRun.of("tile", "--raster", BadInputs.RASTER, "--labels", classified, "--chip", 16, "--out",
                tmp.resolve("olinda-chips"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("classes:    [RURAL, URBANO]"), again.out());

        CliRun bad = CliRun.of("tile", "--raster", clip, "--labels", labels, "--mode", "segmentation", "--classes",
                "1,2", "--out", tmp.resolve("never"));
        assertEquals(1, bad.code());
        assertTrue(bad.errorLine().startsWith("error: landcover.tif: the label raster holds values [3, 4] not among"
                + " the classes [1, 2]"), bad.errorLine());
        assertFalse(Files.exists(tmp.resolve("never")));
        CliRun ignored = CliRun.of("tile", "--raster", clip, "--labels", labels, "--mode", "segmentation", "--classes",
                "1,2", "--unknown", "ignore", "--ignore-value", 255, "--chip", 64, "--split", "random", "--out",
                tmp.resolve("two-classes"));
        assertEquals(0, ignored.code(), ignored.err());
        assertTrue(ignored.out().contains("classes:    [background, 1, 2]"), ignored.out());
        CliRun maybe = CliRun.of("tile", "--raster", clip, "--labels", labels, "--mode", "segmentation", "--unknown",
                "maybe", "--out", tmp.resolve("never"));
        assertEquals(2, maybe.code());
        assertTrue(maybe.errorLine().contains("--unknown maybe: use error or ignore"), maybe.errorLine());
        assertFalse(Files.exists(tmp.resolve("never")));
    }
}
