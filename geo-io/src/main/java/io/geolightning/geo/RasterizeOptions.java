package io.geolightning.geo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link Rasterizer} burns vector features into a mask. Exactly one value source:
 * <ul>
 * <li>{@code attribute} alone: burn the attribute's numeric value (e.g. a class id field);</li>
 * <li>{@code attribute} + {@code classMap}: burn {@code classMap.get(valueAsText)} (e.g. "URBANO" -> 1);</li>
 * <li>{@code burnValue}: burn a constant (e.g. 1 for a building mask) - the default when nothing is set.</li>
 * </ul>
 * Pixels no feature touches get {@code background}. {@code ignoreValue} (optional, e.g. 255) marks "ignore": features
 * whose attribute value or mapped class equals it burn {@code ignoreValue} and are burnt last, so ignore wins where it
 * overlaps a class. {@code allTouched} burns every pixel a geometry touches instead of those whose centre it covers.
 */
public record RasterizeOptions(String attribute, Map<String, Integer> classMap, Double burnValue, double background,
                               Integer ignoreValue, boolean allTouched, RasterDataType dataType) {

    public RasterizeOptions {
        if (dataType == null) {
            dataType = RasterDataType.UINT8;
        }
        if (attribute != null && attribute.isBlank()) {
            attribute = null;
        }
        if (attribute != null && burnValue != null) {
            throw new GeoIOException("rasterize options: both attribute '" + attribute + "' and burn value " + burnValue
                    + " given; pass either a label attribute or a constant burn value");
        }
        if (classMap != null && attribute == null) {
            throw new GeoIOException("rasterize options: class map given without an attribute; pass the attribute"
                    + " whose values the map translates");
        }
        if (attribute == null && burnValue == null) {
            burnValue = 1.0;
        }
        classMap = classMap == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(classMap));
        check("background", background, dataType);
        if (burnValue != null) {
            check("burn value", burnValue, dataType);
        }
        if (ignoreValue != null) {
            check("ignore value", ignoreValue, dataType);
        }
        if (classMap != null) {
            for (Map.Entry<String, Integer> e : classMap.entrySet()) {
                if (e.getValue() == null) {
                    throw new GeoIOException("class map entry '" + e.getKey() + "': no class; map every value to a"
                            + " class number");
                }
                check("class of '" + e.getKey() + "'", e.getValue(), dataType);
            }
        }
    }

    private static void check(String what, double v, RasterDataType type) {
        if (!type.canHold(v)) {
            throw new GeoIOException("rasterize " + what + " " + v + ": does not fit the mask type " + type
                    + "; pass a value in " + type.minValue() + ".." + type.maxValue() + " or a wider dataType");
        }
    }

    /** A new builder (defaults: burn 1, background 0, no ignore, centre sampling, UINT8). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link RasterizeOptions}. */
    public static final class Builder {
        private String attribute;
        private Map<String, Integer> classMap;
        private Double burnValue;
        private double background;
        private Integer ignoreValue;
        private boolean allTouched;
        private RasterDataType dataType = RasterDataType.UINT8;

        private Builder() {
        }

        /** Burn the numeric value of {@code field}. */
        public Builder attribute(String field) {
            this.attribute = field;
            return this;
        }

        /** Burn {@code map.get(value of field as text)}. */
        public Builder classMap(String field, Map<String, Integer> map) {
            this.attribute = field;
            this.classMap = map;
            return this;
        }

        /** Burn a constant. */
        public Builder burnValue(double value) {
            this.burnValue = value;
            return this;
        }

        /** Value of pixels no feature covers (default 0). */
        public Builder background(double value) {
            this.background = value;
            return this;
        }

        /** The attribute value / class meaning "ignore" (e.g. 255), kept in the mask and burnt last. */
        public Builder ignoreValue(int value) {
            this.ignoreValue = value;
            return this;
        }

        /** Burn all pixels a geometry touches (default: pixels whose centre it covers). */
        public Builder allTouched(boolean value) {
            this.allTouched = value;
            return this;
        }

        /** Mask data type (default UINT8). */
        public Builder dataType(RasterDataType type) {
            this.dataType = type;
            return this;
        }

        /** The options. */
        public RasterizeOptions build() {
            return new RasterizeOptions(attribute, classMap, burnValue, background, ignoreValue, allTouched, dataType);
        }
    }
}
