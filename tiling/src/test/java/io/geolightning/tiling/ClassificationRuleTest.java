package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.labels.ClassificationRule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Majority by area vs a minimum coverage with a background class or skipping, on Olinda. */
class ClassificationRuleTest {
    @TempDir
    Path tmp;

    private Map<String, String> labelsById(Path store) {
        Map<String, String> out = new HashMap<>();
        var reader = ChipStoreReader.open(store);
        var names = reader.requireMetadata().classNames();
        reader.forEach(r -> out.put(r.chipId(), names.get(r.label())));
        return out;
    }

    @Test
    void minimumCoverageFallsBackToBackgroundOrSkips() {
        Path tif = TestData.data("olinda/L7_ETMs.tif");
        LabelConfig base = LabelConfig.classification(TestData.data("olinda/olinda1.shp"), "TIPO");
        TilingConfig.Builder b = TilingConfig.builder().scenes(tif).chipSize(48).workers(2);
        TilingResult majority = Tiler.run(b.labels(base).store(tmp.resolve("m.parquet")).build());
        TilingResult mixed = Tiler.run(b.labels(base.withRule(ClassificationRule.minCoverage(0.95))
                .withBackground("MIXED")).store(tmp.resolve("b.parquet")).build());
        TilingResult skip = Tiler.run(b.labels(base.withRule(ClassificationRule.minCoverage(0.95)))
                .store(tmp.resolve("s.parquet")).build());

        assertEquals(java.util.List.of("MIXED", "RURAL", "URBANO"), mixed.metadata().classNames());
        Map<String, String> m = labelsById(tmp.resolve("m.parquet"));
        Map<String, String> x = labelsById(tmp.resolve("b.parquet"));
        Map<String, String> s = labelsById(tmp.resolve("s.parquet"));
        long background = x.values().stream().filter("MIXED"::equals).count();
        assertTrue(background > 0 && background < x.size(), "mixed chips: " + background + " of " + x.size());
        assertEquals(mixed.candidates(), x.size(), "background keeps every chip");
        assertEquals(majority.candidates(), m.size() + majority.skippedUnlabelled(), "majority skips chips on no polygon");
        assertEquals(x.size() - background, s.size(), "without a background the mixed chips are skipped");
        assertEquals(background, skip.skippedUnlabelled());
        for (var e : s.entrySet()) {
            assertEquals(m.get(e.getKey()), e.getValue(), "a well-covered chip has its majority class");
            assertEquals(x.get(e.getKey()), e.getValue());
        }
        ChipRow any = ChipStoreReader.open(tmp.resolve("m.parquet")).rows().next();
        assertEquals(48, any.width());
    }

    /**
     * A chip of Olinda's corner (64 x 64 px of 28.5 m) under class A drawn twice over its top 30 rows and class B over
     * its other 34 rows: B covers more of it, as its segmentation mask says; summing A's two copies made it A.
     */
    @Test
    void polygonsOfOneClassThatOverlapCountOnce() throws Exception {
        Path corner = tmp.resolve("corner.tif");
        double[] gt = corner(corner);
        double x0 = gt[0];
        double x1 = gt[0] + 64 * gt[1];
        double top = gt[3];
        double split = gt[3] + 30 * gt[5];
        double bottom = gt[3] + 64 * gt[5];
        String a = box(x0, split, x1, top);
        Path labels = LabelLayers.write(tmp.resolve("overlap.gpkg"), "l", 31985, "cls",
                org.gdal.ogr.ogrConstants.OFTString, java.util.List.of(a, a, box(x0, bottom, x1, split)),
                java.util.List.of("A", "A", "B"));
        Tiler.run(TilingConfig.builder().scenes(corner).chipSize(64).labels(LabelConfig.classification(labels, "cls"))
                .store(tmp.resolve("o.parquet")).build());
        assertEquals(Map.of("corner_x0_y0", "B"), labelsById(tmp.resolve("o.parquet")));
    }

    /** Writes Olinda's top-left 64 x 64 pixels to {@code corner}; returns its geotransform. */
    private static double[] corner(Path corner) {
        io.geolightning.geo.Gdal.ensureInitialised();
        org.gdal.gdal.Dataset in = org.gdal.gdal.gdal.Open(TestData.data("olinda/L7_ETMs.tif").toString());
        org.gdal.gdal.gdal.Translate(corner.toString(), in, new org.gdal.gdal.TranslateOptions(new java.util.Vector<>(
                java.util.List.of("-srcwin", "0", "0", "64", "64")))).delete();
        double[] gt = in.GetGeoTransform();
        in.delete();
        return gt;
    }

    /**
     * Polygons of two classes that overlap: the one read later covers the other, in a chip's class as in its mask.
     * A covers the whole 64 x 64 px chip and B, read after it, its top 40 rows: the mask holds 40 rows of B and 24 of
     * A, so the chip is B; counting the overlap for both classes made it A (64 rows against 40).
     */
    @Test
    void overlappingClassesCountForTheOneReadLastAsInTheMask() throws Exception {
        Path corner = tmp.resolve("corner.tif");
        double[] gt = corner(corner);
        double x1 = gt[0] + 64 * gt[1];
        double bottom = gt[3] + 64 * gt[5];
        Path labels = LabelLayers.write(tmp.resolve("classes.gpkg"), "l", 31985, "cls",
                org.gdal.ogr.ogrConstants.OFTString, java.util.List.of(box(gt[0], bottom, x1, gt[3]),
                        box(gt[0], gt[3] + 40 * gt[5], x1, gt[3])), java.util.List.of("A", "B"));
        Tiler.run(TilingConfig.builder().scenes(corner).chipSize(64).labels(LabelConfig.classification(labels, "cls"))
                .store(tmp.resolve("c.parquet")).build());
        assertEquals(Map.of("corner_x0_y0", "B"), labelsById(tmp.resolve("c.parquet")));
        Tiler.run(TilingConfig.builder().scenes(corner).chipSize(64).labels(LabelConfig.segmentation(labels, "cls"))
                .store(tmp.resolve("s.parquet")).build());
        long b = 0;
        for (byte v : ChipStoreReader.open(tmp.resolve("s.parquet")).rows().next().mask()) {
            b += v == 2 ? 1 : 0;
        }
        assertEquals(40 * 64, b, "the mask: B (id 2 after background and A) over the top 40 rows");
    }

    /**
     * A raster turned 45 degrees: a polygon inside a chip's bounding box but outside the chip is not the chip's class
     * (its whole area was counted when the box held it).
     */
    @Test
    void aRotatedChipIsLabelledByWhatMeetsItNotByItsBoundingBox() throws Exception {
        Path rotated = tmp.resolve("rot45.tif");
        double c = Math.sqrt(0.5);
        io.geolightning.geo.Gdal.ensureInitialised();
        org.gdal.gdal.Dataset d = org.gdal.gdal.gdal.GetDriverByName("GTiff").Create(rotated.toString(), 64, 64, 3);
        d.SetGeoTransform(new double[] {500000, c, c, 4000000, c, -c});
        org.gdal.osr.SpatialReference srs = new org.gdal.osr.SpatialReference();
        srs.ImportFromEPSG(32618);
        d.SetProjection(srs.ExportToWkt());
        for (int b = 1; b <= 3; b++) {
            d.GetRasterBand(b).Fill(100 + b);
        }
        d.delete();
        // chip x0_y0 spans pixels 0..32: corners (500000, 4000000), (+22.6, +22.6), (+45.3, 0), (+22.6, -22.6); its
        // box's lower-left corner is outside the diamond
        String outside = box(500001, 4000000 - 22.6 + 1, 500005, 4000000 - 22.6 + 5);
        double cx = 500000 + 32 * c + 32 * c; // the raster's centre, where the four chips meet
        double cy = 4000000;
        String centre = box(cx - 1, cy - 1, cx + 1, cy + 1);
        Path labels = LabelLayers.write(tmp.resolve("rot.gpkg"), "l", 32618, "cls",
                org.gdal.ogr.ogrConstants.OFTString, java.util.List.of(outside, centre), java.util.List.of("corner",
                        "centre"));
        Tiler.run(TilingConfig.builder().scenes(rotated).chipSize(32).labels(LabelConfig.classification(labels,
                "cls")).store(tmp.resolve("r.parquet")).build());
        Map<String, String> got = labelsById(tmp.resolve("r.parquet"));
        assertEquals(4, got.size(), got.toString());
        assertEquals("centre", got.get("rot45_x0_y0"), got.toString());
    }

    private static String box(double minx, double miny, double maxx, double maxy) {
        return String.format(java.util.Locale.ROOT, "POLYGON ((%f %f, %f %f, %f %f, %f %f, %f %f))", minx, miny, maxx,
                miny, maxx, maxy, minx, maxy, minx, miny);
    }
}
