package io.geolightning.geo;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Vector;
import org.gdal.osr.SpatialReference;
import org.gdal.osr.osrConstants;

/**
 * A coordinate reference system: an immutable wrapper of an OSR {@link SpatialReference} that always uses the
 * traditional GIS axis order (x = easting/longitude, y = northing/latitude). Thread-safe: native access is
 * synchronized and GDAL callers get their own clone.
 * <p>{@link #equals(Object)} compares the WKT text exactly; use {@link #isEquivalent(Crs)} to compare meaning.
 */
public final class Crs {
    /** IUGG mean Earth radius, metres. */
    private static final double MEAN_EARTH_RADIUS_M = 6_371_008.8;
    private final SpatialReference srs;
    private final String wkt;

    private Crs(SpatialReference srs) {
        srs.SetAxisMappingStrategy(osrConstants.OAMS_TRADITIONAL_GIS_ORDER);
        this.srs = srs;
        this.wkt = srs.ExportToWkt();
    }

    /** CRS of an EPSG code, e.g. 4326 or 32618. */
    public static Crs fromEpsg(int code) {
        Gdal.quietThread();
        SpatialReference s = new SpatialReference();
        try {
            s.ImportFromEPSG(code);
        } catch (RuntimeException e) {
            s.delete();
            throw new GeoIOException("EPSG:" + code + ": not a CRS code PROJ knows (" + Gdal.lastError(e, "unknown code")
                    + "); pass a valid EPSG code such as 4326 or 32618", e);
        }
        return new Crs(s);
    }

    /** CRS of a WKT (1 or 2) definition. */
    public static Crs fromWkt(String wkt) {
        Gdal.quietThread();
        if (wkt == null || wkt.isBlank()) {
            throw new GeoIOException("CRS WKT: empty text; pass a WKT definition or use Crs.fromEpsg");
        }
        SpatialReference s = new SpatialReference();
        try {
            s.ImportFromWkt(wkt);
        } catch (RuntimeException e) {
            s.delete();
            throw new GeoIOException("CRS WKT '" + abbreviate(wkt) + "': not a valid WKT definition ("
                    + Gdal.lastError(e, "parse error") + "); pass WKT from a .prj file or use Crs.fromEpsg", e);
        }
        return new Crs(s);
    }

    /** CRS from anything GDAL's SetFromUserInput accepts: "EPSG:4326", WKT, a PROJ string, "urn:ogc:def:crs:...". */
    public static Crs fromUserInput(String text) {
        Gdal.quietThread();
        if (text == null || text.isBlank()) {
            throw new GeoIOException("CRS '': empty text; pass e.g. EPSG:4326, a WKT definition or a PROJ string");
        }
        SpatialReference s = new SpatialReference();
        try {
            s.SetFromUserInput(text.trim());
        } catch (RuntimeException e) {
            s.delete();
            throw new GeoIOException("CRS '" + abbreviate(text) + "': not understood by GDAL ("
                    + Gdal.lastError(e, "unrecognised definition") + "); pass e.g. EPSG:4326, a WKT definition or a"
                    + " PROJ string such as +proj=utm +zone=18 +datum=WGS84", e);
        }
        return new Crs(s);
    }

    /** Wraps a copy of a GDAL spatial reference (the argument is not kept). */
    static Crs fromSpatialReference(SpatialReference ref) {
        return new Crs(ref.Clone());
    }

    /** The CRS as WKT (GDAL's default WKT1 export). */
    public String wkt() {
        return wkt;
    }

    /** The EPSG code when the CRS is (or is identified as) an EPSG CRS. */
    public synchronized OptionalInt epsg() {
        String code = authorityCode(srs);
        if (code == null) {
            SpatialReference c = srs.Clone();
            try {
                c.AutoIdentifyEPSG();
                code = authorityCode(c);
            } catch (RuntimeException e) {
                code = null;
            } finally {
                c.delete();
            }
        }
        if (code == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String authorityCode(SpatialReference s) {
        String name = s.GetAuthorityName(null);
        if (name != null && name.equalsIgnoreCase("EPSG")) {
            return s.GetAuthorityCode(null);
        }
        return null;
    }

    /** True when both describe the same CRS, ignoring axis order and naming differences. */
    public boolean isEquivalent(Crs other) {
        if (other == this || other.wkt.equals(wkt)) {
            return true;
        }
        SpatialReference a = spatialReference();
        SpatialReference b = other.spatialReference();
        try {
            Vector<String> options = new Vector<>();
            options.add("IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES");
            options.add("CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS");
            return a.IsSame(b, options) == 1;
        } finally {
            a.delete();
            b.delete();
        }
    }

    /**
     * @return the horizontal part of a compound CRS (a projected CRS plus a vertical one, as a DSM-derived
     *     orthophoto declares), this CRS itself otherwise
     */
    public synchronized Crs horizontal() {
        if (srs.IsCompound() != 1) {
            return this;
        }
        SpatialReference c = srs.Clone();
        try {
            c.StripVertical();
            return new Crs(c);
        } catch (RuntimeException e) {
            c.delete();
            return this;
        }
    }

    /** True for a geographic (longitude/latitude) CRS. */
    public synchronized boolean isGeographic() {
        return srs.IsGeographic() == 1;
    }

    /** True for a projected CRS. */
    public synchronized boolean isProjected() {
        return srs.IsProjected() == 1;
    }

    /**
     * Metres in one unit of the CRS's axes: a projected CRS's linear unit (1 for metres, 0.3048006 for US survey
     * feet), or for a geographic CRS the length of one angular unit along a meridian on the mean Earth sphere (about
     * 111.2 km a degree; a parallel's is that times the cosine of the latitude).
     *
     * @return metres per unit, or empty when the CRS has neither a linear nor an angular unit
     */
    public synchronized OptionalDouble metresPerUnit() {
        if (srs.IsProjected() == 1 || srs.IsLocal() == 1) {
            double m = srs.GetLinearUnits();
            return m > 0 && Double.isFinite(m) ? OptionalDouble.of(m) : OptionalDouble.empty();
        }
        if (srs.IsGeographic() == 1) {
            double radians = srs.GetAngularUnits();
            return radians > 0 && Double.isFinite(radians) ? OptionalDouble.of(radians * MEAN_EARTH_RADIUS_M)
                    : OptionalDouble.empty();
        }
        return OptionalDouble.empty();
    }

    /**
     * @param latitude where the area lies, in degrees (used only by a geographic CRS)
     * @return square metres in one square unit of the CRS: {@link #metresPerUnit()} squared, times the cosine of
     *     the latitude for a geographic CRS (a degree of longitude spans that much less ground); 1 when the CRS has no
     *     unit
     */
    public double squareMetresPerSquareUnit(double latitude) {
        double m = metresPerUnit().orElse(1);
        return isGeographic() ? m * m * Math.max(1e-6, Math.cos(Math.toRadians(latitude))) : m * m;
    }

    /** The CRS name, e.g. "WGS 84 / UTM zone 18N". */
    public synchronized String name() {
        String n = srs.GetName();
        return n == null ? "unnamed CRS" : n;
    }

    /** A fresh clone with traditional GIS axis order, owned by the caller (delete it when done). */
    synchronized SpatialReference spatialReference() {
        SpatialReference c = srs.Clone();
        c.SetAxisMappingStrategy(osrConstants.OAMS_TRADITIONAL_GIS_ORDER);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Crs c && c.wkt.equals(wkt);
    }

    @Override
    public int hashCode() {
        return wkt.hashCode();
    }

    /** "EPSG:32618 (WGS 84 / UTM zone 18N)" or the name alone when no EPSG code is known. */
    @Override
    public String toString() {
        OptionalInt code = epsg();
        return code.isPresent() ? "EPSG:" + code.getAsInt() + " (" + name() + ")" : name();
    }

    private static String abbreviate(String s) {
        String one = GeoIOException.oneLine(s);
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}
