package io.geolightning.geo;

/**
 * A target pixel grid: size, geotransform and CRS (e.g. for rasterizing labels onto imagery).
 */
public record RasterGrid(int width, int height, GeoTransform geoTransform, Crs crs) {

    public RasterGrid {
        if (width < 1 || height < 1) {
            throw new GeoIOException("raster grid " + width + "x" + height + ": empty; pass width and height >= 1");
        }
        if (geoTransform == null || crs == null) {
            throw new GeoIOException("raster grid: missing " + (geoTransform == null ? "geotransform" : "CRS")
                    + "; pass both a GeoTransform and a Crs");
        }
    }

    /** The grid of a whole raster. */
    public static RasterGrid of(GeoRaster raster) {
        return of(raster, raster.extent());
    }

    /** The grid of a window of a raster (which may extend past the raster). */
    public static RasterGrid of(GeoRaster raster, PixelWindow window) {
        return new RasterGrid(window.width(), window.height(), raster.geoTransform().forWindow(window),
                raster.requireCrs());
    }
}
