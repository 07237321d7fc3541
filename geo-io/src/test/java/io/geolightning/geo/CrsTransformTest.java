package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

class CrsTransformTest {
    private static final GeometryFactory GF = new GeometryFactory();

    /** Runs gdaltransform (lon/lat order, like ours) on one point. */
    private static double[] gdaltransform(String from, String to, double x, double y) throws Exception {
        Process p = new ProcessBuilder("gdaltransform", "-s_srs", from, "-t_srs", to).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((x + " " + y + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String[] parts = out.split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    @Test
    void knownUtmPointsLonLatOrder() throws Exception {
        CrsTransform t = CrsTransform.of(Crs.fromEpsg(4326), Crs.fromEpsg(32618));
        assertFalse(t.isIdentity());
        Coordinate c = t.transform(new Coordinate(-75, 0)); // central meridian on the equator
        assertEquals(500000.0, c.x, 1e-6);
        assertEquals(0.0, c.y, 1e-6);
        Coordinate c45 = t.transform(new Coordinate(-75, 45));
        assertEquals(500000.0, c45.x, 1e-6);
        assertEquals(4982950.400, c45.y, 1e-3); // standard UTM table value
        double[] ref = gdaltransform("EPSG:4326", "EPSG:32618", -73.9857, 40.7484);
        Coordinate ours = t.transform(new Coordinate(-73.9857, 40.7484));
        assertEquals(ref[0], ours.x, 1e-4);
        assertEquals(ref[1], ours.y, 1e-4);
        Coordinate back = t.inverse().transform(ours);
        assertEquals(-73.9857, back.x, 1e-9);
        assertEquals(40.7484, back.y, 1e-9);
    }

    @Test
    void olindaTractGeometryMatchesGdaltransform() throws Exception {
        try (VectorSource v = VectorSource.open(TestData.OLINDA_SHP)) {
            Crs target = Crs.fromEpsg(31985);
            CrsTransform t = CrsTransform.of(v.requireCrs(), target);
            Geometry g = v.features().get(0).geometry();
            Geometry p = t.transform(g);
            assertEquals(g.getNumPoints(), p.getNumPoints());
            Coordinate src = g.getCoordinates()[3];
            Coordinate dst = p.getCoordinates()[3];
            double[] ref = gdaltransform(TestData.DATA.resolve("olinda/olinda1.prj").toString(), "EPSG:31985",
                    src.x, src.y);
            assertEquals(ref[0], dst.x, 1e-3);
            assertEquals(ref[1], dst.y, 1e-3);
            assertTrue(p.isValid());
        }
    }

    @Test
    void envelopeIsDensified() {
        CrsTransform t = CrsTransform.of(Crs.fromEpsg(4326), Crs.fromEpsg(32618));
        Envelope geo = new Envelope(-80, -70, 40, 50);
        Envelope utm = t.transform(geo);
        // every point along the edges lies inside
        for (int i = 0; i <= 100; i++) {
            double f = i / 100.0;
            for (Coordinate c : new Coordinate[] {new Coordinate(-80 + 10 * f, 40), new Coordinate(-80 + 10 * f, 50),
                new Coordinate(-80, 40 + 10 * f), new Coordinate(-70, 40 + 10 * f)}) {
                Coordinate u = t.transform(c);
                assertTrue(utm.getMinX() <= u.x + 1e-6 && u.x - 1e-6 <= utm.getMaxX()
                        && utm.getMinY() <= u.y + 1e-6 && u.y - 1e-6 <= utm.getMaxY(), c + " -> " + u + " outside " + utm);
            }
        }
        // the southern edge bulges below its corners: corners alone would miss it
        double cornerMinY = Math.min(t.transform(new Coordinate(-80, 40)).y, t.transform(new Coordinate(-70, 40)).y);
        assertTrue(utm.getMinY() < cornerMinY - 1000, utm.getMinY() + " vs corners " + cornerMinY);
        assertEquals(t.transform(new Coordinate(-75, 40)).y, utm.getMinY(), 1.0);
    }

    @Test
    void identityShortCut() {
        Crs a = Crs.fromEpsg(32618);
        Crs b = Crs.fromUserInput("+proj=utm +zone=18 +datum=WGS84 +units=m +no_defs");
        assertTrue(a.isEquivalent(b));
        CrsTransform t = CrsTransform.of(a, b);
        assertTrue(t.isIdentity());
        Polygon p = GF.createPolygon(new Coordinate[] {new Coordinate(0, 0), new Coordinate(1, 0),
            new Coordinate(1, 1), new Coordinate(0, 0)});
        assertSame(p, t.transform(p));
        assertFalse(Crs.fromEpsg(32618).isEquivalent(Crs.fromEpsg(32619)));
    }

    @Test
    void crsParsingAndIdentification() {
        Crs wgs = Crs.fromUserInput("EPSG:4326");
        assertEquals(4326, wgs.epsg().orElseThrow());
        assertTrue(wgs.isGeographic());
        assertTrue(Crs.fromWkt(wgs.wkt()).isEquivalent(wgs));
        assertEquals(Crs.fromWkt(wgs.wkt()), wgs);
        assertTrue(wgs.toString().startsWith("EPSG:4326"));
        GeoIOException e = assertThrows(GeoIOException.class, () -> Crs.fromUserInput("EPSG:99999999"));
        TestData.assertOneLine(e, "EPSG:99999999", "not understood");
        GeoIOException w = assertThrows(GeoIOException.class, () -> Crs.fromWkt("PROJCS[nonsense"));
        TestData.assertOneLine(w, "PROJCS[nonsense", "not a valid WKT");
        GeoIOException c = assertThrows(GeoIOException.class, () -> Crs.fromEpsg(12345678));
        TestData.assertOneLine(c, "EPSG:12345678");
    }

    @Test
    void failedPointsRaiseAClearError() throws IOException {
        CrsTransform t = CrsTransform.of(Crs.fromEpsg(4326), Crs.fromEpsg(3857));
        GeoIOException e = assertThrows(GeoIOException.class, () -> t.transform(new Coordinate(0, 95)));
        TestData.assertOneLine(e, "cannot be transformed", "EPSG:4326");
    }
}
