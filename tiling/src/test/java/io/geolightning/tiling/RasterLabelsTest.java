package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

/**
 * New Brunswick's land-cover polygons rasterised with gdal_rasterize (Quatreclasses, 0 where no polygon, 255 =
 * ignore) and used as labels: the same masks as tiling with the polygons.
 */
class RasterLabelsTest {

    @TempDir
    Path tmp;

    private static final Path CLIP = TestData.data("new-brunswick/23322E759967N_clipped_1m_1of2.tif");
    private static final Path GPKG = TestData.data("new-brunswick/BakerLake_2017_clipped.gpkg");
    private static final List<String> CLASSES = List.of("1", "2", "3", "4");

    static Path rasterise(Path out) throws IOException, InterruptedException {
        try (GeoRaster r = GeoRaster.open(CLIP)) {
            Envelope b = r.bounds();
            run("gdal_rasterize", "-q", "-a", "Quatreclasses", "-init", "0", "-ot", "Byte", "-te", "" + b.getMinX(),
                    "" + b.getMinY(), "" + b.getMaxX(), "" + b.getMaxY(), "-ts", "" + r.width(), "" + r.height(),
                    GPKG.toString(), out.toString());
        }
        return out;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
    }

    private static LabelConfig rasterLabels(Path labels, List<String> classes) {
        return new LabelConfig(GdalPath.of(labels), null, null, classes, "background", 255, null, false,
                LabelTask.SEGMENTATION);
    }

    private static Map<String, byte[]> masks(Path store) {
        Map<String, byte[]> out = new HashMap<>();
        ChipStoreReader.open(store).forEach(r -> out.put(r.chipId(), r.mask()));
        return out;
    }

    @Test
    void aRasterisedLabelLayerGivesThePolygonsMasks() throws Exception {
        Path labels = rasterise(tmp.resolve("labels.tif"));
        TilingResult v = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(LabelConfig.segmentation(GPKG,
                "Quatreclasses").withIgnoreValue(255).withClassNames(CLASSES)).chipSize(64).store(tmp.resolve("v"))
                .workers(2).build());
        TilingResult r = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(labels, CLASSES))
                .chipSize(64).store(tmp.resolve("r")).workers(2).build());
        assertEquals(v.metadata().classNames(), r.metadata().classNames());
        TilingResult found = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(labels, null))
                .chipSize(64).store(tmp.resolve("f")).workers(2).build());
        assertEquals(List.of("background", "1", "2", "3", "4"), found.metadata().classNames(),
                "without --classes: the values found, 0 the background class");
        Map<String, byte[]> a = masks(tmp.resolve("v"));
        Map<String, byte[]> b = masks(tmp.resolve("r"));
        long labelled = 0;
        long same = 0;
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            byte[] m = b.get(e.getKey());
            if (m == null) {
                continue;
            }
            for (int i = 0; i < m.length; i++) {
                if ((e.getValue()[i] & 0xFF) != 255) {
                    labelled++;
                    same += e.getValue()[i] == m[i] ? 1 : 0;
                }
            }
        }
        assertTrue(b.keySet().containsAll(a.keySet()) || a.size() - b.size() <= a.size() / 100,
                "the same chips: " + a.size() + " vs " + b.size());
        assertTrue(labelled > 50_000, "labelled pixels " + labelled);
        assertTrue(same >= 0.995 * labelled, "equal labelled pixels " + (double) same / labelled);
    }

    @Test
    void categoryNamesNameTheClasses() throws Exception {
        Path labels = rasterise(tmp.resolve("named.tif"));
        org.gdal.gdal.Dataset ds = org.gdal.gdal.gdal.Open(labels.toString(),
                org.gdal.gdalconst.gdalconstConstants.GA_Update);
        ds.GetRasterBand(1).SetCategoryNames(new java.util.Vector<>(List.of("", "wetland", "forest", "water", "open")));
        ds.delete(); // GDAL keeps the names in named.tif.aux.xml
        TilingResult named = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(labels, null))
                .chipSize(64).store(tmp.resolve("n")).workers(2).build());
        assertEquals(List.of("background", "wetland", "forest", "water", "open"), named.metadata().classNames(),
                "the raster's category names, an unnamed 0 the background");
        TilingResult byValue = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(rasterise(
                tmp.resolve("plain.tif")), null)).chipSize(64).store(tmp.resolve("p")).workers(2).build());
        Map<String, byte[]> a = masks(tmp.resolve("n"));
        Map<String, byte[]> b = masks(tmp.resolve("p"));
        assertEquals(b.keySet(), a.keySet());
        b.forEach((id, m) -> assertTrue(java.util.Arrays.equals(m, a.get(id)), "same class ids: " + id));
        // a legend that names a class this area lacks (urban = 5): still a class, so other areas' ids agree
        Path legend = rasterise(tmp.resolve("legend.tif"));
        org.gdal.gdal.Dataset ld = org.gdal.gdal.gdal.Open(legend.toString(),
                org.gdal.gdalconst.gdalconstConstants.GA_Update);
        ld.GetRasterBand(1).SetCategoryNames(new java.util.Vector<>(List.of("", "wetland", "forest", "water", "open",
                "urban")));
        ld.delete();
        TilingResult wider = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(legend, null))
                .chipSize(64).store(tmp.resolve("l")).workers(2).build());
        assertEquals(List.of("background", "wetland", "forest", "water", "open", "urban"),
                wider.metadata().classNames(), "every class the legend names");
        Map<String, byte[]> c = masks(tmp.resolve("l"));
        b.forEach((id, m) -> assertTrue(java.util.Arrays.equals(m, c.get(id)), "same class ids: " + id));
        TilingException e = assertThrows(TilingException.class, () -> Tiler.run(TilingConfig.builder().scenes(CLIP)
                .labels(rasterLabels(labels, List.of("wetland", "forest"))).chipSize(64).store(tmp.resolve("x"))
                .build()));
        assertTrue(e.getMessage().startsWith("named.tif: the label raster holds values [water, open] not among the"
                + " classes [wetland, forest]"), e.getMessage());
    }

    @Test
    void valuesNamedWithTheClassesNameRasterAndVectorLabels() throws Exception {
        // --classes 1=wetland,2=forest,3=water,4=open (YAML classes: {1: wetland, ...}) on the raster and on the
        // polygons' Quatreclasses codes: named classes, the same masks as by value
        LabelConfig.Classes named = LabelConfig.Classes.parse(List.of("1=wetland", "2=forest", "3=water", "4=open"));
        assertEquals(List.of("wetland", "forest", "water", "open"), named.names());
        Path labels = rasterise(tmp.resolve("coded.tif"));
        TilingResult raster = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(new LabelConfig(GdalPath.of(labels),
                null, null, named.names(), "background", 255, null, false, LabelTask.SEGMENTATION, named.valueNames()))
                .chipSize(64).store(tmp.resolve("rn")).workers(2).build());
        TilingResult vector = Tiler.run(TilingConfig.builder().scenes(CLIP).labels(new LabelConfig(GdalPath.of(GPKG),
                null, "Quatreclasses", named.names(), "background", 255, null, false, LabelTask.SEGMENTATION,
                named.valueNames())).chipSize(64).store(tmp.resolve("vn")).workers(2).build());
        List<String> expected = List.of("background", "wetland", "forest", "water", "open");
        assertEquals(expected, raster.metadata().classNames());
        assertEquals(expected, vector.metadata().classNames());
        Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(labels, CLASSES)).chipSize(64)
                .store(tmp.resolve("rv")).workers(2).build());
        Map<String, byte[]> byName = masks(tmp.resolve("rn"));
        Map<String, byte[]> byValue = masks(tmp.resolve("rv"));
        assertEquals(byValue.keySet(), byName.keySet());
        byValue.forEach((id, m) -> assertTrue(java.util.Arrays.equals(m, byName.get(id)), "same class ids: " + id));
        long named1 = masks(tmp.resolve("vn")).values().stream().mapToLong(m -> count(m, 1)).sum();
        assertTrue(named1 > 1000, "the polygons of code 1 burn as class 1 (wetland): " + named1 + " px");

        TilingException e = assertThrows(TilingException.class,
                () -> LabelConfig.Classes.parse(List.of("1=wetland", "forest")));
        assertEquals("classes", e.setting());
        assertTrue(e.problem().startsWith("'forest' is not value=name"), e.problem());
        e = assertThrows(TilingException.class, () -> LabelConfig.Classes.parse(List.of("1=wetland", "1=forest")));
        assertTrue(e.problem().startsWith("value 1 is named twice"), e.problem());
    }

    private static long count(byte[] mask, int value) {
        long n = 0;
        for (byte b : mask) {
            n += (b & 0xFF) == value ? 1 : 0;
        }
        return n;
    }

    @Test
    void labelRastersThatDoNotFitAreOneLine() throws Exception {
        Path labels = rasterise(tmp.resolve("labels.tif"));
        TilingException e = assertThrows(TilingException.class, () -> Tiler.run(TilingConfig.builder().scenes(CLIP)
                .labels(rasterLabels(labels, List.of("1", "2", "3"))).chipSize(64).store(tmp.resolve("x")).build()));
        assertTrue(e.getMessage().startsWith("labels.tif: the label raster holds value [4] not among the classes"
                + " [1, 2, 3]"), e.getMessage());
        // --unknown ignore: value 4's pixels (raster) and code 4's polygons (vector) become the ignore value
        Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(labels, CLASSES)).chipSize(64)
                .store(tmp.resolve("all")).workers(2).build());
        Tiler.run(TilingConfig.builder().scenes(CLIP).labels(rasterLabels(labels, List.of("1", "2", "3"))
                .withIgnoreUnknown(true)).chipSize(64).store(tmp.resolve("three")).workers(2).build());
        Tiler.run(TilingConfig.builder().scenes(CLIP).labels(LabelConfig.segmentation(GPKG, "Quatreclasses")
                .withIgnoreValue(255).withClassNames(List.of("1", "2", "3")).withIgnoreUnknown(true)).chipSize(64)
                .store(tmp.resolve("three-vector")).workers(2).build());
        Map<String, byte[]> all = masks(tmp.resolve("all"));
        Map<String, byte[]> three = masks(tmp.resolve("three"));
        Map<String, byte[]> threeVector = masks(tmp.resolve("three-vector"));
        long fours = 0;
        for (Map.Entry<String, byte[]> x : all.entrySet()) {
            byte[] t = three.get(x.getKey());
            for (int i = 0; t != null && i < t.length; i++) {
                int before = x.getValue()[i] & 0xFF;
                assertEquals(before == 4 ? 255 : before, t[i] & 0xFF, "pixel " + i + " of " + x.getKey());
                fours += before == 4 ? 1 : 0;
            }
        }
        assertTrue(fours > 1000, "class 4 pixels became ignored: " + fours);
        long ignoredVector = threeVector.values().stream().mapToLong(m -> count(m, 255)).sum();
        assertTrue(ignoredVector >= fours / 2, "code 4 polygons burn the ignore value: " + ignoredVector);
        Path png = tmp.resolve("nocrs.png");
        run("gdal_translate", "-q", "-of", "PNG", labels.toString(), png.toString());
        Files.deleteIfExists(tmp.resolve("nocrs.png.aux.xml"));
        e = assertThrows(TilingException.class, () -> Tiler.run(TilingConfig.builder().scenes(CLIP)
                .labels(rasterLabels(png, CLASSES)).chipSize(64).store(tmp.resolve("x")).build()));
        assertTrue(e.getMessage().startsWith("nocrs.png: the label raster has no CRS"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("x")), "nothing written");
    }
}
