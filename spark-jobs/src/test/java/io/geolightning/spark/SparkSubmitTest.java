package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.TilingSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs as a user deploys them: Spark's own launcher class ({@code org.apache.spark.deploy.SparkSubmit}, what
 * {@code bin/spark-submit} runs) in a child JVM whose classpath is Spark's jars only (with Spark's log4j binding),
 * the application jar, and the project's runtime jars passed with {@code --jars} (minus Parquet, Hadoop, Jackson and
 * SLF4J, which Spark ships; see {@link SparkDistribution}). So GDAL, DJL/PyTorch and tiling's Parquet writer are
 * loaded through Spark's user class loader, against Spark's Parquet and Hadoop, as on a cluster.
 */
class SparkSubmitTest {

    @TempDir
    Path tmp;

    @Test
    void tileAndPredictThroughSparkSubmitWithUserJars() throws Exception {
        Path checkpoint = TinyCheckpoint.shared();
        Path list = SparkTestSupport.csv(tmp.resolve("scenes.csv"), "raster",
                List.of(SparkTestSupport.nbClip(1).toString(), "missing.tif"));

        Submitted tile = submit("tile", "--scenes", list.toString(), "--out", tmp.resolve("chips").toString(),
                "--labels", SparkTestSupport.nbLabels().toString(), "--label-field", "Quatreclasses", "--mode",
                "segmentation", "--classes", "1,2,3,4", "--ignore-value", "255", "--chip", "64", "--split", "random");
        assertEquals(0, tile.code(), tile.log());
        assertTrue(tile.out().contains("FAILED  ") && tile.out().contains("missing.tif: file not found"), tile.out());
        Path ref = tmp.resolve("ref-chips");
        TileJob.run(SparkTestSupport.spark(), new TileJob.Config(list, ref, new TilingSettings(
                SparkTestSupport.nbLabels().toString(), null, "Quatreclasses", "segmentation",
                List.of("1", "2", "3", "4"), null, 255, null, null, 64, null, null, null, "random", null, null, null,
                null, null), 1, false));
        assertEquals(StoreDigest.of(ref), StoreDigest.of(tmp.resolve("chips")));

        Submitted predict = submit("predict", "--checkpoint", checkpoint.toString(), "--scenes", list.toString(),
                "--out-dir", tmp.resolve("classified").toString());
        assertEquals(0, predict.code(), predict.log());
        assertTrue(predict.out().contains("classified 1 of 2 scene(s)"), predict.out());
        Path expected = tmp.resolve("in-process.tif");
        try (var model = io.geolightning.models.predict.TaskInferenceModel.fromCheckpoint(checkpoint);
             GeoRaster in = GeoRaster.open(SparkTestSupport.nbClip(1))) {
            new io.geolightning.models.predict.ScenePredictor(model).predict(in, expected,
                    io.geolightning.models.predict.PredictOptions.defaults());
        }
        try (GeoRaster a = GeoRaster.open(expected);
             GeoRaster b = GeoRaster.open(tmp.resolve("classified/23322E759967N_clipped_1m_1of2.tif"))) {
            assertArrayEquals(a.readAll().bytes(), b.readAll().bytes());
        }
        assertEquals(2, SparkTestSupport.spark().read().parquet(tmp.resolve("classified/summary.parquet").toString())
                .count());
    }

    record Submitted(int code, String out, String log) {
    }

    private Submitted submit(String... jobArgs) throws Exception {
        SparkDistribution d = SparkDistribution.fromTestClasspath();
        List<String> cmd = new ArrayList<>(d.java("-Xmx2g"));
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--class",
                SparkJobs.class.getName(), "--jars", String.join(",", d.userJars()), "--conf", "spark.ui.enabled=false",
                d.appJar(tmp).toString()));
        cmd.addAll(List.of(jobArgs));
        Path out = tmp.resolve(jobArgs[0] + ".out");
        Path log = tmp.resolve(jobArgs[0] + ".log");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile())
                .redirectError(log.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "spark-submit finished");
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        return new Submitted(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                logText.length() > 4000 ? logText.substring(logText.length() - 4000) : logText);
    }
}
