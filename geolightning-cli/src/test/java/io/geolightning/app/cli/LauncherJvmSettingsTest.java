package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up settings (scripts/bench-cold-start measures them): short commands run on C1 only, every
 * command but train on the parallel collector with transparent huge pages where the kernel offers them; a collector
 * in JAVA_OPTS and the GEOLIGHTNING_* switches win. Read from the JVM itself (-XX:+PrintCommandLineFlags). Commands
 * that run networks run on tcmalloc where it is installed (read from the process's memory map by --version).
 */
class LauncherJvmSettingsTest {

    private static String flags(Path tmp, String name, List<String> args, Map<String, String> env) throws Exception {
        Launcher.Launch l = Launcher.run(tmp, name, args, env);
        assertEquals(0, l.code(), l.err());
        return l.out().lines().filter(s -> s.startsWith("-XX:")).findFirst().orElseThrow(
                () -> new AssertionError("no flags line:\n" + l.out() + l.err()));
    }

    private static Map<String, String> opts(String javaOpts, String... more) {
        Map<String, String> env = new HashMap<>(Map.of("JAVA_OPTS",
                "-Xmx2g -XX:+PrintCommandLineFlags " + javaOpts,
                "GEOLIGHTNING_QUICK_JIT", "", "GEOLIGHTNING_GC_TUNING", ""));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /**
     * {@code kill -9} of the launcher (a job runner's, Python's Popen.kill()) cannot be forwarded to java: java gets a
     * SIGTERM when the launcher's supervisor dies and stops, instead of running on, orphaned, to publish its output.
     */
    @Test
    void killingTheLauncherStopsJava(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("chips");
        Process launcher = Launcher.start(tmp, "killed", List.of("tile", "--raster", BadInputs.RASTER.toString(),
                "--labels", BadInputs.LABELS.toString(), "--label-field", "TIPO", "--chip", "4", "--stride", "1",
                "--workers", "1", "--out", store.toString()), Map.of());
        ProcessHandle jvm = null;
        for (int i = 0; i < 600 && jvm == null && launcher.isAlive(); i++) {
            jvm = launcher.descendants().filter(h -> h.info().command().orElse("").endsWith("java")).findFirst()
                    .orElse(null);
            Thread.sleep(50);
        }
        assertTrue(jvm != null, "no java under the launcher: " + Files.readString(tmp.resolve("killed.err")));
        Thread.sleep(1500); // java is tiling
        launcher.destroyForcibly(); // SIGKILL
        launcher.waitFor();
        try {
            assertTrue(jvm.onExit().completeOnTimeout(null, 60, java.util.concurrent.TimeUnit.SECONDS).get() != null
                    && !jvm.isAlive(), "java ran on after its launcher was killed");
        } finally {
            jvm.destroyForcibly();
        }
        assertFalse(Files.exists(store.resolve("chips.json")), "the killed tile published its store");
    }

    @Test
    void shortCommandsStartLeanAndTrainingKeepsTheJvmDefaults(@TempDir Path tmp) throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean hugePages = Files.isReadable(thp) && Files.readString(thp).matches("(?s).*\\[(always|madvise)].*");
        String info = flags(tmp, "info", List.of("info", BadInputs.RASTER.toString()), opts(""));
        assertTrue(info.contains("-XX:+UseParallelGC"), info);
        assertTrue(info.contains("-XX:TieredStopAtLevel=1"), info);
        assertEquals(hugePages, info.contains("-XX:+UseTransparentHugePages"), info);

        String tile = flags(tmp, "tile", List.of("tile", "--help"), opts(""));
        assertTrue(tile.contains("-XX:+UseParallelGC") && tile.contains("-XX:TieredStopAtLevel=1"), tile);
        String predict = flags(tmp, "predict", List.of("predict", "--help"), opts(""));
        assertTrue(predict.contains("-XX:+UseParallelGC"), predict);
        assertFalse(predict.contains("TieredStopAtLevel"), "predict keeps C2: " + predict);

        String train = flags(tmp, "train", List.of("train", "--help"), opts(""));
        assertFalse(train.contains("UseParallelGC") || train.contains("TieredStopAtLevel")
                || train.contains("UseTransparentHugePages"), train);
    }

    @Test
    void theUsersChoicesWin(@TempDir Path tmp) throws Exception {
        String g1 = flags(tmp, "g1", List.of("info", BadInputs.RASTER.toString()), opts("-XX:+UseG1GC"));
        assertTrue(g1.contains("-XX:+UseG1GC") && !g1.contains("UseParallelGC"), g1);
        String off = flags(tmp, "off", List.of("info", BadInputs.RASTER.toString()),
                opts("", "GEOLIGHTNING_GC_TUNING", "0"));
        assertFalse(off.contains("UseParallelGC") || off.contains("UseTransparentHugePages"), off);
        String c2 = flags(tmp, "c2", List.of("tile", "--help"), opts("", "GEOLIGHTNING_QUICK_JIT", "0"));
        assertFalse(c2.contains("TieredStopAtLevel"), c2);
        String c1 = flags(tmp, "c1", List.of("predict", "--help"), opts("", "GEOLIGHTNING_QUICK_JIT", "1"));
        assertTrue(c1.contains("-XX:TieredStopAtLevel=1"), c1);
    }

    @Test
    void networksRunOnTcmallocWhereItIsInstalled(@TempDir Path tmp) throws Exception {
        boolean installed = Stream.of("x86_64-linux-gnu", "aarch64-linux-gnu")
                .anyMatch(d -> Files.isReadable(Path.of("/usr/lib", d, "libtcmalloc_minimal.so.4")));
        String version = malloc(tmp, "version", List.of("--version"), Map.of());
        assertEquals(installed ? "tcmalloc" : "glibc", version, "scripts/setup installs libtcmalloc-minimal4");
        assertEquals("glibc", malloc(tmp, "system", List.of("train", "--version"), Map.of("GEOLIGHTNING_MALLOC", "system")));
        assertEquals("glibc", malloc(tmp, "tile", List.of("tile", "--version"), Map.of()), "tile keeps its cold start");
    }

    /** @return what {@code --version} says about the process's own malloc (read from its memory map) */
    private static String malloc(Path tmp, String name, List<String> args, Map<String, String> env) throws Exception {
        Launcher.Launch l = Launcher.run(tmp, name, args, env);
        assertEquals(0, l.code(), l.err());
        return l.out().lines().filter(s -> s.startsWith("native malloc: ")).map(s -> s.substring(15)).findFirst()
                .orElseThrow(() -> new AssertionError("no malloc line:\n" + l.out() + l.err()));
    }
}
