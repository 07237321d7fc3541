package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterizeOptions;
import io.geolightning.geo.Rasterizer;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelSet;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two New Brunswick scenes, four land-cover classes from a text field, 255 = ignore kept in the masks. */
class NewBrunswickIgnoreTest {
    @TempDir
    Path tmp;

    /** The text field's codes get the ids a numeric field of them would: "255" after "4", not between "2" and "3". */
    @Test
    void textCodesSortByValue() {
        Path gpkg = TestData.data("new-brunswick/BakerLake_2017_clipped.gpkg");
        assertEquals(List.of("background", "1", "2", "3", "4", "255"),
                LabelSet.load(LabelConfig.segmentation(gpkg, "Quatreclasses")).classNames());
        assertEquals(List.of("background", "1", "2", "3", "4"),
                LabelSet.load(LabelConfig.segmentation(gpkg, "Quatreclasses").withIgnoreValue(255)).classNames());
    }

    /**
     * Without a label field every polygon burns the last class: with four named classes the other three would never be
     * labelled (evaluate --raster of a four-class segmenter without --label-field scored every polygon as '4'), so it
     * is refused naming the field to pass; one named class (buildings) stays a presence mask.
     */
    @Test
    void severalClassesWithoutAFieldAreRefused() {
        Path gpkg = TestData.data("new-brunswick/BakerLake_2017_clipped.gpkg");
        TilingException e = org.junit.jupiter.api.Assertions.assertThrows(TilingException.class, () -> LabelSet.load(
                LabelConfig.segmentation(gpkg, null).withClassNames(List.of("background", "1", "2", "3", "4"))));
        assertEquals("BakerLake_2017_clipped.gpkg: no label field tells the polygons' classes ['1', '2', '3', '4']"
                + " apart (without one every polygon is '4'); pass the field that holds each polygon's class"
                + " (--label-field, data.labelField)", e.getMessage());
        assertEquals(List.of("background", "wetland"), LabelSet.load(LabelConfig.segmentation(gpkg, null)
                .withClassNames(List.of("background", "wetland"))).classNames());
        assertEquals(List.of("background", "foreground"), LabelSet.load(LabelConfig.segmentation(gpkg, null))
                .classNames());
    }

    @Test
    void multiSceneSegmentationKeepsTheIgnoreValue() {
        Path a = TestData.data("new-brunswick/23322E759967N_clipped_1m_1of2.tif");
        Path b = TestData.data("new-brunswick/23322E759967N_clipped_1m_2of2.tif");
        Path gpkg = TestData.data("new-brunswick/BakerLake_2017_clipped.gpkg");
        TilingResult r = Tiler.run(TilingConfig.builder().scenes(a, b)
                .labels(LabelConfig.segmentation(gpkg, "Quatreclasses").withIgnoreValue(255)
                        .withClassNames(List.of("1", "2", "3", "4")))
                .chipSize(64).stride(48).store(tmp.resolve("nb.parquet")).workers(2).build());
        assertEquals(List.of("background", "1", "2", "3", "4"), r.metadata().classNames());
        assertEquals(255, r.metadata().ignoreValue());
        List<ChipRow> rows = new ArrayList<>();
        ChipStoreReader.open(tmp.resolve("nb.parquet")).forEach(rows::add);
        Set<String> scenes = new TreeSet<>();
        Set<Integer> values = new TreeSet<>();
        RasterizeOptions opts = RasterizeOptions.builder().classMap("Quatreclasses",
                Map.of("background", 0, "1", 1, "2", 2, "3", 3, "4", 4)).background(0).ignoreValue(255).build();
        try (VectorSource v = VectorSource.open(gpkg); GeoRaster ra = GeoRaster.open(a); GeoRaster rb = GeoRaster.open(b)) {
            for (ChipRow row : rows) {
                scenes.add(Path.of(row.scene()).getFileName().toString());
                for (byte m : row.mask()) {
                    values.add(m & 0xFF);
                }
                GeoRaster src = row.scene().equals(a.toString()) ? ra : rb;
                assertArrayEquals(Rasterizer.rasterize(v, opts, src, new PixelWindow(row.x(), row.y(), 64, 64))
                        .bytes(), row.mask(), row.chipId());
            }
        }
        assertEquals(2, scenes.size(), "chips from both scenes");
        assertTrue(values.contains(255), "ignore value kept: " + values);
        assertTrue(values.stream().allMatch(x -> x <= 4 || x == 255), values.toString());
        assertTrue(values.stream().filter(x -> x >= 1 && x <= 4).count() >= 2, values.toString());
    }
}
