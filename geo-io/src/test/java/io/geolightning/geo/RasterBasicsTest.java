package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;

/** GeoTransform, PixelWindow and RasterWindow behaviour, including a rotated raster checked with gdalinfo. */
class RasterBasicsTest {

    @TempDir
    Path tmp;

    @Test
    void geoTransformInverseWithRotation() {
        GeoTransform gt = new GeoTransform(1000, 2.0, 0.5, 5000, 0.3, -2.0);
        assertTrue(gt.hasRotation());
        for (double[] p : new double[][] {{0, 0}, {10.5, 3.25}, {-4, 99}}) {
            Coordinate m = gt.pixelToMap(p[0], p[1]);
            Coordinate back = gt.mapToPixel(m);
            assertEquals(p[0], back.x, 1e-9);
            assertEquals(p[1], back.y, 1e-9);
        }
        GeoTransform sub = gt.forWindow(new PixelWindow(10, 20, 5, 5));
        assertEquals(gt.pixelToMap(12, 23), sub.pixelToMap(2, 3));
        assertArrayEquals(gt.toGdal(), GeoTransform.fromGdal(gt.toGdal()).toGdal());
        assertFalse(GeoTransform.northUp(0, 0, 1, 1).hasRotation());
        TestData.assertOneLine(assertThrows(GeoIOException.class, () -> new GeoTransform(0, 0, 0, 0, 0, 1)),
                "not invertible");
    }

    @Test
    void pixelWindowAlgebra() {
        PixelWindow a = new PixelWindow(0, 0, 100, 50);
        PixelWindow b = new PixelWindow(90, 40, 20, 20);
        assertEquals(Optional.of(new PixelWindow(90, 40, 10, 10)), a.intersection(b));
        assertTrue(a.contains(99, 49));
        assertFalse(a.contains(100, 49));
        assertFalse(a.contains(b));
        assertEquals(5000, a.area());
        assertTrue(a.intersection(new PixelWindow(100, 0, 5, 5)).isEmpty());
    }

    @Test
    void validMaskFollowsGdalPerDatasetSemantics() {
        RasterWindow w = RasterWindow.builder(RasterDataType.UINT8, 2, 3, 1).nodata(0)
                .window(new PixelWindow(-1, 0, 3, 1)).coverage(new PixelWindow(0, 0, 10, 10)).build();
        // pixel 0 is outside coverage; pixel 1: band0 nodata, band1 valid; pixel 2: both nodata
        w.setDouble(0, 0, 0, 5);
        w.setDouble(1, 1, 0, 7);
        assertArrayEquals(new boolean[] {false, true, false}, w.validMask());
        assertArrayEquals(new boolean[] {false, false, false}, w.validMask(0));
        assertEquals(2 / 3.0, w.nodataFraction(), 1e-12);
        RasterWindow f = RasterWindow.builder(RasterDataType.FLOAT32, 1, 2, 1).build();
        f.floats()[1] = Float.NaN;
        assertArrayEquals(new boolean[] {true, false}, f.validMask());
        RasterWindow u16 = RasterWindow.builder(RasterDataType.UINT16, 1, 1, 1).build();
        u16.setDouble(0, 0, 0, 65000);
        assertEquals(65000f, u16.toFloatArray()[0]);
    }

    @Test
    void rotatedRasterFootprintMatchesGdalinfo() {
        Path out = tmp.resolve("rotated.tif");
        GeoTransform gt = new GeoTransform(300000, 10, 3, 5000000, 2, -10);
        RasterWindow w = RasterWindow.builder(RasterDataType.UINT8, 1, 40, 30).geoTransform(gt)
                .crs(Crs.fromEpsg(32618)).build();
        RasterWriter.builder(out, w).build().write(w);
        JsonNode info = TestData.gdalinfo(out);
        try (GeoRaster r = GeoRaster.open(out)) {
            assertTrue(r.geoTransform().hasRotation());
            Coordinate[] ring = r.footprint().getCoordinates();
            String[] corners = {"upperLeft", "upperRight", "lowerRight", "lowerLeft"};
            for (int i = 0; i < 4; i++) {
                JsonNode c = info.at("/cornerCoordinates/" + corners[i]);
                assertEquals(c.get(0).asDouble(), ring[i].x, 1e-3, corners[i]);
                assertEquals(c.get(1).asDouble(), ring[i].y, 1e-3, corners[i]);
            }
            // a map point's window lies inside the raster where expected
            Coordinate centre = gt.pixelToMap(20.5, 15.5);
            PixelWindow pw = r.windowFor(new org.locationtech.jts.geom.Envelope(centre));
            assertEquals(20, pw.x());
            assertEquals(15, pw.y());
        }
    }
}
