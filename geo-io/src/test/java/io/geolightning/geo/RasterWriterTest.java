package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RasterWriterTest {

    @TempDir
    Path tmp;

    private List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rgbWindowRoundTripsThroughCog() throws IOException {
        Path out = tmp.resolve("rgb_window.tif");
        PixelWindow w = new PixelWindow(120, 60, 640, 600);
        try (GeoRaster src = GeoRaster.open(TestData.RGB)) {
            RasterWindow win = src.read(w);
            RasterWriter.builder(out, win).format(RasterFormat.COG).build().write(win);
            assertEquals(List.of("rgb_window.tif"), filesIn(tmp), "no temporary files left");

            JsonNode info = TestData.gdalinfo(out);
            assertEquals("COG", info.at("/metadata/IMAGE_STRUCTURE/LAYOUT").asText());
            assertTrue(info.at("/bands/0/overviews").size() >= 1, "overviews: " + info.at("/bands/0/overviews"));
            assertEquals(640, info.at("/size/0").asInt());
            assertEquals(600, info.at("/size/1").asInt());
            Crs written = Crs.fromWkt(info.at("/coordinateSystem/wkt").asText());
            assertTrue(written.isEquivalent(src.requireCrs()));
            assertEquals(32618, written.epsg().orElseThrow());
            double[] expectedGt = src.geoTransform().forWindow(w).toGdal();
            for (int i = 0; i < 6; i++) {
                assertEquals(expectedGt[i], info.at("/geoTransform/" + i).asDouble(), 1e-9);
            }
            assertEquals(0.0, info.at("/bands/0/noDataValue").asDouble());

            try (GeoRaster back = GeoRaster.open(out)) {
                RasterWindow again = back.readAll();
                assertArrayEquals(win.bytes(), again.bytes(), "pixel-exact round trip");
                assertArrayEquals(expectedGt, back.geoTransform().toGdal(), 1e-9);
                assertEquals(0.0, back.nodata(3).orElseThrow());
            }
        }
    }

    @Test
    void classMapWithPaletteMetadataAndDescriptions() {
        Path out = tmp.resolve("classes.tif");
        try (GeoRaster l7 = GeoRaster.open(TestData.L7)) {
            RasterWindow mask = RasterWindow.builder(RasterDataType.UINT8, 1, l7.width(), l7.height())
                    .geoTransform(l7.geoTransform()).crs(l7.requireCrs()).build();
            for (int y = 0; y < mask.height(); y++) {
                for (int x = 0; x < mask.width(); x++) {
                    mask.setDouble(0, x, y, (x / 50 + y / 50) % 3);
                }
            }
            RasterWriter.builder(out, mask)
                    .colorTable(Map.of(0, Color.BLACK, 1, new Color(255, 0, 0), 2, new Color(0, 128, 0)))
                    .bandDescriptions(List.of("land use"))
                    .metadata("CLASS_1", "urban").metadata("CLASS_2", "rural")
                    .build().write(mask);
            JsonNode info = TestData.gdalinfo(out);
            assertEquals("urban", info.get("metadata").get("").get("CLASS_1").asText());
            assertEquals("land use", info.at("/bands/0/description").asText());
            assertEquals("Palette", info.at("/bands/0/colorInterpretation").asText());
            JsonNode red = info.at("/bands/0/colorTable/entries/1");
            assertEquals(255, red.get(0).asInt());
            assertEquals(0, red.get(1).asInt());
            try (GeoRaster back = GeoRaster.open(out)) {
                assertArrayEquals(mask.bytes(), back.readAll().bytes());
                assertEquals("rural", back.metadata().get("CLASS_2"));
                assertEquals("land use", back.bandDescription(1));
            }
        }
    }

    /**
     * A class COG with a legend: GDAL reads the category names and the raster attribute table back (from the
     * .aux.xml sidecar), GDAL's COG validator still passes, the QGIS style parses with a paletted renderer holding
     * every class with its label and colour (names with XML's special characters included), and a second write
     * replaces all three files.
     */
    @Test
    void classLegendReachesGdalAndQgisAndTheCogStaysValid() throws Exception {
        Path out = tmp.resolve("landuse.tif");
        RasterWindow map = RasterWindow.builder(RasterDataType.UINT8, 1, 700, 600).build();
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                map.setDouble(0, x, y, (x / 70 + y / 90) % 3);
            }
        }
        ClassLegend legend = ClassLegend.of(List.of("water", "forest & <woods>", "built \"up\""),
                Map.of(0, new Color(0, 100, 255), 1, new Color(38, 115, 0), 2, ClassLegend.parseHex("#e60000")));
        RasterWriter.builder(out, map).format(RasterFormat.COG).nodata(255)
                .colorTable(Map.of(0, new Color(0, 100, 255), 1, new Color(38, 115, 0), 2, new Color(230, 0, 0)))
                .legend(legend).build().write(map);
        assertEquals(List.of("landuse.qml", "landuse.tif", "landuse.tif.aux.xml"), filesIn(tmp));

        JsonNode info = TestData.gdalinfo(out);
        assertEquals(List.of("water", "forest & <woods>", "built \"up\""),
                new ObjectMapper().convertValue(info.at("/bands/0/categories"), List.class));
        JsonNode rows = info.at("/rat/row");
        assertEquals(3, rows.size(), info.at("/rat").toString());
        assertEquals("[2,\"built \\\"up\\\"\",230,0,0,255]", rows.get(2).get("f").toString());
        assertEquals("thematic", info.at("/rat/tableType").asText());
        String validation = TestData.run("/usr/bin/python3", "-c", "import sys\n"
                + "from osgeo_utils.samples.validate_cloud_optimized_geotiff import validate\n"
                + "errors, warnings, _ = validate(sys.argv[1], full_check=True)\n"
                + "print('errors', errors, 'warnings', warnings)", out.toString());
        assertEquals("errors [] warnings []", validation.strip());

        Document qml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("landuse.qml").toFile());
        Element renderer = (Element) qml.getElementsByTagName("rasterrenderer").item(0);
        assertEquals("paletted", renderer.getAttribute("type"));
        assertEquals("1", renderer.getAttribute("band"));
        NodeList entries = qml.getElementsByTagName("paletteEntry");
        assertEquals(3, entries.getLength());
        Element forest = (Element) entries.item(1);
        assertEquals("1", forest.getAttribute("value"));
        assertEquals("forest & <woods>", forest.getAttribute("label"));
        assertEquals("#267300", forest.getAttribute("color"));

        RasterWriter.builder(out, map).format(RasterFormat.GTIFF).legend(ClassLegend.of(List.of("a", "b", "c"),
                Map.of(0, Color.RED, 1, Color.GREEN, 2, Color.BLUE))).build().write(map);
        assertEquals(List.of("a", "b", "c"), new ObjectMapper().convertValue(TestData.gdalinfo(out)
                .at("/bands/0/categories"), List.class), "the sidecar follows the new file");
        assertTrue(Files.readString(tmp.resolve("landuse.qml")).contains("label=\"c\""));
        RasterWriter.builder(out, map).build().write(map);
        assertEquals(List.of("landuse.tif"), filesIn(tmp), "no stale sidecar (.aux.xml, .qml) of the replaced file");
        assertTrue(TestData.gdalinfo(out).at("/bands/0/categories").isMissingNode());

        GeoIOException e = assertThrows(GeoIOException.class, () -> RasterWriter.builder(out, map)
                .dataType(RasterDataType.FLOAT32).legend(legend).build());
        TestData.assertOneLine(e, "class names need one UINT8 or UINT16 band");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ClassLegend.parseHex("green"));
        assertEquals("'green' is not a colour; write it as #rrggbb (e.g. #d62728)", bad.getMessage());
    }

    @Test
    void streamingWriterAssemblesWindowsIncludingEdgeOverhang() throws IOException {
        Path out = tmp.resolve("l7_copy.tif");
        try (GeoRaster src = GeoRaster.open(TestData.L7)) {
            RasterWriter writer = RasterWriter.builder(out).size(src.width(), src.height())
                    .bandCount(src.bandCount()).dataType(src.dataType()).crs(src.requireCrs())
                    .geoTransform(src.geoTransform()).build();
            try (StreamingRasterWriter s = writer.open()) {
                for (int y = 0; y < src.height(); y += 128) {
                    for (int x = 0; x < src.width(); x += 128) {
                        s.writeWindow(src.read(new PixelWindow(x, y, 128, 128)));
                    }
                }
                assertFalse(Files.exists(out), "nothing at the final path before commit");
                s.commit();
            }
            assertEquals(List.of("l7_copy.tif"), filesIn(tmp));
            try (GeoRaster back = GeoRaster.open(out)) {
                assertArrayEquals(src.readAll().bytes(), back.readAll().bytes());
                assertTrue(back.requireCrs().isEquivalent(src.requireCrs()));
            }
        }
    }

    @Test
    void abandonedWriteLeavesExistingFileUntouched() throws IOException {
        Path out = tmp.resolve("keep.tif");
        RasterWindow ones = RasterWindow.builder(RasterDataType.UINT8, 1, 64, 64).nodata(1).build();
        RasterWriter.builder(out, ones).build().write(ones);
        long size = Files.size(out);
        try (StreamingRasterWriter s = RasterWriter.builder(out).size(64, 64).build().open()) {
            s.writeWindow(new PixelWindow(0, 0, 64, 64), new byte[64 * 64]);
            // no commit: simulated failure
        }
        assertEquals(List.of("keep.tif"), filesIn(tmp));
        assertEquals(size, Files.size(out));
        try (GeoRaster back = GeoRaster.open(out)) {
            assertEquals(1.0, back.readAll().getDouble(0, 10, 10));
        }
    }

    @Test
    void everyDataTypeRoundTrips() {
        for (RasterDataType type : RasterDataType.values()) {
            RasterWindow w = RasterWindow.builder(type, 2, 37, 23).nodata(type.isSigned() ? -7 : 7).build();
            for (int b = 0; b < 2; b++) {
                for (int y = 0; y < 23; y++) {
                    for (int x = 0; x < 37; x++) {
                        double v = type.isFloatingPoint() ? (x - y) * 0.25 + b : type.isSigned() ? (x - y) * (b + 1)
                                : x + y * 3 + b;
                        w.setDouble(b, x, y, v);
                    }
                }
            }
            if (type == RasterDataType.UINT16 || type == RasterDataType.UINT32) {
                w.setDouble(0, 0, 0, type.maxValue());
            }
            RasterWindow decoded = RasterWindow.fromBytes(w.asBytes(), type, 2, 37, 23);
            assertArrayEquals(w.toFloatArray(), decoded.toFloatArray(), 0f, type.name());
            Path out = tmp.resolve(type.name() + ".tif");
            RasterWriter.builder(out, w).build().write(w);
            try (GeoRaster back = GeoRaster.open(out)) {
                assertEquals(type, back.dataType());
                RasterWindow r = back.readAll();
                assertEquals(type.isSigned() ? -7.0 : 7.0, back.nodata(2).orElseThrow(), type.name());
                for (int b = 0; b < 2; b++) {
                    for (int y = 0; y < 23; y++) {
                        for (int x = 0; x < 37; x++) {
                            assertEquals(w.getDouble(b, x, y), r.getDouble(b, x, y), type + " " + b + " " + x + "," + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void missingOutputFolderIsRefused() {
        Path out = tmp.resolve("no/such/folder/out.tif");
        GeoIOException e = assertThrows(GeoIOException.class,
                () -> RasterWriter.builder(out).size(10, 10).build());
        TestData.assertOneLine(e, "out.tif", "does not exist", "mkdir -p");
    }

    @Test
    void inconsistentConfigurationIsRefused() {
        Path out = tmp.resolve("bad.tif");
        GeoIOException palette = assertThrows(GeoIOException.class, () -> RasterWriter.builder(out).size(4, 4)
                .bandCount(3).colorTable(Map.of(1, Color.RED)).build());
        TestData.assertOneLine(palette, "bad.tif", "colour table");
        GeoIOException nodata = assertThrows(GeoIOException.class, () -> RasterWriter.builder(out).size(4, 4)
                .nodata(-1).build());
        TestData.assertOneLine(nodata, "bad.tif", "nodata -1.0", "UINT8");
        RasterWindow small = RasterWindow.builder(RasterDataType.UINT8, 1, 4, 4).build();
        GeoIOException size = assertThrows(GeoIOException.class,
                () -> RasterWriter.builder(out).size(8, 8).build().write(small));
        TestData.assertOneLine(size, "bad.tif", "does not match");
        assertFalse(Files.exists(out));
    }
}
