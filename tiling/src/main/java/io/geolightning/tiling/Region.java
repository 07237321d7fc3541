package io.geolightning.tiling;

import io.geolightning.geo.Crs;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * An area to tile, as an envelope in any CRS (transformed into each raster's CRS), optionally an area of interest's
 * polygons inside it: then only chips that meet the polygons are tiled.
 *
 * @param minx west
 * @param miny south
 * @param maxx east
 * @param maxy north
 * @param crs the envelope's CRS as "EPSG:n", WKT or anything GDAL accepts; null = the raster's CRS
 * @param aoi the area of interest's polygons as WKT in {@code crs}, or null for the whole envelope
 */
public record Region(double minx, double miny, double maxx, double maxy, String crs, String aoi)
        implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /** A box: the whole envelope. */
    public Region(double minx, double miny, double maxx, double maxy, String crs) {
        this(minx, miny, maxx, maxy, crs, null);
    }

    /**
     * @param polygons the area of interest (its polygons' union), in {@code crs}
     * @param crs its CRS, or null for the raster's
     * @return the region of its envelope, keeping chips that meet it
     */
    public static Region of(Geometry polygons, String crs) {
        Envelope e = polygons.getEnvelopeInternal();
        return new Region(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY(), crs, polygons.toText());
    }

    /** @return the area of interest's polygons, or null for the whole envelope */
    public Geometry aoiGeometry() {
        if (aoi == null) {
            return null;
        }
        try {
            return new WKTReader().read(aoi);
        } catch (ParseException e) {
            throw new TilingException("area of interest: not a WKT geometry (" + e.getMessage() + ")", e);
        }
    }

    /** Validates. */
    public Region {
        if (!(minx < maxx && miny < maxy)) {
            throw new TilingException("region [" + minx + ", " + miny + ", " + maxx + ", " + maxy
                    + "]: min must be below max on both axes; pass minx, miny, maxx, maxy");
        }
    }

    /** @return the envelope */
    public Envelope envelope() {
        return new Envelope(minx, maxx, miny, maxy);
    }

    /** @return the CRS, or null for the raster's */
    public Crs parsedCrs() {
        return crs == null ? null : Crs.fromUserInput(crs);
    }
}
