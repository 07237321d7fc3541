/**
 * geo-io: the only GeoLightning module that touches GDAL. Raster reading ({@link io.geolightning.geo.GeoRaster} into
 * {@link io.geolightning.geo.RasterWindow}s, padded with nodata at the edges), vector reading
 * ({@link io.geolightning.geo.VectorSource}), CRSs and reprojection ({@link io.geolightning.geo.Crs},
 * {@link io.geolightning.geo.CrsTransform}), label rasterization ({@link io.geolightning.geo.Rasterizer}) and atomic
 * GeoTIFF/COG writing ({@link io.geolightning.geo.RasterWriter}). Every failure is a one-line
 * {@link io.geolightning.geo.GeoIOException} naming the file, the problem and the fix; GDAL's own stderr printing is
 * silenced. Coordinates are always x = easting/longitude, y = northing/latitude.
 */
package io.geolightning.geo;
