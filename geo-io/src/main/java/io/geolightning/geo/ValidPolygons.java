package io.geolightning.geo;

import org.gdal.ogr.Geometry;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;

/** How {@link Polygonizer} makes a region's (simplified) shape a valid polygon or multipolygon with OGR and GEOS. */
final class ValidPolygons {

    private ValidPolygons() {
    }

    /**
     * @return {@code shape} as a valid polygon or multipolygon (the polygons of GEOS's {@code MakeValid} of an
     *     invalid one, which keep its area: a ring touching itself at a corner becomes the polygons on either side),
     *     a multipolygon when {@code multi}: {@code shape} itself or a new geometry ({@code shape} is deleted unless
     *     returned or {@code region})
     */
    static Geometry of(Geometry shape, Geometry region, boolean multi) {
        if (shape == null) {
            return null;
        }
        Geometry fixed = shape.IsValid() ? shape : polygonal(shape.MakeValid());
        if (fixed != shape && shape != region) {
            shape.delete();
        }
        if (!multi) {
            return fixed;
        }
        Geometry promoted = ogr.ForceToMultiPolygon(fixed); // a copy
        if (fixed != region) {
            fixed.delete();
        }
        return promoted;
    }

    /**
     * @param made GEOS's {@code MakeValid} of a simplified polygon: a polygon, a multipolygon, or a geometry
     *             collection that also holds the edges simplification collapsed (lines, points)
     * @return its polygons alone, as a polygon or multipolygon ({@code made} itself, or a new geometry and
     *     {@code made} deleted): a polygon layer takes no collection (FlatGeobuf refuses it, GeoPackage stores it as
     *     a feature QGIS cannot draw as a polygon)
     */
    private static Geometry polygonal(Geometry made) {
        if (made == null) {
            throw new IllegalStateException(Gdal.lastError("cannot make a polygon valid"));
        }
        int type = ogr.GT_Flatten(made.GetGeometryType());
        if (type == ogrConstants.wkbPolygon || type == ogrConstants.wkbMultiPolygon) {
            return made;
        }
        Geometry polygons = new Geometry(ogrConstants.wkbMultiPolygon);
        addPolygons(made, polygons);
        made.delete();
        return polygons;
    }

    private static void addPolygons(Geometry g, Geometry into) {
        int type = ogr.GT_Flatten(g.GetGeometryType());
        if (type == ogrConstants.wkbPolygon) {
            into.AddGeometry(g); // a copy
        } else if (type == ogrConstants.wkbMultiPolygon || type == ogrConstants.wkbGeometryCollection) {
            for (int i = 0; i < g.GetGeometryCount(); i++) {
                addPolygons(g.GetGeometryRef(i), into);
            }
        }
    }
}
