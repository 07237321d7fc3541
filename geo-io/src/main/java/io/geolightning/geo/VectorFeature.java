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

    /**
     * The attribute as a label value: see {@link #labelText(Object)}.
     *
     * @param field the label field
     * @return its value as text, or null when the field is unset, absent or blank
     */
    public String labelText(String field) {
        return labelText(attributes.get(field));
    }

    /**
     * A label value as text, as labels are compared with class names: an integral real without ".0" (a field of reals
     * holding 1.0 labels class "1", as an integer field does), text without leading and trailing white space ("URBANO "
     * in a GeoPackage is the "URBANO" a Shapefile's padded field reads as), and no value at all - null - for blank
     * text, which is as unlabelled as an unset field.
     *
     * @param raw an attribute value (Integer, Long, Double, String) or null
     * @return its text, or null when it is null or blank
     */
    public static String labelText(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        String text = raw.toString().strip();
        return text.isEmpty() ? null : text;
    }

    /** This feature with another geometry (e.g. reprojected), same fid and attributes. */
    public VectorFeature withGeometry(Geometry g) {
        return new VectorFeature(fid, g, attributes);
    }
}
