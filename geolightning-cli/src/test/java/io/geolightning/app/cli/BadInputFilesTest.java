package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.assertNoTemporaries;
import static io.geolightning.app.cli.BadInputs.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geolightning.foundation.fuzz.ZipEdits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite, part 4: damaged or crafted checkpoints and chip stores, mismatched inputs and unusable output
 * folders. Each case: the exit code, one {@code error:} line naming the file, no stack trace, nothing left behind.
 */
class BadInputFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun predictWith(Path ckpt) {
        return CliRun.of("predict", "--checkpoint", ckpt, "--raster", RASTER, "--out", tmp.resolve("out.tif"));
    }

    /** An output name the file system takes (here 240 bytes of 255) is written: its temporaries' names fit too. */
    @Test
    void longOutputNamesAreWritten() throws Exception {
        Path classes = tmp.resolve("p".repeat(236) + ".tif");
        CliRun p = CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out", classes,
                "--polygons", tmp.resolve("g".repeat(235) + ".gpkg"));
        assertEquals(0, p.code(), p.err());
        assertFalse(p.err().contains("WARN"), p.err());
        assertTrue(Files.isRegularFile(classes) && Files.isRegularFile(tmp.resolve("g".repeat(235) + ".gpkg")));
        Path store = tmp.resolve("c".repeat(232) + ".parquet");
        CliRun t = CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 32,
                "--out", store);
        assertEquals(0, t.code(), t.err());
        assertTrue(CliRun.of("info", store).out().contains("rows:"));
        assertNoTemporaries(tmp);
    }

    @Test
    void damagedAndCraftedCheckpoints() throws Exception {
        Path good = BadInputs.checkpoint();
        byte[] bytes = Files.readAllBytes(good);
        Path garbage = Files.write(tmp.resolve("garbage.ckpt"), "PK\u0003\u0004 not really".getBytes());
        fails(1, predictWith(garbage), "garbage.ckpt", "checkpoint");
        fails(1, CliRun.of("info", garbage), "garbage.ckpt");
        Path truncated = Files.write(tmp.resolve("truncated.ckpt"), Arrays.copyOf(bytes, bytes.length / 2));
        fails(1, predictWith(truncated), "truncated.ckpt", "not a readable checkpoint");
        Path random = tmp.resolve("random.ckpt");
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        Files.write(random, noise);
        fails(1, predictWith(random), "random.ckpt");

        Path threeBands = rewrite(good, "three-bands.ckpt", meta -> ((ObjectNode) meta.get("hyperparameters")
                .get("model")).put("bands", 3));
        fails(1, predictWith(threeBands), "three-bands.ckpt", "checkpoint is inconsistent");
        CliRun info = CliRun.of("info", threeBands);
        fails(1, info, "checkpoint is inconsistent");
        assertTrue(info.out().contains("global step"), "info still describes what it can: " + info.out());
        Path wider = rewrite(good, "wider.ckpt", meta -> ((ObjectNode) meta.get("hyperparameters").get("model")
                .get("options")).put("width", "32"));
        fails(1, predictWith(wider), "wider.ckpt", "checkpoint is inconsistent", "differ from its weights");

        Path padded = tmp.resolve("padded.ckpt");
        ZipEdits.copy(good, padded, null, zip -> ZipEdits.zeros(zip, "junk.bin", 512L << 20));
        assertTrue(Files.size(padded) < 4L << 20);
        CliRun described = CliRun.of("info", padded);
        assertEquals(0, described.code(), described.err());
        Path bomb = tmp.resolve("bomb.ckpt");
        ZipEdits.copy(good, bomb, "optimizer-0.ndlist", zip -> ZipEdits.zeros(zip, "optimizer-0.ndlist", 512L << 20));
        fails(1, CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + BadInputs.chips(),
                "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.ckptPath=" + bomb), "bomb.ckpt",
                "not a valid checkpoint");
        assertFalse(Files.exists(tmp.resolve("out.tif")));
        assertNoTemporaries(tmp);
    }

    @Test
    void damagedChipStores() throws Exception {
        Path store = tmp.resolve("store");
        assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--val", 0.2, "--test", 0.2, "--out", store).code());
        Path part = store.resolve("part-00000.parquet");
        byte[] bytes = Files.readAllBytes(part);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Files.write(part, bytes);
        fails(1, CliRun.of("evaluate", "--checkpoint", BadInputs.checkpoint(), "--chips", store), "part-00000.parquet");

        Path noSidecar = tmp.resolve("no-sidecar");
        assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--out", noSidecar).code());
        Files.delete(noSidecar.resolve("chips.json"));
        fails(1, CliRun.of("evaluate", "--checkpoint", BadInputs.checkpoint(), "--chips", noSidecar), "no-sidecar");
        Path cut = tmp.resolve("cut-sidecar");
        assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--out", cut).code());
        String json = Files.readString(cut.resolve("chips.json"));
        Files.writeString(cut.resolve("chips.json"), json.substring(0, json.length() / 2));
        fails(1, CliRun.of("info", cut), "chips.json");
        fails(1, CliRun.of("evaluate", "--checkpoint", BadInputs.checkpoint(), "--chips", cut), "chips.json");

        Path chips32 = tmp.resolve("chips32");
        assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 32,
                "--out", chips32).code());
        fails(1, CliRun.of("evaluate", "--checkpoint", BadInputs.checkpoint(), "--chips", chips32), "32 x 32 pixels",
                "16-pixel chips", "--chip 16");
    }

    /**
     * A weights file that export wrote is not a raster: info said "is a ZIP archive; GDAL reads a file inside it by a
     * /vsizip/ path", advice that leads nowhere. It now names the model card beside it, or the checkpoint.
     */
    @Test
    void infoOnAWeightsFileNamesTheModelCard() throws Exception {
        Path e = tmp.resolve("e");
        assertEquals(0, CliRun.of("export", "--checkpoint", BadInputs.checkpoint(), "--out", e).code());
        Path s = tmp.resolve("s");
        assertEquals(0, CliRun.of("export", "--checkpoint", BadInputs.checkpoint(), "--format", "safetensors", "--out",
                s).code());
        assertEquals("error: " + e.resolve("model.npz") + ": a weights file (tensors without a model card), which"
                + " info does not describe; pass the model card beside it, " + e.resolve("model.json") + " (to train"
                + " from it, set model.weights)", fails(1, CliRun.of("info", e.resolve("model.npz"))));
        fails(1, CliRun.of("info", s.resolve("model.safetensors")), "model.safetensors: a weights file",
                s.resolve("model.json").toString());
        Path alone = Files.copy(e.resolve("model.npz"), tmp.resolve("resnet.npz"));
        fails(1, CliRun.of("info", alone), "resnet.npz: a weights file", "pass the checkpoint or the model card it"
                + " came with");
        CliRun card = CliRun.of("info", e.resolve("model.json"));
        assertEquals(0, card.code(), card.err());
        assertNoTemporaries(tmp);
    }

    /**
     * A chip store's sidecar, chips.json of a folder store or NAME.chips.json of a single-file one, is described as
     * its store (it was "neither a raster nor a vector file GDAL can read, nor a chip store").
     */
    @Test
    void infoOnAStoresSidecarDescribesTheStore() throws Exception {
        Path folder = tmp.resolve("store");
        Path single = tmp.resolve("single.parquet");
        for (Path out : new Path[] {folder, single}) {
            assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip",
                    16, "--out", out).code());
        }
        Path[][] cases = {{folder, folder.resolve("chips.json")}, {single, tmp.resolve("single.chips.json")}};
        for (Path[] c : cases) {
            CliRun store = CliRun.of("info", c[0]);
            CliRun sidecar = CliRun.of("info", c[1]);
            assertEquals(0, store.code(), store.err());
            assertEquals(0, sidecar.code(), sidecar.err());
            assertTrue(sidecar.out().startsWith("chip store ") && sidecar.out().contains("rows:"), sidecar.out());
            assertEquals(store.out(), sidecar.out());
        }
        Path orphan = Files.copy(folder.resolve("chips.json"), tmp.resolve("orphan.chips.json"));
        fails(1, CliRun.of("info", orphan), "orphan.chips.json");
    }

    /**
     * info's parameter count is PyTorch's ({@code sum(p.numel() for p in model.parameters())} of the exported network:
     * 5,634 for the sample run's CNN, width 16, two stages, 6 bands, 2 classes, computed with torch 1.13), with the
     * batch-norm running statistics, buffers in PyTorch, counted apart: it said "5,730 in 12 tensors".
     */
    @Test
    void infoCountsParametersAsPyTorchDoes() {
        CliRun info = CliRun.of("info", BadInputs.checkpoint());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("  parameters:     5,634 in 8 tensors, and 96 batch-norm statistics in 4\n"),
                info.out());
    }

    @Test
    void unusableOutputFolders() throws Exception {
        fails(1, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out",
                tmp.resolve("missing/out.tif")), "does not exist", "mkdir -p");
        fails(1, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--out",
                tmp.resolve("missing/chips.parquet")), "does not exist");
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (!Files.isWritable(locked)) { // root writes anywhere: the case only exists for other users
                fails(1, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--out",
                        locked.resolve("out.tif")), "out.tif");
                fails(1, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--out",
                        locked.resolve("chips")), "chips");
            }
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var s = Files.list(locked)) {
            assertEquals(0, s.count());
        }
        assertNoTemporaries(tmp);
    }

    @Test
    void publishedFilesFollowTheUmaskLikeAnyOtherTool() throws Exception {
        Path run = BadInputs.checkpoint().getParent().getParent();
        var expected = Files.getPosixFilePermissions(Files.writeString(tmp.resolve("plain.txt"), "x"));
        try (var s = Files.walk(run)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                assertEquals(expected, Files.getPosixFilePermissions(f), f + " is not published like other files");
            }
        }
        try (var s = Files.walk(BadInputs.chips())) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                assertEquals(expected, Files.getPosixFilePermissions(f), f.toString());
            }
        }
    }

    // ---- rewritten copies of a real checkpoint ----

    private Path rewrite(Path from, String name, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode meta = (ObjectNode) JSON.readTree(ZipEdits.read(from, "meta.json"));
        edit.accept(meta);
        Path to = tmp.resolve(name);
        ZipEdits.replace(from, to, "meta.json", JSON.writeValueAsBytes(meta));
        return to;
    }
}
