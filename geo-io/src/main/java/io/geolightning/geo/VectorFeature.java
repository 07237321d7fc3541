package io.geolightning.geo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;

/**
 * One feature of a vector layer: its id, its (valid, 2D, linearised) JTS geometry in the layer's CRS, and its
 * attributes by field name (Integer, Long, Double or String; null when unset). A feature without geometry has an empty
 * geometry.
 */
public record VectorFeature(long fid, Geometry geometry, Map<String, Object> attributes) {

    public VectorFeature {
        if (geometry == null) {
            throw new GeoIOException("feature " + fid + ": null geometry; pass an empty geometry instead");
        }
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The attribute value, or null when the field is unset or absent. */
    public Object attribute(String field) {
        return attributes.get(field);
    }

    /** This feature with another geometry (e.g. reprojected), same fid and attributes. */
    public VectorFeature withGeometry(Geometry g) {
        return new VectorFeature(fid, g, attributes);
    }
}
