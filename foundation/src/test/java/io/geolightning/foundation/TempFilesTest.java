package io.geolightning.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {

    @Test
    void publishedFilesFollowTheUmaskLikeAnyOtherOutput(@TempDir Path dir) throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x"); // what any tool gets: 0666 less the umask
        Path published = dir.resolve("metrics.csv");
        AtomicFiles.writeString(published, "a,b\n");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(published));
        assertEquals(expected, Files.getPosixFilePermissions(TempFiles.create(dir.resolve("x.ckpt"), ".tmp")));
        assertEquals("a,b\n", Files.readString(published));
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "only plain.txt, metrics.csv and the live temporary");
        }
    }

    @Test
    void staleTemporariesOfDeadProcessesAreRemovedLiveOnesKept(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.tif");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        Process live = new ProcessBuilder("sleep", "30").start();
        try {
            Path mine = TempFiles.create(target, ".part.tif");
            String host = mine.getFileName().toString().replaceAll("^\\.out\\.tif\\.\\d+@([^.]+)\\..*$", "$1");
            Path ofDead = Files.writeString(dir.resolve(".out.tif." + dead.pid() + "@" + host + ".0badc0de.part.tif"), "");
            Path ofLive = Files.writeString(dir.resolve(".out.tif." + live.pid() + "@" + host + ".00c0ffee.tmp"), "");
            Path otherHost = Files.writeString(dir.resolve(".out.tif." + dead.pid() + "@elsewhere.01234567.tmp"), "");
            Path otherOutput = Files.writeString(dir.resolve(".other.tif." + dead.pid() + "@" + host + ".89abcdef.tmp"), "");
            Path userFile = Files.writeString(dir.resolve(".out.tif.notes"), "");
            assertEquals(1, TempFiles.removeStale(target));
            assertFalse(Files.exists(ofDead));
            for (Path kept : List.of(mine, ofLive, otherHost, otherOutput, userFile)) {
                assertTrue(Files.exists(kept), kept + " must be kept");
            }
            Path ckptOfDead = Files.writeString(dir.resolve(".epoch=3.ckpt." + dead.pid() + "@" + host + ".a1b2c3d4.tmp"), "");
            assertEquals(2, TempFiles.removeStaleIn(dir), "the folder sweep takes any output's stale temporaries");
            assertFalse(Files.exists(ckptOfDead));
            assertFalse(Files.exists(otherOutput));
            for (Path kept : List.of(mine, ofLive, otherHost, userFile)) {
                assertTrue(Files.exists(kept), kept + " must be kept by the sweep");
            }
            TempFiles.discard(mine);
            assertFalse(Files.exists(mine));
            assertFalse(TempFiles.live().contains(mine));
        } finally {
            live.destroyForcibly();
        }
    }

    /** Any name the file system takes (255 bytes) gets a temporary that fits too, and is swept by its name. */
    @Test
    void longOutputNamesGetTemporariesThatFit(@TempDir Path dir) throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        for (String name : List.of("p".repeat(247) + ".tif", "\u00e1".repeat(118) + ".tif", "q".repeat(170))) {
            Path target = dir.resolve(name);
            Path tmp = TempFiles.create(target, ".cog.tif");
            String tmpName = tmp.getFileName().toString();
            assertTrue(tmpName.getBytes(StandardCharsets.UTF_8).length + ".aux.xml".length() <= 255, tmpName);
            Files.writeString(tmp.resolveSibling(tmpName + ".aux.xml"), "x"); // what GDAL adds beside it
            Files.move(tmp, target);
            TempFiles.release(tmp);
            String host = tmpName.replaceAll("^.*\\.\\d+@([^.]+)\\.[0-9a-f]{8}\\.cog\\.tif$", "$1");
            Path ofDead = Files.writeString(dir.resolve("." + TempFiles.stem(name) + "." + dead.pid() + "@" + host
                    + ".0badc0de.part.tif"), "");
            assertEquals(1, TempFiles.removeStale(target), "the stale temporary of " + name);
            assertFalse(Files.exists(ofDead));
        }
        assertEquals("q".repeat(170), TempFiles.stem("q".repeat(170)), "names up to 170 bytes are kept whole");
        assertTrue(TempFiles.stem("\u00e1".repeat(118) + ".tif").matches("\u00e1{80}~[0-9a-f]{8}"),
                "cut between characters");
    }

    @Test
    void sigtermAndSigintDeleteTheTemporariesSigkillLeavesThemForTheNextRun(@TempDir Path dir) throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Path tmp = startHolder(dir, signal);
            assertFalse(Files.exists(tmp), signal + " left " + tmp);
        }
        Path killed = startHolder(dir, "KILL");
        assertTrue(Files.exists(killed), "SIGKILL runs no hook");
        assertEquals(1, TempFiles.removeStale(dir.resolve("held.bin")));
        assertFalse(Files.exists(killed));
    }

    /** Starts a JVM that holds a temporary, signals it, waits for it to end; returns the temporary's path. */
    private static Path startHolder(Path dir, String signal) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                dir.resolve("held.bin").toString()).redirectErrorStream(true).start();
        Path tmp;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            tmp = Path.of(r.readLine());
            assertTrue(Files.exists(tmp));
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the holder did not end on SIG" + signal);
        }
        return tmp;
    }

    /** A process writing an output: creates its temporary, prints its path, then waits to be signalled. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Path tmp = TempFiles.create(Path.of(args[0]), ".tmp");
            System.out.println(tmp);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
