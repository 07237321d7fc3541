package io.geolightning.geo;

/** Output formats of {@link RasterWriter}. */
public enum RasterFormat {
    /** Tiled GeoTIFF. */
    GTIFF,
    /** Cloud-optimised GeoTIFF with internal overviews (written as GeoTIFF, then translated by GDAL's COG driver). */
    COG
}
