package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygonal;

/**
 * Curve geometry types are read as linear JTS geometries whether or not they hold an arc: a layer converted with
 * {@code ogr2ogr -nlt CURVEPOLYGON} (or {@code MULTISURFACE}) keeps straight rings under a curve type, and a layer
 * drawn with circular arcs is linearised.
 */
class VectorCurveTypesTest {

    @TempDir
    Path tmp;

    @Test
    void curveTypesOfStraightRingsReadAsThePolygonsTheyHold() {
        for (String type : List.of("CURVEPOLYGON", "MULTISURFACE")) {
            Path curved = tmp.resolve(type.toLowerCase() + ".gpkg");
            TestData.run("ogr2ogr", "-q", "-nlt", type, curved.toString(), TestData.OLINDA_SHP.toString());
            try (VectorSource plain = VectorSource.open(TestData.OLINDA_SHP);
                 VectorSource source = VectorSource.open(curved)) {
                List<VectorFeature> expected = plain.features();
                List<VectorFeature> read = source.features(); // failed: "Unknown WKB type 10" (12 for MULTISURFACE)
                assertEquals(expected.size(), read.size(), type);
                for (int i = 0; i < read.size(); i++) {
                    Geometry g = read.get(i).geometry();
                    assertTrue(g instanceof Polygonal, type + " feature " + i + " is " + g.getGeometryType());
                    assertTrue(g.equalsTopo(expected.get(i).geometry()), type + " feature " + i);
                    assertEquals(expected.get(i).attribute("TIPO"), read.get(i).attribute("TIPO"));
                }
            }
        }
    }

    @Test
    void circularArcsAreLinearised() {
        Path circle = tmp.resolve("circle.csv");
        java.util.function.Function<Double, String> arc = r -> "\"CURVEPOLYGON (CIRCULARSTRING (" + (-r) + " 0, 0 " + r
                + ", " + r + " 0, 0 " + (-r) + ", " + (-r) + " 0))\"";
        try {
            java.nio.file.Files.writeString(circle, "WKT,name\n" + arc.apply(1000.0) + ",disc\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Path gpkg = tmp.resolve("circle.gpkg");
        TestData.run("ogr2ogr", "-q", "-a_srs", "EPSG:31985", "-nlt", "CURVEPOLYGON", gpkg.toString(),
                circle.toString());
        try (VectorSource source = VectorSource.open(gpkg)) {
            Geometry g = source.features().get(0).geometry();
            assertEquals("Polygon", g.getGeometryType());
            assertEquals(Math.PI * 1000 * 1000, g.getArea(), Math.PI * 1000 * 1000 * 0.005);
        }
    }
}
