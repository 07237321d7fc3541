package io.geolightning.spark;

import io.geolightning.geo.Crs;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterDataType;
import java.nio.file.Path;

/**
 * Pixel counts and ground areas per class value of a uint8 class raster, read back strip by strip (constant memory).
 *
 * @param counts pixels per value 0..255 (255 is the predictor's nodata)
 * @param areas square metres per value 0..255: in a geographic CRS each row's pixels at that row's latitude, so a
 *     raster spanning many degrees of latitude gets each class's area right
 * @param width raster columns
 * @param height raster rows
 * @param pixelArea area of one pixel in square metres (|det| of the geotransform, in the CRS's unit converted to
 *     metres; for degrees at the raster's central latitude)
 * @param crs the raster's CRS as "EPSG:n" or its name
 */
record ClassCounts(long[] counts, double[] areas, int width, int height, double pixelArea, String crs) {

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
            var gt = r.geoTransform();
            double det = Math.abs(gt.pixelWidth() * gt.pixelHeight() - gt.rowRotation() * gt.columnRotation());
            Crs c = r.crs().orElse(null);
            boolean byRow = c != null && c.isGeographic();
            long[] counts = new long[256];
            double[] areas = new double[256];
            int rows = Math.max(1, STRIP_PIXELS / r.width());
            for (int y = 0; y < r.height(); y += rows) {
                int h = Math.min(rows, r.height() - y);
                byte[] px = r.read(new PixelWindow(0, y, r.width(), h)).bytes();
                for (byte b : px) {
                    counts[b & 0xFF]++;
                }
                for (int row = 0; byRow && row < h; row++) { // in degrees a row's pixels at the row's latitude
                    double rowArea = det * c.squareMetresPerSquareUnit(gt.pixelToMap(r.width() / 2.0,
                            y + row + 0.5).y);
                    for (int i = row * r.width(), end = i + r.width(); i < end; i++) {
                        areas[px[i] & 0xFF] += rowArea;
                    }
                }
            }
            double area = det * (c == null ? 1.0 : c.squareMetresPerSquareUnit(r.bounds().centre().y));
            if (!byRow) {
                for (int v = 0; v < 256; v++) {
                    areas[v] = counts[v] * area;
                }
            }
            String crs = c == null ? "" : c.epsg().isPresent() ? "EPSG:" + c.epsg().getAsInt() : c.name();
            return new ClassCounts(counts, areas, r.width(), r.height(), area, crs);
        }
    }
}
