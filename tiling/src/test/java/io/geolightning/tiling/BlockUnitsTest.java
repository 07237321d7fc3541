package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Crs;
import io.geolightning.geo.Gdal;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.WarpOptions;
import org.gdal.gdal.gdal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --block 300m} means 300 metres whatever the raster's CRS unit: the Massachusetts scene in its metre CRS and
 * the very same pixels in the feet edition of that CRS (EPSG:2249, coordinates divided by the US survey foot) split
 * into the same blocks; in degrees (a warped copy in EPSG:4326) 300 m are blocks of ~0.0027 degrees, where "300 map
 * units" would be a single block.
 */
class BlockUnitsTest {
    static final Path SCENE = TestData.data("massachusetts/22978945_15.tif");
    static final Path LABELS = TestData.data("massachusetts/buildings_22978945_15.gpkg");
    static final double US_FOOT = 1200.0 / 3937.0;

    @TempDir
    Path tmp;

    @Test
    void crsUnitsInMetres() {
        assertEquals(1.0, Crs.fromEpsg(26986).metresPerUnit().getAsDouble());
        assertEquals(US_FOOT, Crs.fromEpsg(2249).metresPerUnit().getAsDouble(), 1e-12);
        assertEquals(111_195, Crs.fromEpsg(4326).metresPerUnit().getAsDouble(), 1);
        assertEquals(US_FOOT * US_FOOT, Crs.fromEpsg(2249).squareMetresPerSquareUnit(42), 1e-12);
        double degree = Crs.fromEpsg(4326).metresPerUnit().getAsDouble();
        assertEquals(degree * degree * Math.cos(Math.toRadians(60)), Crs.fromEpsg(4326).squareMetresPerSquareUnit(60),
                1e-3, "a square degree at 60 degrees north: half of one at the equator");
    }

    @Test
    void aBlockInMetresIsTheSameGroundInFeetAndInDegrees() {
        Gdal.ensureInitialised();
        Dataset in = gdal.Open(SCENE.toString());
        double[] gt = in.GetGeoTransform();
        double minx = gt[0];
        double maxy = gt[3];
        double maxx = minx + gt[1] * in.getRasterXSize();
        double miny = maxy + gt[5] * in.getRasterYSize();
        Path feet = tmp.resolve("feet.tif");
        gdal.Translate(feet.toString(), in, new TranslateOptions(new Vector<>(List.of("-a_srs", "EPSG:2249",
                "-a_ullr", str(minx / US_FOOT), str(maxy / US_FOOT), str(maxx / US_FOOT), str(miny / US_FOOT)))))
                .delete();
        Path degrees = tmp.resolve("wgs84.tif");
        gdal.Warp(degrees.toString(), new Dataset[] {in}, new WarpOptions(new Vector<>(List.of("-t_srs",
                "EPSG:4326")))).delete();
        in.delete();

        Map<String, Long> metres = splits(SCENE, BlockGrid.metres(300), "m");
        Map<String, Long> inFeet = splits(feet, BlockGrid.metres(300), "ft");
        assertEquals(metres, inFeet, "the same pixels, the same 300 m blocks");
        assertNotEquals(metres, splits(feet, BlockGrid.mapUnits(300), "ft-units"), "300 feet blocks differ");
        Map<String, Long> wgs84 = splits(degrees, BlockGrid.metres(300), "deg");
        assertTrue(wgs84.get("train") > 0 && wgs84.get("val") > 0 && wgs84.get("test") > 0, wgs84.toString());
        TilingException e = org.junit.jupiter.api.Assertions.assertThrows(TilingException.class,
                () -> splits(degrees, BlockGrid.mapUnits(300), "deg-units"));
        assertTrue(e.getMessage().contains("only 1 block"), e.getMessage());
    }

    private Map<String, Long> splits(Path scene, BlockGrid grid, String name) {
        TilingResult r = Tiler.run(TilingConfig.builder().scenes(scene)
                .labels(LabelConfig.segmentation(LABELS, null)).chipSize(64)
                .split(SplitConfig.spatial(grid, new SplitRatios(0.6, 0.2, 0.2), 5))
                .store(tmp.resolve(name)).build());
        return Map.of("train", r.metadata().rows("train"), "val", r.metadata().rows("val"), "test",
                r.metadata().rows("test"));
    }

    private static String str(double v) {
        return Double.toString(v);
    }
}
