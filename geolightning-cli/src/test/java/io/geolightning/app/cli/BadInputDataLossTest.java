package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.assertNoTemporaries;
import static io.geolightning.app.cli.BadInputs.fails;
import static io.geolightning.app.cli.BadInputs.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.VectorTranslateOptions;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite, part 1: nothing the user has is ever lost or replaced - inputs given as outputs, existing chip
 * stores and folders, earlier runs' checkpoints on resume, full disks, path-traversal archives.
 */
class BadInputDataLossTest {

    @TempDir
    Path tmp;

    @Test
    void predictNeverWritesOverItsInputs() throws Exception {
        Path ckpt = BadInputs.checkpoint();
        Path raster = Files.copy(RASTER, tmp.resolve("scene.tif"));
        Map<String, String> before = snapshot(ckpt, raster);
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", ckpt, "--overwrite"),
                "--out", "is the file given to --checkpoint");
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", raster, "--overwrite"),
                "is the file given to --raster");
        Path link = Files.createSymbolicLink(tmp.resolve("link.tif"), raster);
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", link, "--overwrite"),
                "is the file given to --raster");
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", tmp.resolve("o.tif"),
                "--probabilities", ckpt, "--overwrite"), "--probabilities", "--checkpoint");
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", tmp.resolve("o.tif"),
                "--probabilities", tmp.resolve("o.tif")), "--probabilities", "is also --out");
        assertEquals(before, snapshot(ckpt, raster));
        assertFalse(Files.exists(tmp.resolve("o.tif")));
        assertNoTemporaries(tmp);
    }

    /** The --aoi layer and the files a VRT reads are inputs too: no output may replace them, even with --overwrite. */
    @Test
    void predictNeverWritesOverItsAreaOrTheFilesAVrtReads() throws Exception {
        Path ckpt = BadInputs.checkpoint();
        Path raster = Files.copy(RASTER, tmp.resolve("scene.tif"));
        Gdal.ensureInitialised();
        Path aoi = tmp.resolve("aoi.gpkg");
        Dataset src = gdal.OpenEx(LABELS.toString(), gdalconstConstants.OF_VECTOR);
        Dataset made = gdal.VectorTranslate(aoi.toString(), src, new VectorTranslateOptions(new Vector<>(List.of(
                "-f", "GPKG", "-where", "FID < 40"))));
        assertNotNull(made, gdal.GetLastErrorMsg());
        made.delete();
        Path vrt = tmp.resolve("view.vrt");
        Dataset scene = gdal.Open(raster.toString());
        gdal.Translate(vrt.toString(), scene, new TranslateOptions(new Vector<>(List.of("-of", "VRT")))).delete();
        scene.delete();
        src.delete();
        Map<String, String> before = snapshot(aoi, raster, vrt);
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--aoi", aoi, "--out",
                tmp.resolve("o.tif"), "--polygons", aoi, "--overwrite"), "--polygons", "is the file given to --aoi");
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", vrt, "--out", raster, "--overwrite"),
                "--out", "read through view.vrt", "choose another --out");
        fails(2, CliRun.of("predict", "--checkpoint", ckpt, "--raster", vrt, "--out", tmp.resolve("o.tif"),
                "--probabilities", raster, "--overwrite"), "--probabilities", "read through view.vrt");
        assertEquals(before, snapshot(aoi, raster, vrt));
        assertFalse(Files.exists(tmp.resolve("o.tif")));
        assertNoTemporaries(tmp);
    }

    @Test
    void tileReplacesAStoreOnlyWithOverwriteAndNeverAForeignFolder() throws Exception {
        Object[] base = {"tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO"};
        Path store = tmp.resolve("store");
        assertEquals(0, CliRun.of(concat(base, "--chip", 16, "--out", store)).code());
        Map<String, String> before = snapshot(store);
        fails(1, CliRun.of(concat(base, "--chip", 32, "--out", store)), "a chip store already exists", "--overwrite");
        assertEquals(before, snapshot(store));

        Path file = tmp.resolve("chips.parquet");
        assertEquals(0, CliRun.of(concat(base, "--chip", 16, "--out", file)).code());
        Map<String, String> fileBefore = snapshot(file);
        fails(1, CliRun.of(concat(base, "--out", file)), "already exists", "--overwrite");
        assertEquals(fileBefore, snapshot(file));
        assertEquals(0, CliRun.of(concat(base, "--chip", 32, "--out", file, "--overwrite")).code());
        assertTrue(CliRun.of("info", file).out().contains("32 x 32 pixels"));

        Path foreign = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(foreign.resolve("holiday.jpg"), "not a chip");
        Files.writeString(foreign.resolve("notes.parquet.txt"), "mine");
        Map<String, String> foreignBefore = snapshot(foreign);
        fails(1, CliRun.of(concat(base, "--out", foreign, "--overwrite")), "not empty and is not a chip store",
                "holiday.jpg");
        assertEquals(foreignBefore, snapshot(foreign));

        Path notParquet = Files.writeString(tmp.resolve("report.txt"), "mine");
        fails(1, CliRun.of(concat(base, "--out", notParquet, "--overwrite")), "exists and is not a chip store");
        assertEquals("mine", Files.readString(notParquet));

        Path labelsCopy = tmp.resolve("labels");
        Files.createDirectories(labelsCopy);
        for (String ext : List.of("shp", "shx", "dbf", "prj")) {
            Files.copy(LABELS.resolveSibling("olinda1." + ext), labelsCopy.resolve("olinda1." + ext));
        }
        Map<String, String> labelsBefore = snapshot(labelsCopy);
        fails(2, CliRun.of("tile", "--raster", RASTER, "--labels", labelsCopy.resolve("olinda1.shp"), "--label-field",
                "TIPO", "--out", labelsCopy, "--overwrite"), "--out", "holds the input");
        fails(2, CliRun.of("tile", "--raster", RASTER, "--labels", labelsCopy.resolve("olinda1.shp"), "--label-field",
                "TIPO", "--out", labelsCopy.resolve("olinda1.shp"), "--overwrite"), "is the file given to --labels");
        assertEquals(labelsBefore, snapshot(labelsCopy));
        assertNoTemporaries(tmp);
    }

    @Test
    void aSingleFileStoresSidecarIsNeverAnInputNorAnExistingFileWithoutOverwrite() throws Exception {
        io.geolightning.geo.Gdal.ensureInitialised();
        Path geojson = tmp.resolve("olinda.chips.json");
        org.gdal.ogr.DataSource src = org.gdal.ogr.ogr.Open(LABELS.toString());
        org.gdal.ogr.ogr.GetDriverByName("GeoJSON").CopyDataSource(src, geojson.toString()).delete();
        src.delete();
        Map<String, String> before = snapshot(geojson);
        fails(2, CliRun.of("tile", "--raster", RASTER, "--labels", geojson, "--label-field", "TIPO", "--chip", 16,
                "--out", tmp.resolve("olinda.parquet"), "--overwrite"), "--out", "its sidecar olinda.chips.json",
                "--labels");
        Path notes = Files.writeString(tmp.resolve("other.chips.json"), "my notes");
        Object[] other = {"tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
            "--out", tmp.resolve("other.parquet")};
        fails(1, CliRun.of(other), "other.chips.json", "already exists", "--overwrite");
        assertEquals("my notes", Files.readString(notes));
        assertEquals(before, snapshot(geojson));
        assertFalse(Files.exists(tmp.resolve("olinda.parquet")) || Files.exists(tmp.resolve("other.parquet")));
        assertEquals(0, CliRun.of(concat(other, "--overwrite")).code(), "--overwrite replaces it");
        assertTrue(CliRun.of("info", tmp.resolve("other.parquet")).out().contains("16 x 16 pixels"));
        assertNoTemporaries(tmp);
    }

    @Test
    void aFailedTileDeletesOnlyWhatItCreated() throws Exception {
        Object[] base = {"tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "NOSUCH", "--chip", 16};
        Path notes = Files.writeString(tmp.resolve("mine.chips.json"), "my notes");
        fails(1, CliRun.of(concat(base, "--out", tmp.resolve("mine.parquet"), "--overwrite")), "NOSUCH");
        assertEquals("my notes", Files.readString(notes), "a failed tile deleted a sidecar it never wrote");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("not-yet/chips"));
        CliRun r = CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--out", link);
        fails(1, r, link + ": is a symbolic link to " + tmp.resolve("not-yet/chips") + ", which does not exist");
        assertTrue(Files.isSymbolicLink(link), "a failed tile deleted the user's link");
        fails(1, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--out", link.resolve("chips.parquet")), "lies in a symbolic link to", "which does not exist");
        assertFalse(Files.exists(tmp.resolve("not-yet")));
        assertFalse(Files.exists(tmp.resolve("mine.parquet")));
        assertNoTemporaries(tmp);
    }

    @Test
    void resumingNeverDeletesTheEarlierRunsCheckpoints() throws Exception {
        Path ckpt = BadInputs.checkpoint();
        Path earlier = ckpt.getParent();
        Path victim = Files.writeString(tmp.resolve("thesis.txt"), "precious");
        Map<String, String> before = snapshot(earlier, victim);
        CliRun r = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + BadInputs.chips(),
                "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=4", "--set",
                "trainer.ckptPath=" + ckpt, "--set", "data.augment=false");
        assertEquals(0, r.code(), r.err());
        assertEquals(before, snapshot(earlier, victim), "the resumed run changed or deleted an earlier file");
        try (var s = Files.list(tmp.resolve("runs/olinda/version_0/checkpoints"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".ckpt")), "the resumed run saves its own");
        }
    }

    /**
     * last.ckpt copied alone (its run's best checkpoint deleted, or left on another machine) and resumed with nothing
     * left to train: the run says whose weights it evaluated; it said "no checkpoint saved
     * (callbacks.checkpoint.saveTopK 0 and saveLast false)", which run.yaml does not say.
     */
    @Test
    void aResumeWithNothingToTrainSaysWhichWeightsItEvaluated() throws Exception {
        Path last = Files.copy(BadInputs.checkpoint().resolveSibling("last.ckpt"), tmp.resolve("last.ckpt"));
        CliRun r = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + BadInputs.chips(),
                "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=2", "--set",
                "trainer.ckptPath=" + last, "--set", "data.augment=false");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no checkpoint saved: the run trained no epoch; the weights of " + last
                + " were evaluated"), r.out());
    }

    @Test
    void aFullDiskKeepsThePreviousOutputAndSaysSo() throws Exception {
        Path disk = Files.createTempDirectory("geolightning-full-disk"); // outside @TempDir: unmounted before cleanup
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor() == 0;
        if (!mounted) {
            Files.deleteIfExists(disk);
        }
        Assumptions.assumeTrue(mounted, "cannot mount a small tmpfs here (needs root)");
        try {
            Path out = disk.resolve("classes.tif");
            assertEquals(0, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out",
                    out).code());
            long free = Files.getFileStore(disk).getUsableSpace();
            Path fill = disk.resolve("fill");
            try (var os = Files.newOutputStream(fill)) {
                os.write(new byte[(int) Math.max(0, free - 4096)]);
            } catch (java.io.IOException full) {
                // filled up
            }
            Map<String, String> before = snapshot(out);
            fails(1, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out", out,
                    "--overwrite"), "no space left on device");
            assertEquals(before, snapshot(out), "the previous output was damaged");
            assertNoTemporaries(disk);
            fails(1, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                    "--out", disk.resolve("chips")), "space");
            assertFalse(Files.exists(disk.resolve("chips/chips.json")));
            assertNoTemporaries(disk);
        } finally {
            if (new ProcessBuilder("umount", disk.toString()).start().waitFor() != 0) {
                new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
            }
            Files.deleteIfExists(disk);
        }
    }

    /**
     * A publishing step that fails on a full disk (ENOSPC, injected with strace) says the disk is full: a new output
     * (no --overwrite) is published with link(2), which fails on an existing file.
     */
    @Test
    void aRenameOnAFullDiskSaysTheDiskIsFull() throws Exception {
        Assumptions.assumeTrue(BadInputs.hasStrace(), "strace is not installed");
        Path out = tmp.resolve("pred.tif");
        Process p = BadInputs.startFailingLink(tmp, 1, true, "predict", "--checkpoint", BadInputs.checkpoint(),
                "--raster", RASTER, "--out", out);
        String line = BadInputs.childFails(1, p, tmp);
        assertTrue(line.contains("No space left on device") && line.contains("the disk is full")
                && !line.contains("permission"), line);
        assertFalse(Files.exists(out));
        assertNoTemporaries(tmp);
    }

    /**
     * predict --overwrite replaces its class raster, legend, probabilities and polygons together: when a rename fails
     * half-way (ENOSPC injected on the 4th, the raster's, after the probabilities and legend files), every earlier
     * output is put back as it was.
     */
    @Test
    void predictPublishesItsOutputsTogetherOrNotAtAll() throws Exception {
        Assumptions.assumeTrue(BadInputs.hasStrace(), "strace is not installed");
        Object[] outputs = {"--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out",
            tmp.resolve("pred.tif"), "--probabilities", tmp.resolve("probs.tif"), "--polygons",
            tmp.resolve("polys.gpkg")};
        assertEquals(0, CliRun.of(concat(new Object[] {"predict"}, outputs)).code());
        Map<String, String> before = snapshot(tmp);
        assertEquals(5, before.size(), before.keySet().toString());
        Process p = BadInputs.startFailingRename(tmp, 4, false, concat(concat(new Object[] {"predict"}, outputs),
                "--colors", "RURAL=#112233", "--probability-type", "uint8", "--min-area", 2000, "--overwrite"));
        BadInputs.childFails(1, p, tmp);
        Files.delete(tmp.resolve("child.out"));
        Files.delete(tmp.resolve("child.err"));
        assertEquals(before, snapshot(tmp), "a failed predict left a mix of old and new outputs");
        assertNoTemporaries(tmp);
    }

    /**
     * export --overwrite replaces the weights, module and model card together (a failed rename puts the earlier
     * export back, and the weights of another format it had made are deleted again); a failed export into a new
     * folder leaves no folder, so the rerun is not refused.
     */
    @Test
    void exportPublishesItsFilesTogetherOrNotAtAll() throws Exception {
        Assumptions.assumeTrue(BadInputs.hasStrace(), "strace is not installed");
        Path ckpt = BadInputs.checkpoint();
        Path e = tmp.resolve("e");
        assertEquals(0, CliRun.of("export", "--checkpoint", ckpt, "--out", e).code());
        Map<String, String> before = snapshot(e);
        Path work = Files.createDirectories(tmp.resolve("work"));
        BadInputs.childFails(1, BadInputs.startFailingRename(work, 2, false, "export", "--checkpoint", ckpt,
                "--format", "safetensors", "--out", e, "--overwrite"), work);
        assertEquals(before, snapshot(e), "a failed export left a mix of old and new files");
        Path fresh = tmp.resolve("fresh");
        String line = BadInputs.childFails(1, BadInputs.startFailingLink(work, 3, false, "export", "--checkpoint",
                ckpt, "--out", fresh), work);
        assertTrue(line.contains("the disk is full"), line);
        assertFalse(Files.exists(fresh), "a failed export left part of itself");
        assertEquals(0, CliRun.of("export", "--checkpoint", ckpt, "--out", fresh).code());
        assertNoTemporaries(tmp);
    }

    @Test
    void archivesWithTraversalEntriesAreNeverExtracted() throws Exception {
        Path zip = tmp.resolve("inner/labels.zip");
        Files.createDirectories(zip.getParent());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String ext : List.of("shp", "shx", "dbf", "prj")) {
                z.putNextEntry(new ZipEntry("../../escaped." + ext));
                z.write(Files.readAllBytes(LABELS.resolveSibling("olinda1." + ext)));
                z.closeEntry();
            }
        }
        CliRun r = CliRun.of("tile", "--raster", RASTER, "--labels", zip, "--label-field", "TIPO", "--chip", 16,
                "--out", tmp.resolve("inner/chips"));
        if (r.code() != 0) {
            fails(r.code(), r);
        }
        try (var s = Files.walk(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("escaped")).toList(),
                    "an archive entry was extracted");
        }
        assertFalse(Files.exists(tmp.getParent().resolve("escaped.shp")));
    }

    @Test
    void concurrentWritersOfOneOutputLeaveOneValidRaster() throws Exception {
        Path out = tmp.resolve("same.tif");
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Object[] args = {"predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out", out,
            "--overwrite"};
        Process p1 = BadInputs.start(a, args);
        Process p2 = BadInputs.start(b, args);
        int c1 = p1.waitFor();
        int c2 = p2.waitFor();
        assertTrue(c1 == 0 || c2 == 0, "one writer at least succeeds: " + Files.readString(a.resolve("child.err"))
                + Files.readString(b.resolve("child.err")));
        try (GeoRaster r = GeoRaster.open(out)) {
            assertEquals(349, r.width());
        }
        assertNoTemporaries(tmp);
    }

    @Test
    void concurrentTilesToOneNewStoreLeaveOneWholeStoreAndTheOtherFails() throws Exception {
        for (String name : List.of("chips", "chips.parquet")) {
            Path out = tmp.resolve(name);
            Object[] base = {"tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--workers", 1,
                "--out", out, "--chip"};
            BadInputs.Race race = BadInputs.race(tmp, name, concat(base, 16), concat(base, 32));
            String err = race.loserLine();
            assertTrue(err.contains("error: " + out + ": another tile wrote a chip store here while this one ran; pass"
                    + " --overwrite") || err.contains("error: " + out + ": a chip store already exists there"), err);
            int side = race.winner() == 0 ? 16 : 32;
            assertTrue(CliRun.of("info", out).out().contains(side + " x " + side + " pixels"), "the winner's store");
            if (Files.isDirectory(out)) {
                ChipStoreReader r = ChipStoreReader.open(out);
                try (var s = Files.list(out)) {
                    assertEquals(r.requireMetadata().parts().size() + 1, s.count(), "parts of the loser left");
                }
                assertEquals(r.requireMetadata().rows("total"), r.rowCount());
            }
        }
        assertNoTemporaries(tmp);
    }

    static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
