package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.geo.Crs;
import io.geolightning.geo.Gdal;
import java.nio.file.Path;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predict job's class areas on a class raster in degrees spanning 0..60 N: each class's area is its pixels'
 * area on the sphere at their own latitude, not the whole raster's central one (which made a class near 60 N 1.7
 * times too large and one near the equator 0.87 times too small).
 */
class ClassCountsTest {

    @TempDir
    Path tmp;

    @Test
    void areasInDegreesAreMeasuredAtEachRowsLatitude() {
        int w = 10;
        int h = 60;
        Path f = tmp.resolve("classes-4326.tif");
        Gdal.ensureInitialised();
        Dataset d = gdal.GetDriverByName("GTiff").Create(f.toString(), w, h, 1, gdalconstConstants.GDT_Byte);
        d.SetGeoTransform(new double[] {10, 1, 0, 60, 0, -1}); // 1 degree pixels, rows from 60 N down to 0
        d.SetProjection(Crs.fromEpsg(4326).wkt());
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (byte) (y < 5 ? 1 : y >= 55 ? 2 : 0); // class 1: 55..60 N, class 2: 0..5 N
            }
        }
        d.GetRasterBand(1).WriteRaster(0, 0, w, h, px);
        d.delete();

        ClassCounts c = ClassCounts.of(f);
        assertEquals(50, c.counts()[1]);
        assertEquals(50, c.counts()[2]);
        double metresPerDegree = Crs.fromEpsg(4326).metresPerUnit().orElseThrow();
        double r = metresPerDegree * 180 / Math.PI; // the sphere the CRS's degree is measured on
        for (int[] band : new int[][] {{1, 55, 60}, {2, 0, 5}}) {
            double exact = r * r * Math.toRadians(w) * (Math.sin(Math.toRadians(band[2]))
                    - Math.sin(Math.toRadians(band[1])));
            assertEquals(exact, c.areas()[band[0]], 1e-4 * exact, "class " + band[0]);
        }
        assertEquals(0, c.areas()[3]);
    }
}
