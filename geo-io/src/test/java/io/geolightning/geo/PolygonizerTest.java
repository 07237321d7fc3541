package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

/**
 * Polygons from a class raster, checked against the raster itself: the Massachusetts building footprints burnt on
 * the 1 m aerial grid (with a nodata strip) are polygonized; the building polygons number the raster's 4- or
 * 8-connected building regions (counted here by a flood fill), their area is the building pixels' area, nodata makes
 * no polygon, the minimum area drops exactly the small regions, and the file carries the raster's CRS and the class
 * names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolygonizerTest {

    private static final int NODATA = 255;

    Path tmp;
    Path classes;
    byte[] pixels;
    int width;
    int height;
    double pixelArea;
    double pixelWidth;
    double originX;
    Crs crs;

    @BeforeAll
    void burnBuildings(@TempDir Path dir) {
        tmp = dir;
        assumeTrue(Files.exists(TestData.MASS_TIF), "Massachusetts data not present");
        try (GeoRaster aerial = GeoRaster.open(TestData.MASS_TIF); VectorSource buildings =
                VectorSource.open(TestData.MASS_GPKG)) {
            RasterWindow burnt = Rasterizer.rasterize(buildings, RasterizeOptions.builder().burnValue(1).background(0)
                    .build(), aerial);
            width = burnt.width();
            height = burnt.height();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < 40; x++) {
                    burnt.setDouble(0, x, y, NODATA); // a nodata strip down the left edge
                }
            }
            pixels = burnt.bytes();
            double[] gt = aerial.geoTransform().toGdal();
            pixelArea = Math.abs(gt[1] * gt[5]);
            pixelWidth = gt[1];
            originX = gt[0];
            crs = aerial.requireCrs();
            classes = tmp.resolve("buildings.tif");
            RasterWriter.builder(classes, burnt).format(RasterFormat.COG).nodata(NODATA).build().write(burnt);
        }
    }

    @Test
    void buildingPolygonsMatchTheRastersRegionsAndArea() throws IOException {
        for (boolean eight : List.of(true, false)) {
            Path out = tmp.resolve(eight ? "eight.gpkg" : "four.gpkg");
            Polygonizer.Result r = Polygonizer.polygonize(classes, out, List.of("background", "building"),
                    new Polygonizer.Options(eight, 0, 0));
            List<Integer> regions = regionSizes(1, eight);
            try (VectorSource v = VectorSource.open(out)) {
                assertTrue(v.requireCrs().isEquivalent(crs), v.requireCrs() + " vs " + crs);
                assertEquals(eight ? "eight" : "four", v.layerName());
                List<VectorFeature> buildings = v.features().stream()
                        .filter(f -> ((Number) f.attribute("class")).intValue() == 1).toList();
                assertEquals(regions.size(), buildings.size(), (eight ? "8" : "4") + "-connected building regions");
                assertTrue(regions.size() > 100, "a real scene: " + regions.size());
                double area = buildings.stream().mapToDouble(f -> f.geometry().getArea()).sum();
                long buildingPixels = regions.stream().mapToLong(Integer::longValue).sum();
                assertEquals(buildingPixels * pixelArea, area, buildingPixels * pixelArea * 0.005,
                        "polygon area vs pixel area");
                assertTrue(buildings.stream().allMatch(f -> "building".equals(f.attribute("name"))
                        && Math.abs(((Number) f.attribute("area")).doubleValue() - f.geometry().getArea()) < 1e-6));
                double minX = v.features().stream().mapToDouble(f -> f.geometry().getEnvelopeInternal().getMinX())
                        .min().orElseThrow();
                assertEquals(originX + 40 * pixelWidth, minX, 1e-6, "no polygon over the nodata strip");
                assertEquals(r.features(), v.featureCount());
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary left");
        }
    }

    @Test
    void minimumAreaDropsTheSmallRegionsAndSimplifyKeepsTheRest() {
        List<Integer> regions = regionSizes(1, true);
        double minArea = 30.5 * pixelArea; // between whole pixel counts: no region sits on the threshold
        long big = regions.stream().filter(n -> n * pixelArea >= minArea).count();
        Path out = tmp.resolve("big.geojson");
        Polygonizer.Result r = Polygonizer.polygonize(classes, out, List.of("background", "building"),
                new Polygonizer.Options(true, minArea, 0));
        try (VectorSource v = VectorSource.open(out)) {
            assertEquals(big, v.features().stream().filter(f -> ((Number) f.attribute("class")).intValue() == 1)
                    .count());
            assertTrue(r.dropped() >= regions.size() - big, r.toString());
        }
        Path simple = tmp.resolve("simple.fgb");
        Polygonizer.Result s = Polygonizer.polygonize(classes, simple, List.of("background", "building"),
                new Polygonizer.Options(true, minArea, 1.0));
        try (VectorSource v = VectorSource.open(simple)) {
            long vertices = v.features().stream().mapToLong(f -> f.geometry().getNumPoints()).sum();
            try (VectorSource full = VectorSource.open(out)) {
                long before = full.features().stream().mapToLong(f -> f.geometry().getNumPoints()).sum();
                assertTrue(vertices < before * 0.8, "simplified " + before + " -> " + vertices + " vertices");
            }
            assertEquals(r.features(), s.features(), "a 1-pixel tolerance keeps every polygon over 30 pixels");
        }
    }

    /**
     * Simplifying cuts the stairs off a digitised disc (29 pixels of 1 m, radius 3): below a minimum area of 28.5 m2
     * it is dropped, not written with an area under the minimum; kept without simplification.
     */
    @Test
    void aRegionSimplifiedBelowTheMinimumAreaIsDropped() {
        RasterWindow disc = RasterWindow.builder(RasterDataType.UINT8, 1, 20, 20)
                .geoTransform(GeoTransform.northUp(originX, 5_000_000, 1, -1)).crs(crs).build();
        int inside = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                boolean in = (x - 10) * (x - 10) + (y - 10) * (y - 10) <= 9;
                disc.setDouble(0, x, y, in ? 1 : 0);
                inside += in ? 1 : 0;
            }
        }
        assertEquals(29, inside);
        Path raster = tmp.resolve("disc.tif");
        RasterWriter.builder(raster, disc).format(RasterFormat.GTIFF).build().write(disc);
        for (double tolerance : new double[] {0, 1.5}) {
            Path out = tmp.resolve("disc-" + tolerance + ".gpkg");
            Polygonizer.polygonize(raster, out, List.of("background", "disc"),
                    new Polygonizer.Options(false, 28.5, tolerance));
            try (VectorSource v = VectorSource.open(out)) {
                List<Double> discs = v.features().stream().filter(f -> ((Number) f.attribute("class")).intValue() == 1)
                        .map(f -> ((Number) f.attribute("area")).doubleValue()).toList();
                assertEquals(tolerance == 0 ? List.of(29.0) : List.of(), discs, "tolerance " + tolerance);
            }
        }
    }

    /**
     * --min-area and the area field are square metres whatever the CRS's unit: the same class raster in the feet
     * edition of its CRS (coordinates divided by the US survey foot) keeps the same polygons with the same areas, and
     * warped to EPSG:4326 it keeps about as many (a 30-square-metre threshold was 30 square degrees: nothing left).
     */
    @Test
    void minimumAreaAndAreaAreSquareMetresInFeetAndDegrees() {
        double usFoot = 1200.0 / 3937.0;
        double minArea = 30.5 * pixelArea;
        Path feet = tmp.resolve("buildings-ft.tif");
        Path degrees = tmp.resolve("buildings-4326.tif");
        try (GeoRaster r = GeoRaster.open(classes)) {
            Envelope b = r.bounds();
            TestData.run("gdal_translate", "-q", "-a_srs", "EPSG:2249", "-a_ullr", String.valueOf(b.getMinX() / usFoot),
                    String.valueOf(b.getMaxY() / usFoot), String.valueOf(b.getMaxX() / usFoot),
                    String.valueOf(b.getMinY() / usFoot), classes.toString(), feet.toString());
        }
        TestData.run("gdalwarp", "-q", "-t_srs", "EPSG:4326", "-r", "near", classes.toString(), degrees.toString());
        List<String> names = List.of("background", "building");
        Map<Path, List<Double>> areas = new LinkedHashMap<>();
        for (Path in : List.of(classes, feet, degrees)) {
            Path out = tmp.resolve(in.getFileName().toString().replace(".tif", "-min.gpkg"));
            Polygonizer.polygonize(in, out, names, new Polygonizer.Options(true, minArea, 0));
            try (VectorSource v = VectorSource.open(out)) {
                areas.put(in, v.features().stream().filter(f -> ((Number) f.attribute("class")).intValue() == 1)
                        .map(f -> ((Number) f.attribute("area")).doubleValue()).sorted().toList());
            }
        }
        List<Double> metres = areas.get(classes);
        List<Double> inFeet = areas.get(feet);
        assertEquals(metres.size(), inFeet.size(), "the same polygons in feet");
        for (int i = 0; i < metres.size(); i++) {
            assertEquals(metres.get(i), inFeet.get(i), metres.get(i) * 1e-6, "area in square metres");
        }
        int inDegrees = areas.get(degrees).size();
        assertTrue(Math.abs(inDegrees - metres.size()) <= 0.1 * metres.size(), inDegrees + " vs " + metres.size());
        double total = metres.stream().mapToDouble(Double::doubleValue).sum();
        double totalDegrees = areas.get(degrees).stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(total, totalDegrees, 0.05 * total, "areas from degrees, in square metres");
    }

    /**
     * GDAL's 8-connected regions touch themselves at corners (two buildings meeting corner to corner in the
     * Massachusetts footprints; a dithered patch of them here): a polygon ring may not (OGC, GEOS, QGIS's checker),
     * so such layers are multipolygons and every feature is valid, with the area of its pixels. Checked with OGR's
     * (GEOS's) IsValid on every feature written, as {@code ogrinfo -sql "... not st_isvalid(geom)"} would.
     */
    @Test
    void eightConnectedPolygonsAreValidWithTheirPixelsArea() {
        byte[] dithered = pixels.clone();
        for (int y = 100; y < 160; y++) {
            for (int x = 100; x < 160; x++) {
                dithered[y * width + x] = (byte) ((x + y) % 2 == 0 || (x * 7 + y * 3) % 5 == 0 ? 1 : 0);
            }
        }
        Path raster = tmp.resolve("dithered.tif");
        try (GeoRaster aerial = GeoRaster.open(classes)) {
            RasterWindow w = aerial.readAll();
            System.arraycopy(dithered, 0, w.bytes(), 0, dithered.length);
            RasterWriter.builder(raster, w).format(RasterFormat.GTIFF).nodata(NODATA).build().write(w);
        }
        for (boolean eight : List.of(true, false)) {
            Path out = tmp.resolve(eight ? "dithered-8.gpkg" : "dithered-4.gpkg");
            Polygonizer.polygonize(raster, out, List.of("background", "building"),
                    new Polygonizer.Options(eight, 0, 0));
            org.gdal.ogr.DataSource ds = org.gdal.ogr.ogr.Open(out.toString());
            try {
                org.gdal.ogr.Layer layer = ds.GetLayer(0);
                assertEquals(eight ? org.gdal.ogr.ogrConstants.wkbMultiPolygon : org.gdal.ogr.ogrConstants.wkbPolygon,
                        layer.GetGeomType());
                long invalid = 0;
                double[] area = new double[2];
                for (org.gdal.ogr.Feature f = layer.GetNextFeature(); f != null; f = layer.GetNextFeature()) {
                    org.gdal.ogr.Geometry g = f.GetGeometryRef();
                    invalid += g.IsValid() ? 0 : 1;
                    assertEquals(layer.GetGeomType(), g.GetGeometryType());
                    area[f.GetFieldAsInteger("class")] += g.GetArea();
                    assertEquals(g.GetArea(), f.GetFieldAsDouble("area"), 1e-6);
                    f.delete();
                }
                assertEquals(0, invalid, (eight ? "8" : "4") + "-connected polygons that are not valid");
                for (int c = 0; c < 2; c++) {
                    int value = c;
                    long count = java.util.stream.IntStream.range(0, dithered.length)
                            .filter(i -> (dithered[i] & 0xff) == value).count();
                    assertEquals(count * pixelArea, area[c], 1e-6 * count * pixelArea, "class " + c + " area");
                }
            } finally {
                ds.delete();
            }
        }
    }

    /**
     * GeoJSON names a CRS only by its EPSG code (GDAL's driver writes nothing for another, and readers then take
     * longitudes and latitudes): a class raster in an EPSG CRS keeps it in a .geojson, one in a CRS with no EPSG code
     * (a PROJ string's UTM on GRS80) is refused in one line pointing to .gpkg, which keeps it, before anything is
     * written.
     */
    @Test
    void geoJsonKeepsAnEpsgCrsAndRefusesOneWithout() {
        Path epsg = tmp.resolve("crs-epsg.geojson");
        Polygonizer.polygonize(classes, epsg, List.of("background", "building"), Polygonizer.Options.DEFAULTS);
        try (VectorSource v = VectorSource.open(epsg)) {
            assertTrue(v.requireCrs().isEquivalent(crs), v.requireCrs() + " vs " + crs);
        }
        Path custom = tmp.resolve("custom-crs.tif");
        Crs proj = Crs.fromUserInput("+proj=utm +zone=19 +ellps=GRS80 +towgs84=0,0,0 +units=m +no_defs");
        assertTrue(proj.epsg().isEmpty(), "a CRS without an EPSG code: " + proj);
        try (GeoRaster r = GeoRaster.open(classes)) {
            RasterWindow w = r.readAll();
            RasterWriter.builder(custom, w).crs(proj).format(RasterFormat.GTIFF).nodata(NODATA).build().write(w);
        }
        Path json = tmp.resolve("custom-crs.geojson");
        GeoIOException e = assertThrows(GeoIOException.class, () -> Polygonizer.polygonize(custom, json,
                List.of("background", "building"), Polygonizer.Options.DEFAULTS));
        TestData.assertOneLine(e, "custom-crs.geojson", "EPSG", ".gpkg");
        assertTrue(Files.notExists(json));
        try (GeoRaster r = GeoRaster.open(custom)) {
            e = assertThrows(GeoIOException.class, () -> Polygonizer.checkOutput(json, r.requireCrs()));
            TestData.assertOneLine(e, "custom-crs.geojson", ".gpkg");
            Polygonizer.checkOutput(tmp.resolve("custom-crs.gpkg"), r.requireCrs());
        }
        Path gpkg = tmp.resolve("custom-crs.gpkg");
        Polygonizer.polygonize(custom, gpkg, List.of("background", "building"), Polygonizer.Options.DEFAULTS);
        try (VectorSource v = VectorSource.open(gpkg)) {
            assertTrue(v.requireCrs().isEquivalent(proj), v.requireCrs() + " vs " + proj);
        }
        // a compound CRS (the raster's + NAVD88 height, as a DSM-derived orthophoto declares) has no EPSG code of
        // its own, but flat polygons are in its horizontal part, which has one: written, where it was refused
        Path compound = tmp.resolve("compound-crs.tif");
        Crs withHeight = Crs.fromUserInput("EPSG:26986+5703");
        try (GeoRaster r = GeoRaster.open(classes)) {
            RasterWindow w = r.readAll();
            RasterWriter.builder(compound, w).crs(withHeight).format(RasterFormat.GTIFF).nodata(NODATA).build()
                    .write(w);
        }
        Path flat = tmp.resolve("compound.geojson");
        try (GeoRaster r = GeoRaster.open(compound)) {
            assertTrue(r.requireCrs().epsg().isEmpty(), "a compound CRS without an EPSG code: " + r.requireCrs());
            Polygonizer.checkOutput(flat, r.requireCrs());
        }
        Polygonizer.polygonize(compound, flat, List.of("background", "building"), Polygonizer.Options.DEFAULTS);
        try (VectorSource v = VectorSource.open(flat)) {
            assertTrue(v.requireCrs().isEquivalent(crs), v.requireCrs() + " vs " + crs);
        }
    }

    /**
     * In degrees, each polygon's area is its area on the sphere: the buildings raster placed over 0..60 degrees north
     * (EPSG:4326, gdal_translate -a_ullr) gives every building the area of its shape measured independently by PROJ
     * in a cylindrical equal-area projection (to 1e-6; taken at the raster's central latitude, 30 degrees, as before,
     * a building at 55 degrees north came out 1.5 times too large and one near the equator 0.87 times too small).
     */
    @Test
    void areasInDegreesAreEachPolygonsAreaOnTheSphere() {
        Path tall = tmp.resolve("buildings-0-60N.tif");
        TestData.run("gdal_translate", "-q", "-a_srs", "EPSG:4326", "-a_ullr", "-10", "60", "10", "0",
                classes.toString(), tall.toString());
        Path out = tmp.resolve("buildings-0-60N.gpkg");
        Polygonizer.polygonize(tall, out, List.of("background", "building"), Polygonizer.Options.DEFAULTS);
        Crs wgs84 = Crs.fromEpsg(4326);
        CrsTransform equalArea = CrsTransform.of(wgs84, Crs.fromUserInput("+proj=cea +R=6371008.8 +units=m"));
        try (VectorSource v = VectorSource.open(out)) {
            List<VectorFeature> buildings = v.features().stream()
                    .filter(f -> ((Number) f.attribute("class")).intValue() == 1).toList();
            assertTrue(buildings.size() > 100, "buildings: " + buildings.size());
            double north = 0;
            for (VectorFeature f : buildings) {
                double expected = equalArea.transform(f.geometry()).getArea();
                double area = ((Number) f.attribute("area")).doubleValue();
                assertEquals(expected, area, expected * 1e-6, "building at " + f.geometry().getCentroid());
                north = Math.max(north, f.geometry().getCentroid().getY());
            }
            assertTrue(north > 50, "buildings reach " + north + " degrees north");
        }
    }

    @Test
    void badOutputsAreRefusedWithOneLine() {
        GeoIOException e = assertThrows(GeoIOException.class, () -> Polygonizer.polygonize(classes,
                tmp.resolve("out.shp"), List.of(), Polygonizer.Options.DEFAULTS));
        TestData.assertOneLine(e, "out.shp", ".gpkg");
        e = assertThrows(GeoIOException.class, () -> new Polygonizer.Options(true, -1, 0));
        TestData.assertOneLine(e, "-1");
        assertTrue(Files.notExists(tmp.resolve("out.shp")));
    }

    /** Sizes (pixels) of the connected regions of one class value, by flood fill. */
    private List<Integer> regionSizes(int value, boolean eight) {
        boolean[] seen = new boolean[pixels.length];
        List<Integer> sizes = new java.util.ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < pixels.length; start++) {
            if (seen[start] || (pixels[start] & 0xff) != value) {
                continue;
            }
            int size = 0;
            seen[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                size++;
                int px = p % width;
                int py = p / width;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0)) {
                            continue;
                        }
                        int x = px + dx;
                        int y = py + dy;
                        int q = y * width + x;
                        if (x >= 0 && y >= 0 && x < width && y < height && !seen[q] && (pixels[q] & 0xff) == value) {
                            seen[q] = true;
                            queue.add(q);
                        }
                    }
                }
            }
            sizes.add(size);
        }
        return sizes;
    }
}
