package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.foundation.fuzz.ZipEdits;
import io.geolightning.foundation.testing.RangeHttpServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths GDAL opens that java.nio cannot hold: archives ({@code /vsizip/}) and URLs ({@code /vsicurl/}). */
class VirtualPathTest {

    @TempDir
    Path tmp;

    @Test
    void aShapefileInsideAZipReadsAsTheShapefileItself() throws Exception {
        Path zip = ZipEdits.zipShapefile(TestData.OLINDA_SHP, tmp.resolve("labels.zip"));
        GdalPath inZip = GdalPath.of("/vsizip/" + zip + "/olinda1.shp");
        assertTrue(inZip.text().startsWith("/vsizip//"), "an absolute archive path keeps its double slash");
        assertEquals("olinda1.shp", inZip.fileName());
        assertEquals(zip, inZip.localArchive().orElseThrow());
        try (VectorSource zipped = VectorSource.open(inZip); VectorSource plain = VectorSource.open(TestData.OLINDA_SHP)) {
            assertEquals(plain.fieldNames(), zipped.fieldNames());
            assertEquals(plain.featureCount(), zipped.featureCount());
            assertEquals(plain.distinctValues("TIPO"), zipped.distinctValues("TIPO"));
            assertEquals(plain.crs().orElseThrow().epsg(), zipped.crs().orElseThrow().epsg());
            assertEquals(inZip, zipped.path());
        }
        // a name the archive does not hold, and an archive that does not exist: "file not found", naming what is there
        GeoIOException e = assertThrows(GeoIOException.class,
                () -> VectorSource.open(GdalPath.of("/vsizip/" + zip + "/olinda2.shp")));
        assertEquals("/vsizip/" + zip + "/olinda2.shp: file not found; check the path inside the archive; it holds"
                + " olinda1.shp, olinda1.shx, olinda1.dbf, olinda1.prj", e.getMessage());
        e = assertThrows(GeoIOException.class,
                () -> VectorSource.open(GdalPath.of("/vsizip/" + tmp.resolve("none.zip") + "/olinda1.shp")));
        assertTrue(e.getMessage().contains(": file not found; the archive " + tmp.resolve("none.zip")
                + " does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aGeoTiffOverHttpRangeRequestsReadsTheSamePixels() throws Exception {
        Files.copy(TestData.RGB, tmp.resolve("RGB.byte.tif"));
        try (RangeHttpServer http = new RangeHttpServer(tmp)) {
            GdalPath url = GdalPath.of("/vsicurl/" + http.url("RGB.byte.tif"));
            assertTrue(url.isRemote());
            assertEquals("RGB.byte.tif", url.fileName());
            try (GeoRaster remote = GeoRaster.open(url); GeoRaster local = GeoRaster.open(TestData.RGB)) {
                assertEquals(local.width(), remote.width());
                assertEquals(local.requireCrs().epsg(), remote.requireCrs().epsg());
                assertArrayEquals(local.geoTransform().toGdal(), remote.geoTransform().toGdal());
                PixelWindow w = new PixelWindow(300, 200, 128, 96);
                assertArrayEquals(local.read(w).bytes(), remote.read(w).bytes());
            }
            assertTrue(http.partialResponses() > 0, "GDAL reads byte ranges, not the whole file");
            GeoIOException e = assertThrows(GeoIOException.class,
                    () -> GeoRaster.open(GdalPath.of("/vsicurl/" + http.url("missing.tif"))));
            assertEquals("/vsicurl/" + http.url("missing.tif") + ": file not found; check the URL and your access to"
                    + " it (GDAL could not fetch it)", e.getMessage());
            e = assertThrows(GeoIOException.class,
                    () -> VectorSource.open(GdalPath.of("/vsicurl/" + http.url("missing.gpkg"))));
            assertEquals("/vsicurl/" + http.url("missing.gpkg") + ": file not found; check the URL and your access to"
                    + " it (GDAL could not fetch it)", e.getMessage());
        }
    }

    @Test
    void virtualPathsAreReadNotWritten() {
        GeoIOException e = assertThrows(GeoIOException.class,
                () -> GdalPath.of("/vsis3/bucket/out.tif").local());
        assertTrue(e.getMessage().startsWith("/vsis3/bucket/out.tif: a GDAL virtual path can be read but not written"),
                e.getMessage());
        assertEquals(Path.of("a/b.tif"), GdalPath.of("a/b.tif").local());
        assertEquals("/vsizip//d/a.zip/b.dbf", GdalPath.of("/vsizip//d/a.zip/b.shp").sibling("b.dbf").text());
        assertEquals(Path.of("/d/a.tar.gz"), GdalPath.of("/vsitar//d/a.tar.gz/x.shp").localArchive().orElseThrow());
        assertEquals(Path.of("/d/a.tar"), GdalPath.of("/vsitar//d/a.tar/x.shp").localArchive().orElseThrow());
        assertEquals(Path.of("/d/a.zip"), GdalPath.of("/vsizip/{/d/a.zip}/x.shp").localArchive().orElseThrow());
        assertEquals(Path.of("/d/x.zipper/a.zip"), GdalPath.of("/vsizip//d/x.zipper/a.zip/x.shp").localArchive()
                .orElseThrow());
        assertTrue(GdalPath.of("/vsicurl/https://h/a.zip").localArchive().isEmpty());
    }
}
