package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose java.library.path lacks the GDAL JNI library: the job fails with one line that names the node, its
 * library path and how to ship the library to the executors (a child JVM running the job's main, local[1]).
 */
class NativeLibraryTest {

    @TempDir
    Path tmp;

    @Test
    void executorWithoutGdalFailsTheJobWithTheFix() throws Exception {
        Path list = SparkTestSupport.csv(tmp.resolve("scenes.csv"), "raster",
                List.of(SparkTestSupport.data("olinda/L7_ETMs.tif").toString()));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.library.path=/nonexistent");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=off");
        cmd.addAll(ManagementArgs.addOpens());
        cmd.addAll(List.of(SparkJobs.class.getName(), "tile", "--scenes", list.toString(), "--out",
                tmp.resolve("chips").toString(), "--labels", SparkTestSupport.data("olinda/olinda1.shp").toString(),
                "--label-field", "TIPO", "--chip", "32", "--master", "local[1]", "--conf", "spark.ui.enabled=false"));
        Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8).trim();
        assertEquals(SparkJobs.FAILURE, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: executor on "), err);
        assertTrue(err.contains(": GDAL native library libgdalalljni.so not found on java.library.path (/nonexistent);"
                + " build it with scripts/setup"), err);
        assertTrue(err.contains("--conf spark.executor.extraLibraryPath=<repo>/build/native"), err);
        assertTrue(!Files.exists(tmp.resolve("chips/chips.json")), "nothing published");
    }
}
