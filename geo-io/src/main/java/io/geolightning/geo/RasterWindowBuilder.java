package io.geolightning.geo;

import java.util.Arrays;

/** Builds a {@link RasterWindow}; unset data is allocated and filled with each band's nodata (or 0). */
public final class RasterWindowBuilder {
    final RasterDataType dataType;
    final int bandCount;
    PixelWindow window;
    PixelWindow coverage;
    GeoTransform geoTransform;
    Crs crs;
    final double[] nodata;
    final boolean[] hasNodata;
    boolean[] mask;
    Object data;

    RasterWindowBuilder(RasterDataType dataType, int bandCount, int width, int height) {
        if (dataType == null) {
            throw new GeoIOException("raster window: no data type; pass a RasterDataType such as UINT8");
        }
        if (bandCount < 1 || width < 0 || height < 0 || (long) bandCount * width * height > Integer.MAX_VALUE) {
            throw new GeoIOException("raster window " + bandCount + " bands x " + width + "x" + height
                    + ": invalid or too large for one array (max 2^31-1 samples); use >= 1 band and read"
                    + " smaller windows");
        }
        this.dataType = dataType;
        this.bandCount = bandCount;
        this.window = new PixelWindow(0, 0, width, height);
        this.coverage = window;
        this.nodata = new double[bandCount];
        this.hasNodata = new boolean[bandCount];
    }

    /** Position in the source pixel grid; its size must match. Also resets coverage to the whole window. */
    public RasterWindowBuilder window(PixelWindow w) {
        if (w.width() != window.width() || w.height() != window.height()) {
            throw new GeoIOException("raster window " + w + ": size differs from the builder's "
                    + window.width() + "x" + window.height() + "; pass a window of the same size");
        }
        this.window = w;
        this.coverage = w;
        return this;
    }

    /** The part of the window backed by real pixels (same coordinates as window); clipped to the window. */
    public RasterWindowBuilder coverage(PixelWindow c) {
        this.coverage = c.intersection(window).orElse(new PixelWindow(window.x(), window.y(), 0, 0));
        return this;
    }

    /**
     * The source's per-dataset mask over the window (row-major, true = valid), or null for none; masked pixels
     * are never valid.
     */
    public RasterWindowBuilder mask(boolean[] valid) {
        if (valid != null && valid.length != window.width() * window.height()) {
            throw new GeoIOException("raster window mask of " + valid.length + " pixels for a " + window.width()
                    + "x" + window.height() + " window; pass one value per pixel");
        }
        this.mask = valid;
        return this;
    }

    /** The window's own geotransform (its top-left corner as origin). */
    public RasterWindowBuilder geoTransform(GeoTransform gt) {
        this.geoTransform = gt;
        return this;
    }

    /** The CRS of the geotransform. */
    public RasterWindowBuilder crs(Crs c) {
        this.crs = c;
        return this;
    }

    /** Nodata of every band ({@code values.length == 1}) or of each band. */
    public RasterWindowBuilder nodata(double... values) {
        if (values.length != 1 && values.length != bandCount) {
            throw new GeoIOException("nodata " + Arrays.toString(values) + ": expected 1 or " + bandCount
                    + " values; pass one value for all bands or one per band");
        }
        for (int b = 0; b < bandCount; b++) {
            nodata(b, values[values.length == 1 ? 0 : b]);
        }
        return this;
    }

    /** Nodata of band {@code band0}. */
    public RasterWindowBuilder nodata(int band0, double value) {
        if (!dataType.canHold(value)) {
            throw new GeoIOException("nodata " + value + ": does not fit " + dataType + "; pass a value in "
                    + dataType.minValue() + ".." + dataType.maxValue());
        }
        nodata[band0] = value;
        hasNodata[band0] = true;
        return this;
    }

    /** Band {@code band0} has no nodata value. */
    public RasterWindowBuilder noNodata(int band0) {
        hasNodata[band0] = false;
        return this;
    }

    /** Uses {@code array} (byte[]/short[]/int[]/float[]/double[] of the type's carrier, CHW) as backing store. */
    public RasterWindowBuilder data(Object array) {
        this.data = SampleArrays.requireWindowArray(array, dataType, bandCount, window);
        return this;
    }

    /** Decodes little-endian band-major bytes (see {@link RasterWindow#asBytes()}). */
    public RasterWindowBuilder bytes(byte[] le) {
        long expected = (long) bandCount * window.area() * dataType.bytes();
        if (le == null || le.length != expected) {
            throw new GeoIOException("raster window bytes: got " + (le == null ? 0 : le.length) + ", expected "
                    + expected + " (" + bandCount + " bands x " + window.width() + "x" + window.height() + " x "
                    + dataType.bytes() + " bytes); pass the output of asBytes() for the same shape and type");
        }
        this.data = SampleArrays.fromLittleEndian(le, dataType, (int) (expected / dataType.bytes()));
        return this;
    }

    /** The window; allocates a nodata-filled (or zero) array when no data was given. */
    public RasterWindow build() {
        Object a = data != null ? data : SampleArrays.allocateBands(dataType, bandCount, (int) window.area(),
                hasNodata, nodata);
        return new RasterWindow(this, a);
    }
}
