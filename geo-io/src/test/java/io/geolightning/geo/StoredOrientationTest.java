package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part of the Massachusetts scene written north-up, south-up, east-to-west and both, each with the same triangular
 * per-dataset mask (GDAL's internal mask): every mirrored file reads as the north-up one, pixel for pixel, mask
 * included, in windows inside it and reaching out of it, cut as a window of its own and as a region of one.
 */
class StoredOrientationTest {
    private static final int W = 301;
    private static final int H = 203;

    @TempDir
    Path tmp;

    @Test
    void mirroredRastersReadAsTheNorthUpOne() {
        Path north = write("north.tif", false, false, gdalconstConstants.GDT_Byte);
        List<Path> mirrored = List.of(write("south-up.tif", false, true, gdalconstConstants.GDT_Byte),
                write("east-west.tif", true, false, gdalconstConstants.GDT_Byte),
                write("both.tif", true, true, gdalconstConstants.GDT_Byte));
        List<PixelWindow> windows = List.of(new PixelWindow(0, 0, W, H), new PixelWindow(17, 5, 64, 40),
                new PixelWindow(-20, -9, 64, 64), new PixelWindow(W - 30, H - 11, 64, 64));
        try (GeoRaster n = GeoRaster.open(north)) {
            assertFalse(n.storedMirrored());
            assertTrue(n.read(windows.get(0)).hasMask(), "the triangle mask is read");
            for (Path f : mirrored) {
                try (GeoRaster m = GeoRaster.open(f)) {
                    assertTrue(m.storedMirrored(), f.toString());
                    assertArrayEquals(n.geoTransform().toGdal(), m.geoTransform().toGdal(), 1e-9, f.toString());
                    assertEquals(n.bounds(), m.bounds(), f.toString());
                    for (PixelWindow w : windows) {
                        RasterWindow a = n.read(w);
                        RasterWindow b = m.read(w);
                        assertArrayEquals(a.bytes(), b.bytes(), f + " " + w);
                        assertArrayEquals(a.validMask(), b.validMask(), f + " mask " + w);
                        assertEquals(a.coverage(), b.coverage(), f + " " + w);
                        assertArrayEquals(a.geoTransform().toGdal(), b.geoTransform().toGdal(), 1e-9);
                    }
                }
                PixelWindow box = windows.get(1);
                try (RasterMosaic cut = RasterMosaic.crop(GdalPath.of(f), box);
                     GeoRaster c = GeoRaster.open(cut.path())) {
                    assertArrayEquals(n.read(box).bytes(), c.readAll().bytes(), "a window cut of " + f);
                    assertArrayEquals(n.geoTransform().forWindow(box).toGdal(), c.geoTransform().toGdal(), 1e-9);
                }
                try (RasterMosaic one = RasterMosaic.build(RasterCatalog.of(List.of(GdalPath.of(f))),
                        TargetGrid.ofFirstRaster()); GeoRaster r = GeoRaster.open(one.path())) {
                    assertArrayEquals(n.geoTransform().toGdal(), r.geoTransform().toGdal(), 1e-9, f.toString());
                    RasterWindow a = n.readAll();
                    RasterWindow b = r.readAll();
                    assertArrayEquals(a.validMask(), b.validMask(), "a region of one's mask: " + f);
                    for (int i = 0; i < a.bytes().length; i++) { // warping fills masked pixels with 0
                        assertEquals(a.validMask()[i % (W * H)] ? a.bytes()[i] : 0, b.bytes()[i], f + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void floatSamplesTurnToo() {
        Path north = write("north-f.tif", false, false, gdalconstConstants.GDT_Float32);
        Path both = write("both-f.tif", true, true, gdalconstConstants.GDT_Float32);
        try (GeoRaster n = GeoRaster.open(north); GeoRaster m = GeoRaster.open(both)) {
            PixelWindow w = new PixelWindow(3, 190, 50, 40);
            assertArrayEquals(n.read(w).floats(), m.read(w).floats());
        }
    }

    /** A part of the scene, stored with its columns and/or rows reversed and the geotransform to match. */
    private Path write(String name, boolean flipX, boolean flipY, int type) {
        Path out = tmp.resolve(name);
        try (GeoRaster scene = GeoRaster.open(TestData.MASS_TIF)) {
            RasterWindow part = scene.read(new PixelWindow(400, 300, W, H));
            double[] gt = part.geoTransform().toGdal();
            Dataset d = gdal.GetDriverByName("GTiff").Create(out.toString(), W, H, 3, type);
            d.SetGeoTransform(new double[] {flipX ? gt[0] + W * gt[1] : gt[0], flipX ? -gt[1] : gt[1], 0,
                flipY ? gt[3] + H * gt[5] : gt[3], 0, flipY ? -gt[5] : gt[5]});
            d.SetProjection(scene.requireCrs().wkt());
            for (int b = 0; b < 3; b++) {
                float[] v = new float[W * H];
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        v[(flipY ? H - 1 - y : y) * W + (flipX ? W - 1 - x : x)] = (float) part.getDouble(b, x, y);
                    }
                }
                d.GetRasterBand(b + 1).WriteRaster(0, 0, W, H, v);
            }
            d.CreateMaskBand(gdalconstConstants.GMF_PER_DATASET);
            byte[] mask = new byte[W * H];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    // a triangle: valid where x < 1.4 y (not symmetric either way)
                    mask[(flipY ? H - 1 - y : y) * W + (flipX ? W - 1 - x : x)] = (byte) (x < 1.4 * y ? 255 : 0);
                }
            }
            d.GetRasterBand(1).GetMaskBand().WriteRaster(0, 0, W, H, mask);
            d.delete();
        }
        return out;
    }
}
