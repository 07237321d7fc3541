package io.geolightning.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * GDAL's affine geotransform, in GDAL order ({@code gt[0..5]}): map x = originX + px * pixelWidth + py * rowRotation,
 * map y = originY + px * columnRotation + py * pixelHeight, where (px, py) are pixel/line coordinates of a pixel
 * corner (pixel centres are at +0.5). {@code pixelHeight} is negative for north-up images.
 */
public record GeoTransform(double originX, double pixelWidth, double rowRotation,
                           double originY, double columnRotation, double pixelHeight) {
    private static final GeometryFactory FACTORY = new GeometryFactory();

    public GeoTransform {
        double det = pixelWidth * pixelHeight - rowRotation * columnRotation;
        if (det == 0 || !Double.isFinite(det) || !Double.isFinite(originX) || !Double.isFinite(originY)) {
            throw new GeoIOException("geotransform [" + originX + ", " + pixelWidth + ", " + rowRotation + ", "
                    + originY + ", " + columnRotation + ", " + pixelHeight + "]: not invertible (zero pixel size or"
                    + " non-finite value); set a valid geotransform, e.g. with gdal_edit.py -a_ullr");
        }
    }

    /** A north-up transform with square-or-not pixels and no rotation. */
    public static GeoTransform northUp(double originX, double originY, double pixelWidth, double pixelHeight) {
        return new GeoTransform(originX, pixelWidth, 0, originY, 0, -Math.abs(pixelHeight));
    }

    /** From GDAL's six-element array. */
    public static GeoTransform fromGdal(double[] gt) {
        if (gt == null || gt.length != 6) {
            throw new GeoIOException("geotransform array: expected 6 values, got "
                    + (gt == null ? "null" : gt.length) + "; pass GDAL's GetGeoTransform() array");
        }
        return new GeoTransform(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);
    }

    /** GDAL's six-element array. */
    public double[] toGdal() {
        return new double[] {originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight};
    }

    /** Map coordinate of pixel/line position ({@code px}, {@code py}); use +0.5 for a pixel centre. */
    public Coordinate pixelToMap(double px, double py) {
        return new Coordinate(originX + px * pixelWidth + py * rowRotation,
                originY + px * columnRotation + py * pixelHeight);
    }

    /** Fractional pixel/line position (x = column, y = row) of map coordinate ({@code x}, {@code y}). */
    public Coordinate mapToPixel(double x, double y) {
        double det = pixelWidth * pixelHeight - rowRotation * columnRotation;
        double dx = x - originX;
        double dy = y - originY;
        return new Coordinate((pixelHeight * dx - rowRotation * dy) / det,
                (-columnRotation * dx + pixelWidth * dy) / det);
    }

    /** Fractional pixel/line position of a map coordinate. */
    public Coordinate mapToPixel(Coordinate map) {
        return mapToPixel(map.x, map.y);
    }

    /** The footprint of a pixel window in map coordinates: the polygon through its four corners (rotation-aware). */
    public Polygon footprint(PixelWindow w) {
        Coordinate a = pixelToMap(w.x(), w.y());
        Coordinate b = pixelToMap(w.endX(), w.y());
        Coordinate c = pixelToMap(w.endX(), w.endY());
        Coordinate d = pixelToMap(w.x(), w.endY());
        return FACTORY.createPolygon(new Coordinate[] {a, b, c, d, a.copy()});
    }

    /** The geotransform of {@code window}: same pixel size, origin at the window's top-left corner. */
    public GeoTransform forWindow(PixelWindow window) {
        Coordinate o = pixelToMap(window.x(), window.y());
        return new GeoTransform(o.x, pixelWidth, rowRotation, o.y, columnRotation, pixelHeight);
    }

    /** The geotransform after resampling by {@code factor} (2 = pixels twice as large). */
    public GeoTransform scaled(double factor) {
        return new GeoTransform(originX, pixelWidth * factor, rowRotation * factor,
                originY, columnRotation * factor, pixelHeight * factor);
    }

    /** True when the image is rotated or sheared (row/column rotation terms are non-zero). */
    public boolean hasRotation() {
        return rowRotation != 0 || columnRotation != 0;
    }

    /** Ground size of a pixel along its column (x) direction, rotation-aware. */
    public double pixelSizeX() {
        return Math.hypot(pixelWidth, columnRotation);
    }

    /** Ground size of a pixel along its row (y) direction, rotation-aware. */
    public double pixelSizeY() {
        return Math.hypot(rowRotation, pixelHeight);
    }

    /**
     * The smallest pixel window covering {@code mapEnvelope} (map coordinates), rounded outward.
     *
     * @param mapEnvelope an envelope in map coordinates
     * @return the window; it may extend past a raster's edges
     */
    public PixelWindow windowFor(Envelope mapEnvelope) {
        double minPx = Double.POSITIVE_INFINITY, minPy = Double.POSITIVE_INFINITY;
        double maxPx = Double.NEGATIVE_INFINITY, maxPy = Double.NEGATIVE_INFINITY;
        double[][] corners = {{mapEnvelope.getMinX(), mapEnvelope.getMinY()},
            {mapEnvelope.getMaxX(), mapEnvelope.getMinY()}, {mapEnvelope.getMaxX(), mapEnvelope.getMaxY()},
            {mapEnvelope.getMinX(), mapEnvelope.getMaxY()}};
        for (double[] c : corners) {
            Coordinate p = mapToPixel(c[0], c[1]);
            minPx = Math.min(minPx, p.x);
            maxPx = Math.max(maxPx, p.x);
            minPy = Math.min(minPy, p.y);
            maxPy = Math.max(maxPy, p.y);
        }
        int x0 = (int) Math.floor(minPx + 1e-9);
        int y0 = (int) Math.floor(minPy + 1e-9);
        int x1 = (int) Math.ceil(maxPx - 1e-9);
        int y1 = (int) Math.ceil(maxPy - 1e-9);
        return new PixelWindow(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }
}
