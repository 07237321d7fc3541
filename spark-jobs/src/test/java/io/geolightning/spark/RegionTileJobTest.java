package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.jobs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.app.cli.GeoLightningCli;
import io.geolightning.foundation.testing.Quadrants;
import io.geolightning.tiling.store.ChipStoreReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark tile job on a region split into blocks (local[2]): the four-file Massachusetts catalog (one file in
 * EPSG:32619 at 1.2 m) with the building footprints, tiled in blocks of 200 px that line up with neither the 64-px
 * chips nor the files, holds exactly the chips of the single-machine CLI tiling of the region: same chips, splits,
 * masks and pixels (a spatial split, so splits are region-wide), same band statistics; in a box given in another CRS,
 * and for a band stack of single-band files at two resolutions ({@code --bands-from}) too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionTileJobTest {

    Path tmp;
    Path tiles;

    @BeforeAll
    void quadrants(@TempDir Path dir) throws Exception {
        tmp = dir;
        tiles = Quadrants.cut(data("massachusetts/22978945_15.tif"), dir.resolve("tiles"));
    }

    @Test
    void blocksOfARegionHoldTheChipsOfTheSingleMachineTiling() throws Exception {
        assertSameChips("whole", 30, List.of("--raster", tiles.resolve("*.tif")));
    }

    @Test
    void blocksOfABandStackHoldTheChipsOfTheSingleMachineTiling() throws Exception {
        // three single-band files, the third at half the resolution (Sentinel-2's 20 m beside its 10 m bands)
        Path bands = Files.createDirectories(tmp.resolve("bands"));
        Path scene = data("massachusetts/22978945_15.tif");
        Quadrants.gdal("gdal_translate", "-q", "-b", "1", scene.toString(), bands.resolve("b1.tif").toString());
        Quadrants.gdal("gdal_translate", "-q", "-b", "2", scene.toString(), bands.resolve("b2.tif").toString());
        Quadrants.gdal("gdal_translate", "-q", "-b", "3", "-outsize", "50%", "50%", "-r", "average",
                scene.toString(), bands.resolve("b3.tif").toString());
        assertSameChips("stack", 30, List.of("--bands-from", bands.resolve("b1.tif") + "," + bands.resolve("b2.tif")
                + "," + bands.resolve("b3.tif"), "--resampling", "bilinear"));
    }

    @Test
    void blocksOfARegionInABoxHoldTheChipsOfTheSingleMachineTiling() throws Exception {
        // a box in EPSG:4326 (another CRS) over the middle of the scene, across the four files
        assertSameChips("bbox", 30, List.of("--raster", tiles.resolve("*.tif"), "--bbox",
                "-71.1440,42.2975,-71.1380,42.3020,EPSG:4326"));
    }

    private void assertSameChips(String name, int blocks, List<Object> rasters) throws Exception {
        List<Object> common = new ArrayList<>(rasters);
        common.addAll(List.of("--labels",
                data("massachusetts/buildings_22978945_15.gpkg"), "--mode", "segmentation", "--chip", 64, "--stride",
                48, "--split", "spatial", "--val", 0.2, "--test", 0.1, "--block", 3));
        Path single = tmp.resolve(name + "-single-chips");
        List<Object> a = new ArrayList<>(List.of("tile"));
        a.addAll(common);
        a.addAll(List.of("--out", single));
        StringWriter err = new StringWriter();
        assertEquals(0, GeoLightningCli.execute(strings(a), new PrintWriter(new StringWriter()), new PrintWriter(err)),
                err.toString());

        Path spark = tmp.resolve(name + "-spark-chips");
        List<Object> b = new ArrayList<>(List.of("tile"));
        b.addAll(common);
        b.addAll(List.of("--out", spark, "--block-size", 200, "--master", "local[2]"));
        SparkTestSupport.Run r = jobs(b.toArray());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("from " + blocks + " of " + blocks + " block(s)"), r.out());
        StoreDigest expected = StoreDigest.of(single);
        assertEquals(expected, StoreDigest.of(spark));
        long chips = ChipStoreReader.open(single).rowCount();
        assertTrue(chips > (name.equals("bbox") ? 10 : 300), "a real tiling: " + chips + " chips");
        // the same train pixels; the blocks' partial sums are merged in another order (last bits of a double)
        var x = ChipStoreReader.open(single).requireMetadata().bandStatistics();
        var y = ChipStoreReader.open(spark).requireMetadata().bandStatistics();
        assertArrayEquals(x.count(), y.count());
        for (int band = 0; band < x.mean().length; band++) {
            assertEquals(x.mean()[band], y.mean()[band], 1e-9 * Math.abs(x.mean()[band]));
            assertEquals(x.std()[band], y.std()[band], 1e-9 * Math.abs(x.std()[band]));
            assertEquals(x.min()[band], y.min()[band]);
            assertEquals(x.max()[band], y.max()[band]);
        }
        assertEquals(ChipStoreReader.open(single).requireMetadata().rowCounts(),
                ChipStoreReader.open(spark).requireMetadata().rowCounts());
        assertFalse(Files.exists(spark.resolve("_staging")), "staging removed");
    }

    @Test
    void badRegionTilingIsAOneLineErrorWithNothingWritten() {
        Path never = tmp.resolve("never-chips");
        SparkTestSupport.Run r = jobs("tile", "--raster", tmp.resolve("nowhere/*.tif"), "--labels",
                data("massachusetts/buildings_22978945_15.gpkg"), "--mode", "segmentation", "--out", never,
                "--master", "local[2]");
        assertTrue(r.code() == 1 || r.code() == 2, r.err());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("matches no file"), r.err());
        r = jobs("tile", "--raster", tiles.resolve("q1.tif"), "--labels", data("massachusetts/buildings_22978945_15.gpkg"),
                "--mode", "segmentation", "--block-size", 0, "--out", never);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--block-size 0: must be positive"), r.err());
        r = jobs("tile", "--raster", tiles.resolve("q1.tif"), "--mode", "segmentation", "--out", never);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("pass --labels"), r.err());
        assertFalse(Files.exists(never));
    }

    private static String[] strings(List<Object> args) {
        return args.stream().map(String::valueOf).toArray(String[]::new);
    }
}
