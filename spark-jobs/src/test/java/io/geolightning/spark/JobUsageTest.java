package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.csv;
import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.spark;
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
}
