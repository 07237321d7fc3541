package io.geolightning.geo;

import org.gdal.ogr.Geometry;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;

/**
 * Ground measures of polygons in a raster's CRS, for {@link Polygonizer}: areas in square metres and tolerances in
 * map units. In a projected CRS an area is the map area times the square of the linear unit. In a geographic CRS it
 * is the polygon's area on the mean Earth sphere, computed exactly for edges along meridians and parallels (a pixel's
 * edges) by the shoelace formula in a cylindrical equal-area projection (longitude in radians against the sine of the
 * latitude), so a raster spanning many degrees of latitude gets each region's area right; a tolerance in metres is
 * converted at the polygon's own latitude. Without a CRS map units are taken as metres.
 *
 * @param squareMetresPerUnit square metres in a square map unit (a projected CRS, or none)
 * @param radiansPerUnit radians in a map unit (a geographic CRS), else 0
 * @param radius the sphere's radius in metres (a geographic CRS)
 * @param crs the CRS (null for none)
 */
record GroundArea(double squareMetresPerUnit, double radiansPerUnit, double radius, Crs crs) {

    /** @param srs the raster's CRS, or null */
    static GroundArea of(SpatialReference srs) {
        if (srs == null) {
            return new GroundArea(1, 0, 0, null);
        }
        Crs crs = Crs.fromSpatialReference(srs);
        double radians = srs.GetAngularUnits();
        if (crs.isGeographic() && radians > 0 && Double.isFinite(radians) && crs.metresPerUnit().isPresent()) {
            return new GroundArea(0, radians, crs.metresPerUnit().getAsDouble() / radians, crs);
        }
        return new GroundArea(crs.squareMetresPerSquareUnit(0), 0, 0, crs);
    }

    /** @return the area of a polygon or multipolygon in square metres */
    double squareMetres(Geometry g) {
        return radiansPerUnit > 0 ? sphere(g) : g.GetArea() * squareMetresPerUnit;
    }

    /** @return {@code metres} in map units around {@code g} (a geographic CRS: at its latitude) */
    double units(double metres, Geometry g) {
        if (radiansPerUnit <= 0) {
            return metres / Math.sqrt(squareMetresPerUnit);
        }
        double[] envelope = new double[4]; // minX, maxX, minY, maxY
        g.GetEnvelope(envelope);
        return metres / Math.sqrt(crs.squareMetresPerSquareUnit((envelope[2] + envelope[3]) / 2 * radiansPerUnit
                * 180 / Math.PI));
    }

    private double sphere(Geometry g) {
        int type = ogr.GT_Flatten(g.GetGeometryType());
        if (type == ogrConstants.wkbPolygon) {
            double area = 0;
            for (int r = 0; r < g.GetGeometryCount(); r++) {
                double ring = ring(g.GetGeometryRef(r));
                area += r == 0 ? ring : -ring; // holes
            }
            return area;
        }
        double area = 0;
        for (int p = 0; p < g.GetGeometryCount(); p++) {
            area += sphere(g.GetGeometryRef(p));
        }
        return area;
    }

    /** @return the area a ring encloses on the sphere (square metres) */
    private double ring(Geometry ring) {
        int n = ring.GetPointCount();
        double twice = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double x1 = ring.GetX(i) * radiansPerUnit;
            double x2 = ring.GetX(j) * radiansPerUnit;
            double y1 = Math.sin(ring.GetY(i) * radiansPerUnit);
            double y2 = Math.sin(ring.GetY(j) * radiansPerUnit);
            twice += (x2 - x1) * (y2 + y1);
        }
        return Math.abs(twice) / 2 * radius * radius;
    }
}
