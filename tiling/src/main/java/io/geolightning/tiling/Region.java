package io.geolightning.tiling;

import io.geolightning.geo.Crs;
import org.locationtech.jts.geom.Envelope;

/**
 * An area to tile, as an envelope in any CRS (transformed into each raster's CRS).
 *
 * @param minx west
 * @param miny south
 * @param maxx east
 * @param maxy north
 * @param crs the envelope's CRS as "EPSG:n", WKT or anything GDAL accepts; null = the raster's CRS
 */
public record Region(double minx, double miny, double maxx, double maxy, String crs) {

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
