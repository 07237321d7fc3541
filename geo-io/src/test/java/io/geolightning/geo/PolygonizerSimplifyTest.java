package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --simplify} on a ragged class raster (the Massachusetts buildings burnt on the 1 m aerial grid, with a patch
 * of speckle as a segmenter leaves it): simplifying a region can collapse part of it to a line, or cut it in two at a
 * narrow neck, and GEOS's repair then returns a geometry collection or a multipolygon. Every feature written is still
 * of the layer's type and valid, in a GeoPackage (which stored the collections, a type QGIS cannot draw as a polygon)
 * and in FlatGeobuf (which refused them, failing the whole {@code predict --polygons}); the pieces of a cut region are
 * polygons of their own in a Polygon layer, each at least the minimum area.
 */
class PolygonizerSimplifyTest {

    @Test
    void simplifiedPolygonsAreOfTheLayersTypeAndValid(@TempDir Path tmp) {
        assumeTrue(Files.exists(TestData.MASS_TIF), "Massachusetts data not present");
        Path classes = tmp.resolve("ragged.tif");
        try (GeoRaster aerial = GeoRaster.open(TestData.MASS_TIF); VectorSource buildings =
                VectorSource.open(TestData.MASS_GPKG)) {
            RasterWindow burnt = Rasterizer.rasterize(buildings, RasterizeOptions.builder().burnValue(1).background(0)
                    .build(), aerial);
            Random random = new Random(4);
            for (int y = 300; y < 500; y++) {
                for (int x = 300; x < 500; x++) {
                    burnt.setDouble(0, x, y, random.nextDouble() < 0.4 ? 1 : 0);
                }
            }
            RasterWriter.builder(classes, burnt).format(RasterFormat.GTIFF).nodata(255).build().write(burnt);
        }
        // 8-connected into FlatGeobuf first: that one failed outright
        for (boolean eight : List.of(true, false)) {
            Path out = tmp.resolve(eight ? "eight.fgb" : "four.gpkg");
            Polygonizer.polygonize(classes, out, List.of("background", "building"),
                    new Polygonizer.Options(eight, 4, 3));
            assertEveryFeatureIsOfTheLayersTypeAndValid(out, eight ? ogrConstants.wkbMultiPolygon
                    : ogrConstants.wkbPolygon, 4);
        }
    }

    private static void assertEveryFeatureIsOfTheLayersTypeAndValid(Path file, int type, double minArea) {
        DataSource ds = ogr.Open(file.toString());
        try {
            Layer layer = ds.GetLayer(0);
            assertEquals(type, layer.GetGeomType(), file.toString());
            long features = 0;
            for (Feature f = layer.GetNextFeature(); f != null; f = layer.GetNextFeature()) {
                try {
                    org.gdal.ogr.Geometry g = f.GetGeometryRef();
                    assertEquals(ogr.GeometryTypeToName(type), ogr.GeometryTypeToName(g.GetGeometryType()),
                            file.getFileName() + " feature " + f.GetFID());
                    assertTrue(g.IsValid(), file.getFileName() + " feature " + f.GetFID() + " is not valid");
                    assertTrue(g.GetArea() >= minArea, file.getFileName() + " feature " + f.GetFID() + " area");
                    assertEquals(g.GetArea(), f.GetFieldAsDouble("area"), 1e-6);
                    features++;
                } finally {
                    f.delete();
                }
            }
            assertTrue(features > 400, file.getFileName() + ": " + features + " features");
        } finally {
            ds.delete();
        }
    }
}
