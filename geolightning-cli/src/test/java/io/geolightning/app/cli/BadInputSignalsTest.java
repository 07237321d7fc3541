package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.assertNoTemporaries;
import static io.geolightning.app.cli.BadInputs.awaitFile;
import static io.geolightning.app.cli.BadInputs.signal;
import static io.geolightning.app.cli.BadInputs.snapshot;
import static io.geolightning.app.cli.BadInputs.temporaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite, part 2: a CLI process killed mid-write (SIGKILL) or stopped (SIGTERM, SIGINT) never leaves a
 * partial file at a final path nor loses the previous output; SIGTERM/SIGINT leave no temporaries; the next run of the
 * same command removes what SIGKILL left and succeeds.
 */
class BadInputSignalsTest {

    @TempDir
    Path tmp;

    private static boolean partTif(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".part.tif");
    }

    @Test
    void predictKilledKeepsThePreviousOutputAndTheRerunCleansUp() throws Exception {
        Path out = tmp.resolve("classes.tif");
        Object[] args = {"predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out", out,
            "--overwrite", "--batch-size", 1};
        assertEquals(0, CliRun.of(args).code());
        Map<String, String> previous = snapshot(out);
        Process p = BadInputs.start(tmp, args);
        assertTrue(awaitFile(p, tmp, BadInputSignalsTest::partTif), "predict never started writing");
        signal(p, "KILL");
        assertEquals(previous, snapshot(out), "a killed predict changed the previous output");
        assertFalse(temporaries(tmp).isEmpty(), "SIGKILL runs no hook: its temporary stays until the next run");
        assertEquals(0, CliRun.of(args).code());
        assertNoTemporaries(tmp);
        try (GeoRaster r = GeoRaster.open(out)) {
            assertEquals(352, r.height());
        }
    }

    /** The --polygons writer's temporaries that SIGKILL leaves (planted as it leaves them) go with the next run. */
    @Test
    void predictPolygonsTemporariesOfAKilledRunAreSweptByTheNextRun() throws Exception {
        Path polygons = tmp.resolve("polys.gpkg");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().replaceAll("[^A-Za-z0-9-]", "-");
        host = host.length() > 32 ? host.substring(0, 32) : host;
        Path left = tmp.resolve(".polys.gpkg." + dead.pid() + "@" + host + ".0a1b2c3d.part.gpkg");
        Files.writeString(left, "half a GeoPackage");
        Files.writeString(Path.of(left + "-journal"), "x");
        CliRun r = CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out",
                tmp.resolve("pred.tif"), "--polygons", polygons);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(polygons));
        assertNoTemporaries(tmp);
    }

    @Test
    void predictStoppedBySigtermOrSigintLeavesNoTemporaries() throws Exception {
        for (String sig : new String[] {"TERM", "INT"}) {
            Path dir = Files.createDirectories(tmp.resolve(sig));
            Path out = dir.resolve("classes.tif");
            Process p = BadInputs.start(dir, "predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER,
                    "--out", out, "--batch-size", 1);
            assertTrue(awaitFile(p, dir, BadInputSignalsTest::partTif), "predict never started writing");
            int code = signal(p, sig);
            assertTrue(code != 0, "SIG" + sig + " must not end with success");
            assertFalse(Files.exists(out), "a stopped predict left an output");
            assertNoTemporaries(dir);
        }
    }

    /** evaluate --raster cuts the raster into a scratch chip store: SIGINT and SIGTERM delete it with the command. */
    @Test
    void evaluateStoppedLeavesNoScratchStore() throws Exception {
        for (String sig : new String[] {"INT", "TERM"}) {
            Path dir = Files.createDirectories(tmp.resolve("eval-" + sig));
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            Process p = BadInputs.start(dir, java.util.List.of("-Djava.io.tmpdir=" + scratch), "evaluate",
                    "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--labels", LABELS, "--label-field",
                    "TIPO", "--batch-size", 1);
            assertTrue(awaitFile(p, scratch, f -> f.getFileName().toString().equals("chips.json")),
                    "evaluate never cut its chips");
            int code = signal(p, sig);
            assertTrue(code != 0, "SIG" + sig + " must not end with success");
            try (java.util.stream.Stream<Path> left = Files.list(scratch)) {
                assertEquals(java.util.List.of(), left.filter(f -> f.getFileName().toString().startsWith(
                        "geolightning-evaluate-")).toList(), "SIG" + sig + " left the scratch store");
            }
        }
    }

    @Test
    void tileKilledLeavesNoStoreAndTheRerunSucceeds() throws Exception {
        Path store = tmp.resolve("chips");
        Object[] args = {"tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
            "--stride", 4, "--workers", 1, "--out", store};
        Process p = BadInputs.start(tmp, args);
        awaitFile(p, store, f -> f.getFileName().toString().endsWith(".tmp"));
        signal(p, "KILL");
        boolean committed = Files.exists(store.resolve("chips.json"));
        if (committed) { // the kill came after the commit: what is there must be a whole store
            assertEquals(0, CliRun.of("info", store).code());
        }
        CliRun rerun = CliRun.of(committed ? BadInputDataLossTest.concat(args, "--overwrite") : args);
        assertEquals(0, rerun.code(), rerun.err());
        assertNoTemporaries(tmp);
        assertTrue(CliRun.of("info", store).out().contains("rows:"));
    }

    @Test
    void tileStoppedByCtrlCAtANewOutLeavesNothing() throws Exception {
        Path store = tmp.resolve("new/chips");
        Process p = BadInputs.start(tmp, "tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO",
                "--chip", 16, "--stride", 2, "--workers", 1, "--out", store);
        assertTrue(awaitFile(p, store, f -> f.getFileName().toString().endsWith(".tmp")), "tile never started writing");
        int code = signal(p, "INT");
        assertTrue(code != 0, "SIGINT must not end with success");
        assertFalse(Files.exists(tmp.resolve("new")), "a stopped tile left the folders it created");
    }

    @Test
    void trainKilledLeavesEarlierRunsIntactAndTheNextRunSweepsItsTemporaries() throws Exception {
        Path runs = tmp.resolve("runs");
        Object[] args = {"train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + BadInputs.chips(),
            "--set", "runs=" + runs, "--set", "trainer.maxEpochs=3", "--set", "data.augment=false"};
        Path earlier = BadInputs.checkpoint().getParent().getParent();
        Map<String, String> before = snapshot(earlier);
        Process p = BadInputs.start(tmp, args);
        assertTrue(awaitFile(p, runs, f -> f.getFileName().toString().endsWith(".ckpt")), "train never checkpointed");
        signal(p, "KILL");
        Path killed = runs.resolve("olinda/version_0");
        // a checkpoint temporary the kill may have caught mid-write stands in for any: plant one as SIGKILL leaves it
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().replaceAll("[^A-Za-z0-9-]", "-");
        if (host.length() > 32) {
            host = host.substring(0, 32);
        }
        Files.writeString(killed.resolve("checkpoints/.last.ckpt." + dead.pid() + "@" + host + ".0a1b2c3d.tmp"), "x");
        Files.createDirectories(killed.resolve("predictions")); // the validation drawings' folder, swept too
        Files.writeString(killed.resolve("predictions/.epoch=0-step=29.png." + dead.pid() + "@" + host
                + ".0a1b2c3d.tmp"), "x");
        CliRun next = CliRun.of(args);
        assertEquals(0, next.code(), next.err());
        assertTrue(Files.isDirectory(runs.resolve("olinda/version_1")), "the next run gets its own folder");
        assertNoTemporaries(runs);
        assertEquals(before, snapshot(earlier));
    }
}
