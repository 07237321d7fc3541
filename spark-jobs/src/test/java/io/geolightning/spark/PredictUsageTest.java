package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.csv;
import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.spark;
import static io.geolightning.spark.SparkTestSupport.usageError;
import static io.geolightning.spark.SparkTestSupport.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad predict-job input, refused on the driver before any task with one line (exit code 2 on the command line; 1 for
 * a missing checkpoint or an existing output, as in the CLI).
 */
class PredictUsageTest {

    @TempDir
    Path tmp;

    private String error(Path checkpoint, Path list, Path outDir) {
        SparkJobException e = assertThrows(SparkJobException.class, () -> PredictJob.run(spark(),
                new PredictJob.Config(checkpoint, list, outDir, tmp.resolve("summary.parquet"), null, 0)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void missingCheckpointOutputClashesAndMissingOutputFolder() throws Exception {
        Path ckpt = Files.writeString(tmp.resolve("model.ckpt"), "not read before the list is checked");
        Path list = csv(tmp.resolve("scenes.csv"), "raster", List.of(data("olinda/L7_ETMs.tif").toString()));
        assertEquals(tmp.resolve("nope.ckpt") + ": checkpoint not found; pass a .ckpt from a training run's"
                + " checkpoints/ folder, or a TorchScript .pt with its model card beside it",
                error(tmp.resolve("nope.ckpt"), list, tmp.resolve("out")));
        // a missing input is a failure (exit 1), as in the CLI's predict; a wrong command line is usage (exit 2)
        assertFalse(assertThrows(SparkJobException.class, () -> PredictJob.run(spark(), new PredictJob.Config(
                tmp.resolve("nope.ckpt"), list, tmp.resolve("out"), tmp.resolve("summary.parquet"), null, 0)))
                instanceof JobUsageException);

        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        Path clash = csv(tmp.resolve("clash.csv"), "scene", List.of("a/x.tif", "b/x.tif"));
        String m = error(ckpt, clash, tmp.resolve("out"));
        assertEquals("clash.csv row 2: writes " + tmp.resolve("out/x.tif") + " like row 1; give the rows distinct"
                + " 'output' paths (scenes with the same file name need them)", m);

        assertEquals("scenes.csv row 1: no output for L7_ETMs.tif; pass --out-dir or give the row an 'output' path",
                error(ckpt, list, null));

        Path self = csv(tmp.resolve("self.csv"), "raster,output", List.of("a/x.tif,a/x.tif"));
        assertTrue(error(ckpt, self, null).startsWith("self.csv row 1: the output " + tmp.resolve("a/x.tif")
                + " is the scene itself"));
    }

    @Test
    void commandLineOptionsAreCheckedFirst() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "raster", List.of(data("olinda/L7_ETMs.tif").toString()));
        SparkTestSupport.Run noOut = SparkTestSupport.jobs("predict", "--checkpoint", tmp.resolve("m.ckpt"),
                "--scenes", list);
        assertEquals(SparkJobs.USAGE, noOut.code());
        assertEquals("error: pass --out-dir or --summary (where the summary goes); see 'geolightning-spark predict"
                + " --help'", noOut.err().trim());
        SparkTestSupport.Run overlap = SparkTestSupport.jobs("predict", "--checkpoint", tmp.resolve("m.ckpt"),
                "--scenes", list, "--out-dir", tmp.resolve("out"), "--window", 64, "--overlap", 64);
        assertEquals(SparkJobs.USAGE, overlap.code());
        assertEquals(1, overlap.err().lines().count(), overlap.err());
        assertTrue(overlap.err().startsWith("error: --overlap 64: must be below --window 64"),
                overlap.err());
    }

    @Test
    void aSummaryFolderHoldingOtherFilesIsRefusedBeforeItIsReplaced() throws Exception {
        // Spark writes the summary by replacing its whole folder: --out-dir res --summary res classified two scenes,
        // printed "OK ... -> res/plain.tif", exited 0 and left res holding the table alone (rasters and any other
        // file deleted); a --summary naming the scenes' folder deleted the scenes
        Path scenes = Files.createDirectories(tmp.resolve("scènes"));
        Path scene = Files.copy(data("olinda/L7_ETMs.tif"), scenes.resolve("Olinda é.tif"));
        Path list = csv(scenes.resolve("list.csv"), "raster", List.of(scene.getFileName().toString()));
        Path ckpt = Files.writeString(tmp.resolve("model.ckpt"), "not read before the outputs are checked");
        Path res = tmp.resolve("res");
        SparkTestSupport.Run same = SparkTestSupport.jobs("predict", "--checkpoint", ckpt, "--scenes", list,
                "--out-dir", res, "--summary", res);
        assertEquals(SparkJobs.USAGE, same.code(), same.err());
        assertEquals("error: --summary " + res + ": would replace a folder holding " + res.resolve("Olinda é.tif")
                + ", which the job reads or writes; pass a folder of its own, e.g. " + res.resolve("summary.parquet"),
                same.err().trim());
        assertFalse(Files.exists(res), "nothing created");

        SparkTestSupport.Run inputs = SparkTestSupport.jobs("predict", "--checkpoint", ckpt, "--scenes", list,
                "--out-dir", res, "--summary", scenes);
        assertEquals(SparkJobs.USAGE, inputs.code(), inputs.err());
        assertTrue(inputs.err().startsWith("error: --summary " + scenes + ": would replace a folder holding "),
                inputs.err());

        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "keep");
        SparkTestSupport.Run other = SparkTestSupport.jobs("predict", "--checkpoint", ckpt, "--scenes", list,
                "--out-dir", res, "--summary", notes);
        assertEquals(SparkJobs.USAGE, other.code(), other.err());
        assertEquals("error: --summary " + notes + ": holds todo.txt, not a summary table; writing the table replaces"
                + " the whole folder, so pass a new folder, e.g. " + notes.resolve("summary.parquet"),
                other.err().trim());
        assertEquals("keep", Files.readString(notes.resolve("todo.txt")));
        assertTrue(Files.exists(scene) && Files.exists(list), "the scenes are untouched");
        assertFalse(Files.exists(res), "nothing created");
    }

    @Test
    void anOutputThatIsAnotherRowsSceneIsRefused() throws Exception {
        // row 1 writing row 2's scene: "output exists; pass --overwrite", and with --overwrite the job exited 0 having
        // replaced the scene with row 1's class raster (row 2 then FAILED: "has 1 band but the model expects 6")
        Path scenes = Files.createDirectories(tmp.resolve("scenes"));
        Path one = Files.copy(data("olinda/L7_ETMs.tif"), scenes.resolve("one.tif"));
        Path two = Files.copy(data("olinda/L7_ETMs.tif"), scenes.resolve("two.tif"));
        Path ckpt = Files.writeString(tmp.resolve("model.ckpt"), "not read before the outputs are checked");
        byte[] before = Files.readAllBytes(two);
        List<List<String>> orders = List.of(List.of("scenes/one.tif,scenes/two.tif", "scenes/two.tif,out/two.tif"),
                List.of("scenes/two.tif,out/two.tif", "scenes/one.tif,scenes/two.tif"));
        for (List<String> rows : orders) {
            Path list = csv(tmp.resolve("cross.csv"), "raster,output", rows);
            SparkTestSupport.Run r = SparkTestSupport.jobs("predict", "--checkpoint", ckpt, "--scenes", list,
                    "--summary", tmp.resolve("summary"), "--overwrite");
            assertEquals(SparkJobs.USAGE, r.code(), r.err());
            int writer = rows.get(0).startsWith("scenes/one.tif") ? 1 : 2;
            assertEquals("error: cross.csv row " + writer + ": the output " + two + " is the scene of row "
                    + (3 - writer) + "; writing it would replace that input; give the row another 'output' or choose"
                    + " another --out-dir", r.err().strip());
        }
        assertArrayEquals(before, Files.readAllBytes(two));
        assertTrue(Files.exists(one));
        assertFalse(Files.exists(tmp.resolve("out")) || Files.exists(tmp.resolve("summary")), "nothing written");
    }

    /**
     * Bad values of the predict job's flags, for a scene list and for a region: --torch-threads -1 ran, --summary
     * /vsis3/... wrote a local folder /vsis3, and an output that is the checkpoint replaced it with --overwrite (exit
     * 0; a region's --out without --overwrite was refused only as "output exists").
     */
    @Test
    void badFlagValuesAreUsageErrors() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "raster", List.of(data("olinda/L7_ETMs.tif").toString()));
        Path ckpt = Files.writeString(tmp.resolve("model.ckpt"), "not read before the outputs are checked");
        Object[] scenes = {"predict", "--checkpoint", ckpt, "--scenes", list, "--out-dir", tmp.resolve("out")};
        Object[] region = {"predict", "--checkpoint", ckpt, "--raster", data("olinda/L7_ETMs.tif")};
        assertEquals("error: --torch-threads -1: must be at least 0, e.g. --torch-threads 1 (0: PyTorch's default);"
                + " see 'geolightning-spark predict --help'", usageError(with(scenes, "--torch-threads", -1)));
        assertTrue(usageError(with(region, "--out", tmp.resolve("r.tif"), "--torch-threads", -2))
                .startsWith("error: --torch-threads -2: must be at least 0"));
        assertTrue(usageError(with(scenes, "--summary", "/vsis3/bucket/summary.parquet")).startsWith("error: --summary"
                + " /vsis3/bucket/summary.parquet: outputs are written to local files, not to GDAL virtual paths"));
        assertEquals("error: --out " + ckpt + " is the checkpoint given to --checkpoint; writing it would replace that"
                + " input; choose another output path", usageError(with(region, "--out", ckpt, "--overwrite")));
        Path self = csv(tmp.resolve("self.csv"), "raster,output", List.of(data("olinda/L7_ETMs.tif") + "," + ckpt));
        assertEquals("error: self.csv row 1: the output " + ckpt + " is the checkpoint given to --checkpoint; writing"
                + " it would replace that input; choose another output path", usageError("predict", "--checkpoint",
                ckpt, "--scenes", self, "--summary", tmp.resolve("summary"), "--overwrite"));
        assertTrue(usageError(with(region, "--out", tmp.resolve("r.tif"), "--master", "local[x]"))
                .startsWith("error: --master local[x]: not a Spark master URL"));
        assertTrue(usageError(with(scenes, "--format", "png")).startsWith("error: Invalid value for option"
                + " '--format'"));
        assertEquals("not read before the outputs are checked", Files.readString(ckpt));
        assertFalse(Files.exists(Path.of("/vsis3")) || Files.exists(tmp.resolve("out"))
                || Files.exists(tmp.resolve("r.tif")), "nothing written");
    }
}
