package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.csv;
import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.spark;
import static io.geolightning.spark.SparkTestSupport.usageError;
import static io.geolightning.spark.SparkTestSupport.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.TilingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad job input is refused on the driver before any task runs, with one line naming the list (and row), the problem
 * and the fix; through the command line it is exit code 2 and one "error:" line without a stack trace.
 */
class JobUsageTest {

    @TempDir
    Path tmp;

    private final Path olinda = data("olinda/L7_ETMs.tif");
    private final Path shp = data("olinda/olinda1.shp");

    private TilingSettings olindaDefaults() {
        return new TilingSettings(shp.toString(), null, "TIPO", null, null, null, null, null, null, 32, null, null,
                null, null, null, null, null, null, null);
    }

    private String tileError(Path list, Path store) {
        JobUsageException e = assertThrows(JobUsageException.class,
                () -> TileJob.run(spark(), new TileJob.Config(list, store, olindaDefaults(), 1, false)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void unknownColumnNamesItAndTheValidOnes() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "raster,colour", List.of(olinda + ",red"));
        String m = tileError(list, tmp.resolve("chips"));
        assertTrue(m.startsWith("scenes.csv: unknown column 'colour'; the columns are raster, labels, layer,"), m);
    }

    @Test
    void missingRasterColumn() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "labels", List.of(shp.toString()));
        String m = tileError(list, tmp.resolve("chips"));
        assertTrue(m.startsWith("scenes.csv: no 'raster' column (found labels); add a column 'raster'"), m);
    }

    @Test
    void repeatedSceneAndBadValuesNameTheRow() throws Exception {
        Path twice = csv(tmp.resolve("twice.csv"), "raster", List.of(olinda.toString(), olinda.toString()));
        assertEquals("twice.csv row 2: repeats the raster of row 1 (L7_ETMs.tif); list each scene once",
                tileError(twice, tmp.resolve("chips")));
        Path chip = csv(tmp.resolve("chip.csv"), "raster,chip_size", List.of(olinda + ",big"));
        assertEquals("chip.csv row 1: chipSize 'big' is not a whole number; write e.g. 64",
                tileError(chip, tmp.resolve("chips")));
        Path mode = csv(tmp.resolve("mode.csv"), "raster,mode", List.of(olinda + ",segmentaton"));
        assertEquals("mode.csv row 1 (L7_ETMs.tif): column mode 'segmentaton': unknown; use classification or"
                + " segmentation", tileError(mode, tmp.resolve("chips")));
        Path mixed = csv(tmp.resolve("mixed.csv"), "raster,chip", List.of(olinda + ",32",
                data("rgb-byte/RGB.byte.tif") + ",64"));
        String m = tileError(mixed, tmp.resolve("chips"));
        assertTrue(m.startsWith("mixed.csv row 2: classification chips of 64 px, but row 1 asks for classification"
                + " chips of 32 px; one store holds one kind of chip"), m);
    }

    @Test
    void singleFileStoreMissingListAndUnknownFormat() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "raster", List.of(olinda.toString()));
        assertTrue(tileError(list, tmp.resolve("chips.parquet"))
                .contains("chips.parquet: the Spark tile job writes a folder of Parquet parts, not one .parquet file"));
        assertTrue(tileError(tmp.resolve("nope.csv"), tmp.resolve("chips"))
                .startsWith(tmp.resolve("nope.csv") + ": scene list not found; pass a CSV, JSON or Parquet list"));
        Path txt = Files.writeString(tmp.resolve("scenes.txt"), olinda.toString());
        assertTrue(tileError(txt, tmp.resolve("chips")).startsWith("scenes.txt: unknown scene-list format; use .csv"));
        Path empty = csv(tmp.resolve("empty.csv"), "raster", List.of());
        assertEquals("empty.csv: the scene list has no rows; add one row per scene",
                tileError(empty, tmp.resolve("chips")));
    }

    @Test
    void jsonListsWithArraysAndRelativePaths() throws Exception {
        Files.createDirectories(tmp.resolve("lists"));
        Path json = Files.writeString(tmp.resolve("lists/scenes.json"), "[{\"scene\": \"../missing.tif\","
                + " \"classes\": [\"RURAL\", \"URBANO\"], \"chip\": 32}]");
        SceneList list = SceneList.read(spark(), json, TileJob.COLUMNS, java.util.Map.of("scene", "raster",
                "chip", "chipSize"), List.of("raster"));
        SceneList.Entry e = list.entries().get(0);
        assertEquals(tmp.resolve("missing.tif"), e.path("raster"));
        assertEquals(List.of("RURAL", "URBANO"), e.list("classes"));
        assertEquals(32L, e.integer("chipSize"));
        TilingSettings s = TileSettings.overriddenBy(TilingSettings.defaults(), e);
        assertEquals(List.of("RURAL", "URBANO"), s.classes());
        assertEquals(32, s.chipSize());
    }

    @Test
    void commandLineUsageErrorsExitWithTwoAndOneLine() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "raster,colour", List.of(olinda + ",red"));
        SparkTestSupport.Run r = SparkTestSupport.jobs("tile", "--scenes", list, "--out", tmp.resolve("chips"),
                "--labels", shp, "--label-field", "TIPO");
        assertEquals(SparkJobs.USAGE, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: scenes.csv: unknown column 'colour'"), r.err());
        SparkTestSupport.Run noJob = SparkTestSupport.jobs();
        assertEquals(SparkJobs.USAGE, noJob.code());
        assertTrue(noJob.err().startsWith("error: no job given; use tile or predict"), noJob.err());
        SparkTestSupport.Run missingOption = SparkTestSupport.jobs("tile", "--out", tmp.resolve("chips"));
        assertEquals(SparkJobs.USAGE, missingOption.code());
        assertTrue(missingOption.err().startsWith("error: pass --scenes LIST (scenes tiled one per task) or --raster"
                + " RASTER (one region in blocks)"), missingOption.err());
        assertEquals(1, missingOption.err().lines().count(), missingOption.err());
    }

    /**
     * Bad values of the tile job's own flags were not checked, or not as usage errors: --workers-per-task 0 or -1
     * ran (as 1), --out /vsis3/... wrote a local folder /vsis3, --classes naming a class twice failed every scene
     * (exit 1), --master bogus://x was an "unexpected SparkException" (exit 1) after Spark's stack trace.
     */
    @Test
    void badFlagValuesAreUsageErrors() throws Exception {
        Path list = csv(tmp.resolve("scenes.csv"), "raster", List.of(olinda.toString()));
        Object[] tile = {"tile", "--scenes", list, "--labels", shp, "--label-field", "TIPO", "--out",
            tmp.resolve("chips")};
        assertEquals("error: --workers-per-task 0: must be at least 1, e.g. --workers-per-task 1; see"
                + " 'geolightning-spark tile --help'", usageError(with(tile, "--workers-per-task", 0)));
        assertTrue(usageError(with(tile, "--workers-per-task", -1)).startsWith("error: --workers-per-task -1: must"));
        assertTrue(usageError("tile", "--scenes", list, "--labels", shp, "--label-field", "TIPO", "--out",
                "/vsis3/bucket/chips").startsWith("error: --out /vsis3/bucket/chips: outputs are written to local"
                + " files, not to GDAL virtual paths"));
        assertEquals("error: --classes URBANO,URBANO,RURAL: class URBANO is named twice; name each class once; see"
                + " 'geolightning-spark tile --help'", usageError(with(tile, "--classes", "URBANO,URBANO,RURAL")));
        assertEquals("error: --master bogus://x: not a Spark master URL; pass local[*], local[N], spark://HOST:PORT,"
                + " yarn or k8s://https://HOST:PORT", usageError(with(tile, "--master", "bogus://x")));
        assertTrue(usageError(with(tile, "--chip", "abc")).startsWith("error: Invalid value for option '--chip'"));
        assertTrue(usageError(with(tile, "--split", "training")).startsWith("error: --split training: unknown"));
        assertTrue(usageError("tile", "--raster", olinda, "--labels", shp, "--label-field", "TIPO", "--out",
                tmp.resolve("chips"), "--block-size", 0).startsWith("error: --block-size 0: must be positive"));
        assertFalse(Files.exists(tmp.resolve("chips")) || Files.exists(Path.of("/vsis3")), "nothing written");
    }
}
