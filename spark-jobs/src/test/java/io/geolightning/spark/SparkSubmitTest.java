package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.TilingSettings;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs as a user deploys them: Spark's own launcher class ({@code org.apache.spark.deploy.SparkSubmit}, what
 * {@code bin/spark-submit} runs) in a child JVM whose classpath is Spark's jars only (with Spark's log4j binding),
 * the application jar, and the project's runtime jars passed with {@code --jars} (minus Parquet, Hadoop, Jackson and
 * SLF4J, which Spark ships). So GDAL, DJL/PyTorch and tiling's Parquet writer are loaded through Spark's user class
 * loader, against Spark's Parquet and Hadoop, as on a cluster.
 */
class SparkSubmitTest {

    /**
     * The project's runtime artifacts that a Spark 4.2.0 distribution ships itself, in the same versions (this
     * module pins Parquet and Hadoop to Spark's; the rest agree already): the overlap of {@code mvn dependency:list}
     * of spark-sql_2.13:4.2.0 with this module's runtime classpath. They are not passed with --jars.
     */
    static final List<String> SHIPPED_BY_SPARK = List.of("org.apache.parquet:parquet-hadoop",
            "org.apache.parquet:parquet-column", "org.apache.parquet:parquet-common", "org.apache.parquet:parquet-encoding",
            "org.apache.parquet:parquet-format-structures", "org.apache.parquet:parquet-jackson",
            "org.apache.hadoop:hadoop-client-api", "org.locationtech.jts:jts-core", "org.yaml:snakeyaml",
            "com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-annotations",
            "com.fasterxml.jackson.core:jackson-core", "com.google.code.gson:gson", "commons-codec:commons-codec",
            "org.apache.commons:commons-compress", "org.xerial.snappy:snappy-java", "com.github.luben:zstd-jni",
            "io.airlift:aircompressor", "javax.annotation:javax.annotation-api", "org.slf4j:slf4j-api");

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
                null), 1, false));
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
        List<String> runtime = List.of(Files.readString(Path.of("target/runtime-classpath.txt")).trim()
                .split(File.pathSeparator));
        List<String> userJars = runtime.stream().filter(j -> !SHIPPED_BY_SPARK.contains(groupArtifact(j))).toList();
        List<String> spark = new ArrayList<>();
        for (String e : testClasspath()) {
            String n = Path.of(e).getFileName().toString();
            if (userJars.contains(e) || e.endsWith("classes") || n.startsWith("junit-") || n.startsWith("opentest4j")
                    || n.startsWith("apiguardian") || n.startsWith("surefire") || n.startsWith("slf4j-simple")) {
                continue;
            }
            spark.add(e);
            if (n.startsWith("log4j-api-")) { // Spark's distribution binds SLF4J to log4j 2
                spark.add(e.replace("log4j-api", "log4j-slf4j2-impl"));
            }
        }
        Path app = appJar();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", String.join(File.pathSeparator, spark),
                "-Djava.library.path=" + Path.of(System.getProperty("geolightning.root"), "build", "native"),
                "-Dai.djl.offline=true"));
        cmd.addAll(ManagementArgs.addOpens());
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--class",
                SparkJobs.class.getName(), "--jars", String.join(",", userJars), "--conf", "spark.ui.enabled=false",
                app.toString()));
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

    /** @return "groupId:artifactId" of a jar in a Maven repository */
    static String groupArtifact(String jar) {
        Path artifactDir = Path.of(jar).getParent().getParent();
        String dir = artifactDir.getParent().toString();
        int repo = dir.indexOf("/repository/");
        String group = repo < 0 ? "" : dir.substring(repo + "/repository/".length()).replace('/', '.');
        return group + ":" + artifactDir.getFileName();
    }

    /** The test JVM's classpath entries, expanding surefire's manifest-only booter jar. */
    static List<String> testClasspath() throws IOException {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().startsWith("surefirebooter")) {
                try (java.util.jar.JarFile jf = new java.util.jar.JarFile(e)) {
                    String cp = jf.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String u : cp.trim().split("\\s+")) {
                        out.add(Path.of(java.net.URI.create(u)).toString());
                    }
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** The application jar: this module's classes. */
    private Path appJar() throws IOException {
        Path classes = Path.of("target/classes");
        Path jar = tmp.resolve("spark-jobs.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
