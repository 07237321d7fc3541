package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.app.cli.GeoLightningCli;
import io.geolightning.foundation.testing.Quadrants;
import io.geolightning.geo.GeoRaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predict job on a real standalone Spark cluster, not local[*]: a master and two workers (one core each) started
 * from Spark's own jars as separate JVMs on loopback, with a SPARK_HOME laid out from those jars so the workers launch
 * their executors as Spark does; the job is sent with {@code spark-submit --master spark://127.0.0.1:PORT}. While the
 * region's blocks are being predicted one worker is killed with its executor (SIGKILL); Spark reruns the lost tasks on
 * the other executor, the job completes, and the class raster equals the single-machine prediction pixel for pixel.
 * Before that, the tile job tiles the same region in blocks on the cluster into the chips of the single-machine
 * tiling. Every process is stopped at the end, whatever happens.
 */
class StandaloneClusterTest {

    private static final Pattern LOST = Pattern.compile("(?i)lost executor|executor \\d+ .*(lost|exited)|"
            + "ExecutorLostFailure|Removing executor");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @Test
    void regionJobsRunOnTheClusterAndPredictSurvivesALostWorker() throws Exception {
        Path checkpoint = TinyCheckpoint.shared();
        Path tiles = Quadrants.cut(SparkTestSupport.data("massachusetts/22978945_15.tif"), tmp.resolve("tiles"));
        Path single = tmp.resolve("single.tif");
        StringWriter err = new StringWriter();
        assertEquals(0, GeoLightningCli.execute(new String[] {"predict", "--checkpoint", checkpoint.toString(),
            "--raster", tiles.resolve("*.tif").toString(), "--out", single.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err)), err.toString());

        SparkDistribution d = SparkDistribution.fromTestClasspath();
        Path home = d.home(tmp.resolve("spark-home"));
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        try {
            Path masterLog = start(d, home, "master", "-Xmx512m", "org.apache.spark.deploy.master.Master", "--host",
                    "127.0.0.1", "--port", "" + port, "--webui-port", "" + freePort());
            awaitLog(masterLog, "I have been elected leader", 90);
            List<Path> workerLogs = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                workerLogs.add(start(d, home, "worker" + w, "-Xmx512m", "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", "" + freePort(),
                        "--work-dir", Files.createDirectories(tmp.resolve("work" + w)).toString(), master));
            }
            for (Path log : workerLogs) {
                awaitLog(log, "Successfully registered with master", 90);
            }
            // tile the region on the cluster: the chips of the single-machine tiling
            List<String> tiling = List.of("--raster", tiles.resolve("*.tif").toString(), "--labels",
                    SparkTestSupport.data("massachusetts/buildings_22978945_15.gpkg").toString(), "--mode",
                    "segmentation", "--chip", "64", "--split", "spatial", "--val", "0.2", "--block", "3");
            Path cliChips = tmp.resolve("cli-chips");
            List<String> cliTile = new ArrayList<>(List.of("tile", "--out", cliChips.toString()));
            cliTile.addAll(tiling);
            assertEquals(0, GeoLightningCli.execute(cliTile.toArray(String[]::new), new PrintWriter(new StringWriter()),
                    new PrintWriter(err)), err.toString());
            Path clusterChips = tmp.resolve("cluster-chips");
            List<String> tileJob = new ArrayList<>(List.of("tile", "--out", clusterChips.toString(), "--block-size",
                    "300"));
            tileJob.addAll(tiling);
            Path tileLog = submit(d, home, "tile-driver", master, tileJob);
            Process tileDriver = started.get(started.size() - 1);
            assertTrue(tileDriver.waitFor(300, TimeUnit.SECONDS), "the tile job finished: " + tail(tileLog));
            assertEquals(0, tileDriver.exitValue(), tail(tileLog));
            assertEquals(StoreDigest.of(cliChips), StoreDigest.of(clusterChips));

            Path out = tmp.resolve("cluster.tif");
            Path driverLog = submit(d, home, "driver", master, List.of("predict", "--checkpoint",
                    checkpoint.toString(), "--raster", tiles.resolve("*.tif").toString(), "--out", out.toString(),
                    "--block-size", "128",
                    // the test JVM's PyTorch threads: oneDNN's sums depend on the thread count in the last bits (with
                    // the executors' default, 1 of the region's 1.1 million pixels came out another class)
                    "--torch-threads", "" + ai.djl.pytorch.jni.JniUtils.getNumThreads()));
            Process driver = started.get(started.size() - 1);

            // kill worker 1 and its executor once blocks are being written, before the job is done
            Process worker1 = started.get(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            int blocksSeen = 0;
            while (System.nanoTime() < deadline && driver.isAlive() && blocksSeen < 3) {
                blocksSeen = blockFiles();
                Thread.sleep(100);
            }
            assertTrue(driver.isAlive() && blocksSeen >= 3, "the job was running when the worker was killed ("
                    + blocksSeen + " blocks): " + tail(driverLog));
            long killedChildren = worker1.descendants().count();
            worker1.descendants().forEach(ProcessHandle::destroyForcibly);
            worker1.destroyForcibly();
            assertTrue(killedChildren >= 1, "the worker ran an executor JVM");

            assertTrue(driver.waitFor(300, TimeUnit.SECONDS), "the job finished: " + tail(driverLog));
            String log = Files.readString(driverLog, StandardCharsets.UTF_8);
            assertEquals(0, driver.exitValue(), tail(driverLog));
            assertTrue(LOST.matcher(log).find(), "the driver saw the executor go: " + tail(driverLog));
            String stdout = Files.readString(tmp.resolve("driver.out"), StandardCharsets.UTF_8);
            assertTrue(stdout.contains("in 80 block(s)"), stdout);
            try (GeoRaster a = GeoRaster.open(single); GeoRaster b = GeoRaster.open(out)) {
                assertEquals(a.geoTransform(), b.geoTransform());
                byte[] x = a.readAll().bytes();
                byte[] y = b.readAll().bytes();
                int differ = 0;
                for (int i = 0; i < x.length; i++) {
                    differ += x[i] != y[i] ? 1 : 0;
                }
                assertEquals(0, differ, "pixels that differ from the single-machine prediction");
            }
            assertEquals(0, blockFiles(), "block folder removed");
        } finally {
            for (Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : started) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends a job to the cluster with spark-submit (client mode, the project's jars with --jars). */
    private Path submit(SparkDistribution d, Path home, String name, String master, List<String> job)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", master,
                "--deploy-mode", "client", "--class", SparkJobs.class.getName(), "--jars",
                String.join(",", d.userJars()), "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.executor.cores=1", "--conf", "spark.task.maxFailures=8", "--conf",
                "spark.executor.extraJavaOptions=-Djava.library.path=" + SparkDistribution.nativeLibraries()
                        + " -Dai.djl.offline=true",
                "--conf", "spark.executor.extraLibraryPath=" + SparkDistribution.nativeLibraries(),
                d.appJar(tmp).toString()));
        cmd.addAll(job);
        return start(d, home, name, "-Xmx2g", cmd.toArray(String[]::new));
    }

    /** Starts a JVM on Spark's jars with SPARK_HOME set; stdout to NAME.out, stderr (Spark's log) to NAME.log. */
    private Path start(SparkDistribution d, Path home, String name, String heap, String... mainAndArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>(d.java(heap));
        cmd.addAll(List.of(mainAndArgs));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // what bin/load-spark-env.sh sets in a distribution
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        started.add(pb.start());
        return log;
    }

    private int blockFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            int n = 0;
            for (Path dir : s.filter(p -> p.getFileName().toString().startsWith(".cluster.tif.blocks-")).toList()) {
                try (Stream<Path> f = Files.list(dir)) {
                    n += (int) f.filter(p -> p.getFileName().toString().matches("x\\d+_y\\d+\\.tif")).count();
                }
            }
            return n;
        }
    }

    private static void awaitLog(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(log.getFileName() + " never said '" + text + "': " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
