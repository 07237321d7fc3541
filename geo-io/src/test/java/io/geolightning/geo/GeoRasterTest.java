package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;

class GeoRasterTest {

    /**
     * A VRT stacking a Byte band and a UInt16 band (made with the GDAL tools) is read as UInt16: every value of the
     * 16-bit band as gdallocationinfo reports it, none clamped to 255 as reading it at band 1's type did.
     */
    @Test
    void bandsOfMixedTypesAreReadInATypeThatHoldsThemAll(@TempDir Path tmp) {
        Path wide = tmp.resolve("wide.tif");
        Path narrow = tmp.resolve("narrow.tif");
        Path vrt = tmp.resolve("mixed.vrt");
        TestData.run("gdal_translate", "-q", "-b", "1", "-ot", "UInt16", "-scale", "0", "255", "0", "10000",
                TestData.MASS_TIF.toString(), wide.toString());
        TestData.run("gdal_translate", "-q", "-b", "2", TestData.MASS_TIF.toString(), narrow.toString());
        TestData.run("gdalbuildvrt", "-q", "-separate", vrt.toString(), narrow.toString(), wide.toString());
        try (GeoRaster r = GeoRaster.open(vrt)) {
            assertEquals(RasterDataType.UINT16, r.dataType());
            RasterWindow w = r.read(new PixelWindow(0, 0, r.width(), r.height()));
            double max = 0;
            for (int y = 0; y < r.height(); y++) {
                for (int x = 0; x < r.width(); x++) {
                    max = Math.max(max, w.getDouble(1, x, y));
                }
            }
            assertTrue(max > 255, "16-bit band clamped: max " + max);
            for (int[] p : new int[][] {{5, 7}, {600, 450}, {1100, 800}}) {
                String[] v = TestData.run("gdallocationinfo", "-valonly", vrt.toString(), String.valueOf(p[0]),
                        String.valueOf(p[1])).trim().split("\\s+");
                assertEquals(Double.parseDouble(v[0]), w.getDouble(0, p[0], p[1]), "byte band at " + p[0]);
                assertEquals(Double.parseDouble(v[1]), w.getDouble(1, p[0], p[1]), "16-bit band at " + p[0]);
            }
        }
    }

    @Test
    void olindaLandsatMetadata() {
        try (GeoRaster r = GeoRaster.open(TestData.L7)) {
            assertEquals(6, r.bandCount());
            assertEquals(349, r.width());
            assertEquals(352, r.height());
            assertEquals(RasterDataType.UINT8, r.dataType());
            assertEquals(31985, r.requireCrs().epsg().orElseThrow());
            assertTrue(r.requireCrs().isProjected());
            JsonNode info = TestData.gdalinfo(TestData.L7);
            JsonNode gt = info.get("geoTransform");
            assertArrayEquals(new double[] {gt.get(0).asDouble(), gt.get(1).asDouble(), gt.get(2).asDouble(),
                gt.get(3).asDouble(), gt.get(4).asDouble(), gt.get(5).asDouble()}, r.geoTransform().toGdal(), 1e-9);
            JsonNode ll = info.get("cornerCoordinates").get("lowerLeft");
            JsonNode ur = info.get("cornerCoordinates").get("upperRight");
            Envelope b = r.bounds();
            assertEquals(ll.get(0).asDouble(), b.getMinX(), 1e-3);
            assertEquals(ll.get(1).asDouble(), b.getMinY(), 1e-3);
            assertEquals(ur.get(0).asDouble(), b.getMaxX(), 1e-3);
            assertEquals(ur.get(1).asDouble(), b.getMaxY(), 1e-3);
        }
    }

    @Test
    void readsMatchGdalLocationInfo() {
        try (GeoRaster r = GeoRaster.open(TestData.L7)) {
            RasterWindow all = r.readAll();
            assertEquals(6, all.bandCount());
            assertTrue(all.isFullyCovered());
            // pixel (200, 150), all bands, through gdallocationinfo
            String out = TestData.run("gdallocationinfo", "-valonly", TestData.L7.toString(), "200", "150");
            double[] expected = Arrays.stream(out.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
            double[] got = new double[6];
            for (int b = 0; b < 6; b++) {
                got[b] = all.getDouble(b, 200, 150);
            }
            assertArrayEquals(expected, got);
            // a sub-window read equals the same pixels of the full read, band 5 and 2 selected
            RasterWindow sub = r.read(new PixelWindow(100, 120, 30, 20), 5, 2);
            assertEquals(2, sub.bandCount());
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 30; x++) {
                    assertEquals(all.getDouble(4, 100 + x, 120 + y), sub.getDouble(0, x, y));
                    assertEquals(all.getDouble(1, 100 + x, 120 + y), sub.getDouble(1, x, y));
                }
            }
            assertEquals(r.geoTransform().pixelToMap(100, 120), sub.geoTransform().pixelToMap(0, 0));
        }
    }

    @Test
    void windowAcrossEdgeIsPaddedWithNodata() {
        try (GeoRaster r = GeoRaster.open(TestData.RGB)) {
            assertEquals(0.0, r.nodata(1).orElseThrow());
            RasterWindow full = r.readAll();
            PixelWindow w = new PixelWindow(r.width() - 50, -30, 100, 80);
            RasterWindow win = r.read(w);
            assertEquals(new PixelWindow(r.width() - 50, 0, 50, 50), win.coverage());
            for (int b = 0; b < 3; b++) {
                assertEquals(0.0, win.nodata(b).orElseThrow());
                for (int y = 0; y < 80; y++) {
                    for (int x = 0; x < 100; x++) {
                        int sx = w.x() + x;
                        int sy = w.y() + y;
                        double expected = sx < r.width() && sy >= 0 ? full.getDouble(b, sx, sy) : 0.0;
                        assertEquals(expected, win.getDouble(b, x, y), "band " + b + " at " + x + "," + y);
                    }
                }
            }
            boolean[] valid = win.validMask();
            assertFalse(valid[0]); // outside
            assertTrue(win.nodataFraction() > 0.6);
            // fully outside: all nodata, nothing valid, no exception
            RasterWindow out = r.read(new PixelWindow(-500, -500, 64, 64));
            assertEquals(1.0, out.nodataFraction());
            assertEquals(0, out.coverage().area());
        }
    }

    @Test
    void footprintAndWindowLookup() {
        try (GeoRaster r = GeoRaster.open(TestData.MASS_TIF)) {
            assertEquals(255.0, r.nodata(1).orElseThrow());
            assertEquals(26986, r.requireCrs().epsg().orElseThrow());
            assertEquals(4, r.footprint().getCoordinates().length - 1);
            assertEquals(r.bounds().getArea(), r.footprint().getArea(), 1e-6);
            PixelWindow back = r.windowFor(r.bounds());
            assertEquals(r.extent(), back);
            assertTrue(r.blockSize().width() > 0 && r.blockSize().height() > 0);
        }
    }

    /**
     * A Float32 band's nodata is a Float32 value, as GDAL's own mask compares it: a VRT declaring 0.1 over float
     * pixels of 0.1f gets them masked by GDAL, where comparing the pixels with the double 0.1 matched none of them
     * (tile kept all-nodata chips and counted them in the band statistics).
     */
    @Test
    void float32NodataIsComparedAtFloat32LikeGdalsMask(@TempDir Path tmp) {
        Path tif = tmp.resolve("f32.tif");
        Path vrt = tmp.resolve("f32.vrt");
        Gdal.ensureInitialised();
        org.gdal.gdal.Dataset d = org.gdal.gdal.gdal.GetDriverByName("GTiff").Create(tif.toString(), 8, 8, 1,
                org.gdal.gdalconst.gdalconstConstants.GDT_Float32);
        float[] px = new float[64];
        for (int i = 0; i < 64; i++) {
            px[i] = i < 24 ? 0.1f : 0.2f + i / 100f;
        }
        d.GetRasterBand(1).WriteRaster(0, 0, 8, 8, px);
        d.delete();
        TestData.run("gdal_translate", "-q", "-of", "VRT", "-a_nodata", "0.1", tif.toString(), vrt.toString());
        org.gdal.gdal.Dataset v = org.gdal.gdal.gdal.Open(vrt.toString());
        int[] mask = new int[64];
        v.GetRasterBand(1).GetMaskBand().ReadRaster(0, 0, 8, 8, mask);
        v.delete();
        assertEquals(24, Arrays.stream(mask).filter(m -> m == 0).count(), "GDAL masks the 0.1f pixels");
        try (GeoRaster r = GeoRaster.open(vrt)) {
            assertEquals((double) 0.1f, r.nodata(1).orElseThrow());
            assertEquals(24 / 64.0, r.readAll().nodataFraction());
        }
    }
}
