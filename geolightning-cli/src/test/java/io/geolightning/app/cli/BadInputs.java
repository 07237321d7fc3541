package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The bad-input suite's shared fixture and checks: one Olinda chip store and one trained checkpoint per test JVM, a
 * child-process CLI (for signals), and the assertions every case makes - the exit code, one {@code error:} line, no
 * stack trace, inputs unchanged and no temporary or partial output left.
 */
final class BadInputs {

    static final Path RASTER = CliRun.sample("olinda/L7_ETMs.tif");
    static final Path LABELS = CliRun.sample("olinda/olinda1.shp");

    private static Path root;
    private static Path chips;
    private static Path checkpoint;
    private static Path runs;

    private BadInputs() {
    }

    /** @return a folder for this JVM's fixture (under the module's target/, removed by mvn clean) */
    static synchronized Path root() {
        if (root == null) {
            try {
                Path target = Path.of(System.getProperty("geolightning.root"), "geolightning-cli", "target");
                root = Files.createTempDirectory(Files.isDirectory(target) ? target : Path.of("."), "bad-inputs-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** @return Olinda tiled into 16-pixel chips with train/val/test splits */
    static synchronized Path chips() {
        if (chips == null) {
            Path c = root().resolve("chips");
            CliRun r = CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                    "--stride", 8, "--val", 0.2, "--test", 0.2, "--out", c);
            assertEquals(0, r.code(), r.err());
            chips = c;
        }
        return chips;
    }

    /** @return the best checkpoint of a 2-epoch run on {@link #chips()} */
    static synchronized Path checkpoint() {
        if (checkpoint == null) {
            runs = root().resolve("runs");
            CliRun r = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips(),
                    "--set", "runs=" + runs, "--set", "trainer.maxEpochs=2", "--set", "data.augment=false");
            assertEquals(0, r.code(), r.err());
            try (Stream<Path> s = Files.list(runs.resolve("olinda/version_0/checkpoints"))) {
                checkpoint = s.filter(p -> !p.getFileName().toString().equals("last.ckpt")).findFirst().orElseThrow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return checkpoint;
    }

    /**
     * Asserts a user-facing failure: the exit code, exactly one {@code error: } line on stderr besides log lines, and
     * no stack trace.
     *
     * @return the error line
     */
    static String fails(int code, CliRun r) {
        assertEquals(code, r.code(), "exit code; stdout: " + r.out() + " stderr: " + r.err());
        String line = r.errorLine();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.startsWith("error: "), line);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), "no stack trace: " + r.err());
        return line;
    }

    /** Asserts a failure whose line contains every fragment. */
    static String fails(int code, CliRun r, String... fragments) {
        String line = fails(code, r);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' missing from: " + line);
        }
        return line;
    }

    /** @return a fingerprint of every file under {@code paths} (files or folders): relative name to SHA-256 */
    static Map<String, String> snapshot(Path... paths) {
        Map<String, String> out = new TreeMap<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    out.put(f.toAbsolutePath().toString(), sha256(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** @return the temporaries (hidden files ending like this project's temporaries) under {@code dir} */
    static List<Path> temporaries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(".") && (n.endsWith(".tmp") || n.endsWith(".part.tif") || n.endsWith(".cog.tif")
                        || n.endsWith(".old") || n.matches(".*\\.part\\.(gpkg|geojson|json|fgb)(-journal|-wal|-shm)?"));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertNoTemporaries(Path dir) {
        assertEquals(List.of(), temporaries(dir), "temporary files left in " + dir);
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CLI in a child JVM, as the launcher runs it: for signals and concurrent writers. */
    static Process start(Path workDir, Object... args) throws IOException {
        return launch(List.of(), workDir, List.of(), args);
    }

    /** {@link #start(Path, Object...)} with more JVM options (e.g. {@code -Djava.io.tmpdir=...}). */
    static Process start(Path workDir, List<String> jvmOptions, Object... args) throws IOException {
        return launch(List.of(), workDir, jvmOptions, args);
    }

    /** @return whether strace is installed, for {@link #startFailingRename} */
    static boolean hasStrace() {
        try {
            return new ProcessBuilder("strace", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * The CLI in a child JVM under strace, whose {@code n}-th and later rename(2) calls fail with ENOSPC, as on a
     * full disk (a rename that needs a new directory block); {@code last} false: only the {@code n}-th fails.
     */
    static Process startFailingRename(Path workDir, int n, boolean last, Object... args) throws IOException {
        return launch(List.of("strace", "-f", "-o", "/dev/null", "-e", "trace=rename", "-e",
                "inject=rename:error=ENOSPC:when=" + n + (last ? "+" : "")), workDir, List.of(), args);
    }

    /**
     * {@link #startFailingRename} for link(2), which publishes a command's new outputs when it may not replace files
     * (no {@code --overwrite}): its {@code n}-th and later calls (or only the {@code n}-th) fail with ENOSPC.
     */
    static Process startFailingLink(Path workDir, int n, boolean last, Object... args) throws IOException {
        return launch(List.of("strace", "-f", "-o", "/dev/null", "-e", "trace=link", "-e",
                "inject=link:error=ENOSPC:when=" + n + (last ? "+" : "")), workDir, List.of(), args);
    }

    private static Process launch(List<String> prefix, Path workDir, List<String> jvmOptions, Object... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "-Djava.library.path=" + System.getProperty("java.library.path"), "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "-Dai.djl.pytorch.num_threads=1"));
        cmd.addAll(jvmOptions);
        cmd.add(GeoLightningCli.class.getName());
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("child.out").toFile()).redirectError(workDir.resolve("child.err").toFile());
        pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX2");
        return pb.start();
    }

    /** Waits (at most 120 s) until a file matching the test exists under {@code dir}; false when the process ended. */
    static boolean awaitFile(Process p, Path dir, java.util.function.Predicate<Path> test) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    if (s.anyMatch(test)) {
                        return true;
                    }
                } catch (IOException | UncheckedIOException e) {
                    // a file vanished while walking: look again
                }
            }
            if (!p.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Waits (at most 300 s) for a child CLI and returns its one {@code error:} line, asserting the exit code. */
    static String childFails(int code, Process p, Path workDir) throws Exception {
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the CLI did not end");
        String err = Files.readString(workDir.resolve("child.err"));
        assertEquals(code, p.exitValue(), err);
        return fails(code, new CliRun(code, Files.readString(workDir.resolve("child.out")), err));
    }

    /**
     * The outcome of two writers of one output started together: which won (0 the first, 1 the second) and the
     * loser's error line.
     */
    record Race(int winner, String loserLine) {
    }

    /**
     * Starts two child CLIs together (in {@code <dir>/a-<tag>} and {@code b-<tag>}) and asserts that one succeeds and
     * the other fails with exit code 1 and one error line.
     */
    static Race race(Path dir, String tag, Object[] first, Object[] second) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a-" + tag));
        Path b = Files.createDirectories(dir.resolve("b-" + tag));
        Process p1 = start(a, first);
        Process p2 = start(b, second);
        int c1 = p1.waitFor();
        int c2 = p2.waitFor();
        String err1 = Files.readString(a.resolve("child.err"));
        String err2 = Files.readString(b.resolve("child.err"));
        assertTrue(c1 + c2 == 1, "one run succeeds, the other fails: " + c1 + "/" + c2 + " " + err1 + err2);
        return new Race(c1 == 0 ? 0 : 1, fails(1, new CliRun(1, "", c1 == 1 ? err1 : err2)));
    }

    /** Sends a signal (KILL, TERM, INT) and waits for the process to end. */
    static int signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI did not end on SIG" + signal);
        return p.exitValue();
    }
}
