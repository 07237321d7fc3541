package io.geolightning.spark;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterDataType;
import java.nio.file.Path;

/**
 * Pixel counts per class value of a uint8 class raster, read back strip by strip (constant memory).
 *
 * @param counts pixels per value 0..255 (255 is the predictor's nodata)
 * @param width raster columns
 * @param height raster rows
 * @param pixelArea area of one pixel in square metres (|det| of the geotransform, in the CRS's unit converted to
 *     metres; for degrees at the raster's central latitude)
 * @param crs the raster's CRS as "EPSG:n" or its name
 */
record ClassCounts(long[] counts, int width, int height, double pixelArea, String crs) {

    private static final int STRIP_PIXELS = 1 << 22;

    /**
     * @param raster the class raster
     * @return its counts
     */
    static ClassCounts of(Path raster) {
        try (GeoRaster r = GeoRaster.open(raster)) {
            if (r.dataType() != RasterDataType.UINT8 || r.bandCount() != 1) {
                throw new SparkJobException(raster + ": expected one uint8 band of class values, found "
                        + r.bandCount() + " band(s) of " + r.dataType() + "; pass the predictor's class raster");
            }
            long[] counts = new long[256];
            int rows = Math.max(1, STRIP_PIXELS / r.width());
            for (int y = 0; y < r.height(); y += rows) {
                int h = Math.min(rows, r.height() - y);
                byte[] px = r.read(new PixelWindow(0, y, r.width(), h)).bytes();
                for (byte b : px) {
                    counts[b & 0xFF]++;
                }
            }
            var gt = r.geoTransform();
            double area = Math.abs(gt.pixelWidth() * gt.pixelHeight() - gt.rowRotation() * gt.columnRotation())
                    * r.crs().map(c -> c.squareMetresPerSquareUnit(r.bounds().centre().y)).orElse(1.0);
            String crs = r.crs().map(c -> c.epsg().isPresent() ? "EPSG:" + c.epsg().getAsInt() : c.name())
                    .orElse("");
            return new ClassCounts(counts, r.width(), r.height(), area, crs);
        }
    }
}
