package io.geolightning.geo;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Pixels of a window of a raster, all bands, held in memory band-major (CHW) in one primitive array of the data
 * type's Java carrier: {@code byte[]} for UINT8/INT8, {@code short[]} for UINT16/INT16, {@code int[]} for
 * UINT32/INT32, {@code float[]} for FLOAT32, {@code double[]} for FLOAT64. Unsigned values are stored in the signed
 * carrier bit for bit; the typed getters ({@link #getDouble}, {@link #toFloatArray()}) return their true values.
 * <p>Coordinates: {@link #window()} is where the pixels sit in the source raster's pixel grid; pixel (x, y) of this
 * object is (window.x + x, window.y + y) there. {@link #coverage()} is the part of the window that the source really
 * covered; pixels outside it were padded with the band's nodata (0 when there is none) and are never valid. A window
 * read from a raster with a per-dataset mask (an alpha band, an internal {@code .msk}, a mosaic's coverage) also
 * carries that mask: its masked pixels are never valid either.
 * <p>Not thread-safe for writes; the raw arrays are the live backing store, not copies.
 */
public final class RasterWindow {
    private final PixelWindow window;
    private final PixelWindow coverage;
    private final GeoTransform geoTransform;
    private final Crs crs;
    private final RasterDataType dataType;
    private final int bandCount;
    private final double[] nodata;
    private final boolean[] hasNodata;
    private final boolean[] mask;
    private final Object data;

    RasterWindow(RasterWindowBuilder b, Object data) {
        this.window = b.window;
        this.coverage = b.coverage;
        this.geoTransform = b.geoTransform;
        this.crs = b.crs;
        this.dataType = b.dataType;
        this.bandCount = b.bandCount;
        this.nodata = b.nodata.clone();
        this.hasNodata = b.hasNodata.clone();
        this.mask = b.mask;
        this.data = data;
    }

    /** Starts a window of {@code bandCount} bands of {@code width x height} pixels of {@code dataType}. */
    public static RasterWindowBuilder builder(RasterDataType dataType, int bandCount, int width, int height) {
        return new RasterWindowBuilder(dataType, bandCount, width, height);
    }

    /** Decodes {@link #asBytes()} output (little-endian, band-major) without geo-referencing. */
    public static RasterWindow fromBytes(byte[] bytes, RasterDataType dataType, int bandCount, int width, int height) {
        return builder(dataType, bandCount, width, height).bytes(bytes).build();
    }

    /** A builder pre-filled with this window's metadata (data not copied). */
    public RasterWindowBuilder toBuilder() {
        RasterWindowBuilder b = new RasterWindowBuilder(dataType, bandCount, width(), height()).window(window)
                .coverage(coverage);
        b.mask = mask;
        b.geoTransform = geoTransform;
        b.crs = crs;
        for (int i = 0; i < bandCount; i++) {
            if (hasNodata[i]) {
                b.nodata(i, nodata[i]);
            }
        }
        return b;
    }

    /** Where the pixels sit in the source raster's pixel grid (origin (0,0) when there is no source raster). */
    public PixelWindow window() {
        return window;
    }

    /** The part of {@link #window()} backed by source pixels (the rest is padding); same coordinates as window(). */
    public PixelWindow coverage() {
        return coverage;
    }

    /** True when the whole window is backed by source pixels. */
    public boolean isFullyCovered() {
        return coverage.equals(window);
    }

    /** True when the window carries its source's per-dataset mask (an alpha band, a .msk, a mosaic's coverage). */
    public boolean hasMask() {
        return mask != null;
    }

    /** True when this window carries a geotransform. */
    public boolean hasGeoTransform() {
        return geoTransform != null;
    }

    /**
     * The window's own geotransform (origin at its top-left pixel corner).
     *
     * @throws GeoIOException when the window carries none (e.g. decoded from bytes)
     */
    public GeoTransform geoTransform() {
        if (geoTransform == null) {
            throw new GeoIOException("raster window " + window + ": has no geotransform; build it with"
                    + " RasterWindow.builder(...).geoTransform(...) or read it from a GeoRaster");
        }
        return geoTransform;
    }

    /** The CRS of the source raster, when known. */
    public Optional<Crs> crs() {
        return Optional.ofNullable(crs);
    }

    /** The pixel data type. */
    public RasterDataType dataType() {
        return dataType;
    }

    /** Number of bands. */
    public int bandCount() {
        return bandCount;
    }

    /** Width in pixels. */
    public int width() {
        return window.width();
    }

    /** Height in pixels. */
    public int height() {
        return window.height();
    }

    /** Pixels per band. */
    public int pixelsPerBand() {
        return width() * height();
    }

    /** The nodata value of band {@code band0} (0-based), if it has one. */
    public OptionalDouble nodata(int band0) {
        checkBand(band0);
        return hasNodata[band0] ? OptionalDouble.of(nodata[band0]) : OptionalDouble.empty();
    }

    /** The backing primitive array (byte[], short[], int[], float[] or double[]). */
    public Object data() {
        return data;
    }

    /** Backing array of a UINT8 or INT8 window. */
    public byte[] bytes() {
        return SampleArrays.require(data, dataType, byte[].class);
    }

    /** Backing array of a UINT16 or INT16 window. */
    public short[] shorts() {
        return SampleArrays.require(data, dataType, short[].class);
    }

    /** Backing array of a UINT32 or INT32 window. */
    public int[] ints() {
        return SampleArrays.require(data, dataType, int[].class);
    }

    /** Backing array of a FLOAT32 window. */
    public float[] floats() {
        return SampleArrays.require(data, dataType, float[].class);
    }

    /** Backing array of a FLOAT64 window. */
    public double[] doubles() {
        return SampleArrays.require(data, dataType, double[].class);
    }

    /** The true value of band {@code band0} at column {@code x}, row {@code y} of this window (unsigned-aware). */
    public double getDouble(int band0, int x, int y) {
        return SampleArrays.get(data, dataType, index(band0, x, y));
    }

    /** Sets band {@code band0} at ({@code x}, {@code y}) to {@code value}, cast to the data type. */
    public void setDouble(int band0, int x, int y, double value) {
        SampleArrays.set(data, dataType, index(band0, x, y), value);
    }

    /** Sets every pixel of band {@code band0} to {@code value}, cast to the data type. */
    public void fill(int band0, double value) {
        checkBand(band0);
        int n = pixelsPerBand();
        SampleArrays.fillRange(data, dataType, band0 * n, (band0 + 1) * n, value);
    }

    /**
     * All bands as floats, band-major (CHW), unsigned values converted to their true value: exact up to 16-bit
     * types and FLOAT32; 32-bit integers above 2^24 and FLOAT64 values are rounded ({@link #toDoubleArray()} is not).
     */
    public float[] toFloatArray() {
        return SampleArrays.toFloats(data, dataType, bandCount * pixelsPerBand());
    }

    /** All bands as doubles, band-major (CHW), each sample's true value exactly (unsigned-aware). */
    public double[] toDoubleArray() {
        return SampleArrays.toDoubles(data, dataType, bandCount * pixelsPerBand());
    }

    /** The raw samples, little-endian, band-major: what {@link #fromBytes} reads back. */
    public byte[] asBytes() {
        return SampleArrays.toLittleEndian(data, dataType, bandCount * pixelsPerBand());
    }

    /**
     * True where the pixel is valid (row-major, {@code width * height}). A pixel is invalid when it lies outside
     * {@link #coverage()}, or when every band holds nodata there (its declared nodata value, or NaN or an infinity in
     * a float band, which no model can take) - GDAL's per-dataset mask semantics. Bands without nodata never make a
     * covered pixel of an integer type invalid.
     */
    public boolean[] validMask() {
        return validMask(0, bandCount);
    }

    /** True where band {@code band0} is valid: inside coverage and not its nodata (nor NaN or an infinity). */
    public boolean[] validMask(int band0) {
        checkBand(band0);
        return validMask(band0, band0 + 1);
    }

    /** Share of pixels that are not valid (see {@link #validMask()}), 0..1; 1 for an empty window. */
    public double nodataFraction() {
        return invalidShare(validMask());
    }

    /** @return the share of false entries of a validity mask such as {@link #validMask()}, 0..1; 1 when empty */
    public static double invalidShare(boolean[] valid) {
        int invalid = 0;
        for (boolean v : valid) {
            invalid += v ? 0 : 1;
        }
        return valid.length == 0 ? 1.0 : invalid / (double) valid.length;
    }

    @Override
    public String toString() {
        return "RasterWindow[" + window + ", " + bandCount + " x " + dataType + (crs == null ? "" : ", " + crs) + "]";
    }

    // ---- internals ----

    private int index(int band0, int x, int y) {
        checkBand(band0);
        if (x < 0 || y < 0 || x >= width() || y >= height()) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width() + "x" + height());
        }
        return band0 * pixelsPerBand() + y * width() + x;
    }

    private void checkBand(int band0) {
        if (band0 < 0 || band0 >= bandCount) {
            throw new IndexOutOfBoundsException("band " + band0 + " (0-based) outside 0.." + (bandCount - 1));
        }
    }

    /** Valid where covered and some band in {@code fromBand..toBand-1} holds a finite value, not its nodata. */
    private boolean[] validMask(int fromBand, int toBand) {
        int n = pixelsPerBand();
        boolean[] valid = new boolean[n];
        boolean anyNodata = dataType.isFloatingPoint();
        for (int b = fromBand; b < toBand; b++) {
            anyNodata |= hasNodata[b];
        }
        int w = width();
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (!coverage.contains(window.x() + x, window.y() + y) || mask != null && !mask[p]) {
                    continue;
                }
                boolean ok = !anyNodata;
                for (int b = fromBand; b < toBand && !ok; b++) {
                    double v = SampleArrays.get(data, dataType, b * n + p);
                    ok = Double.isFinite(v) && !(hasNodata[b] && v == nodata[b]);
                }
                valid[p] = ok;
            }
        }
        return valid;
    }
}
