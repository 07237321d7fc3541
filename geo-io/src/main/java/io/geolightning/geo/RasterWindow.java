package io.geolightning.geo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * covered; pixels outside it were padded with the band's nodata (0 when there is none) and are never valid.
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
    private final Object data;

    private RasterWindow(Builder b, Object data) {
        this.window = b.window;
        this.coverage = b.coverage;
        this.geoTransform = b.geoTransform;
        this.crs = b.crs;
        this.dataType = b.dataType;
        this.bandCount = b.bandCount;
        this.nodata = b.nodata.clone();
        this.hasNodata = b.hasNodata.clone();
        this.data = data;
    }

    /** Starts a window of {@code bandCount} bands of {@code width x height} pixels of {@code dataType}. */
    public static Builder builder(RasterDataType dataType, int bandCount, int width, int height) {
        return new Builder(dataType, bandCount, width, height);
    }

    /** Decodes {@link #asBytes()} output (little-endian, band-major) without geo-referencing. */
    public static RasterWindow fromBytes(byte[] bytes, RasterDataType dataType, int bandCount, int width, int height) {
        return builder(dataType, bandCount, width, height).bytes(bytes).build();
    }

    /** A builder pre-filled with this window's metadata (data not copied). */
    public Builder toBuilder() {
        Builder b = new Builder(dataType, bandCount, width(), height()).window(window).coverage(coverage);
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
        requireCarrier(byte[].class);
        return (byte[]) data;
    }

    /** Backing array of a UINT16 or INT16 window. */
    public short[] shorts() {
        requireCarrier(short[].class);
        return (short[]) data;
    }

    /** Backing array of a UINT32 or INT32 window. */
    public int[] ints() {
        requireCarrier(int[].class);
        return (int[]) data;
    }

    /** Backing array of a FLOAT32 window. */
    public float[] floats() {
        requireCarrier(float[].class);
        return (float[]) data;
    }

    /** Backing array of a FLOAT64 window. */
    public double[] doubles() {
        requireCarrier(double[].class);
        return (double[]) data;
    }

    /** The true value of band {@code band0} at column {@code x}, row {@code y} of this window (unsigned-aware). */
    public double getDouble(int band0, int x, int y) {
        return valueAt(index(band0, x, y));
    }

    /** Sets band {@code band0} at ({@code x}, {@code y}) to {@code value}, cast to the data type. */
    public void setDouble(int band0, int x, int y, double value) {
        setAt(index(band0, x, y), value);
    }

    /** Sets every pixel of band {@code band0} to {@code value}, cast to the data type. */
    public void fill(int band0, double value) {
        checkBand(band0);
        int n = pixelsPerBand();
        fillRange(data, dataType, band0 * n, (band0 + 1) * n, value);
    }

    /** All bands as floats, band-major (CHW), unsigned values converted to their true value. */
    public float[] toFloatArray() {
        int n = bandCount * pixelsPerBand();
        float[] out = new float[n];
        switch (dataType) {
            case UINT8 -> {
                byte[] a = (byte[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] & 0xFF;
                }
            }
            case INT8 -> {
                byte[] a = (byte[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
            case UINT16 -> {
                short[] a = (short[]) data;
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] & 0xFFFF;
                }
            }
            case FLOAT32 -> System.arraycopy(data, 0, out, 0, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) valueAt(i);
                }
            }
        }
        return out;
    }

    /** The raw samples, little-endian, band-major: what {@link #fromBytes} reads back. */
    public byte[] asBytes() {
        int n = bandCount * pixelsPerBand();
        if (dataType.bytes() == 1) {
            return ((byte[]) data).clone();
        }
        ByteBuffer buf = ByteBuffer.allocate(n * dataType.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dataType) {
            case UINT16, INT16 -> buf.asShortBuffer().put((short[]) data);
            case UINT32, INT32 -> buf.asIntBuffer().put((int[]) data);
            case FLOAT32 -> buf.asFloatBuffer().put((float[]) data);
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) data);
            default -> throw new IllegalStateException(dataType.name());
        }
        return buf.array();
    }

    /**
     * True where the pixel is valid (row-major, {@code width * height}). A pixel is invalid when it lies outside
     * {@link #coverage()}, or when every band holds nodata there (its declared nodata value, or NaN in a float band)
     * - GDAL's per-dataset mask semantics. Bands without nodata never make a covered pixel invalid.
     */
    public boolean[] validMask() {
        int n = pixelsPerBand();
        boolean[] valid = new boolean[n];
        boolean anyNodata = dataType.isFloatingPoint();
        for (boolean h : hasNodata) {
            anyNodata |= h;
        }
        int w = width();
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (!coverage.contains(window.x() + x, window.y() + y)) {
                    continue;
                }
                if (!anyNodata) {
                    valid[p] = true;
                    continue;
                }
                boolean ok = false;
                for (int b = 0; b < bandCount && !ok; b++) {
                    double v = valueAt(b * n + p);
                    boolean isNodata = Double.isNaN(v) || (hasNodata[b] && v == nodata[b]);
                    ok = !isNodata;
                }
                valid[p] = ok;
            }
        }
        return valid;
    }

    /** True where band {@code band0} is valid: inside coverage and not its nodata (nor NaN). */
    public boolean[] validMask(int band0) {
        checkBand(band0);
        int n = pixelsPerBand();
        boolean[] valid = new boolean[n];
        int w = width();
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (coverage.contains(window.x() + x, window.y() + y)) {
                    double v = valueAt(band0 * n + p);
                    valid[p] = !(Double.isNaN(v) || (hasNodata[band0] && v == nodata[band0]));
                }
            }
        }
        return valid;
    }

    /** Share of pixels that are not valid (see {@link #validMask()}), 0..1; 1 for an empty window. */
    public double nodataFraction() {
        int n = pixelsPerBand();
        if (n == 0) {
            return 1.0;
        }
        int invalid = 0;
        for (boolean v : validMask()) {
            if (!v) {
                invalid++;
            }
        }
        return invalid / (double) n;
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

    private void requireCarrier(Class<?> carrier) {
        if (data.getClass() != carrier) {
            throw new GeoIOException("raster window of " + dataType + ": has no " + carrier.getSimpleName()
                    + " backing array; use the accessor of its type or toFloatArray()");
        }
    }

    double valueAt(int i) {
        return switch (dataType) {
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case INT8 -> ((byte[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xFFFF;
            case INT16 -> ((short[]) data)[i];
            case UINT32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
            case INT32 -> ((int[]) data)[i];
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
        };
    }

    private void setAt(int i, double v) {
        switch (dataType) {
            case UINT8, INT8 -> ((byte[]) data)[i] = (byte) (long) v;
            case UINT16, INT16 -> ((short[]) data)[i] = (short) (long) v;
            case UINT32, INT32 -> ((int[]) data)[i] = (int) (long) v;
            case FLOAT32 -> ((float[]) data)[i] = (float) v;
            case FLOAT64 -> ((double[]) data)[i] = v;
        }
    }

    static Object allocate(RasterDataType type, int n) {
        return switch (type) {
            case UINT8, INT8 -> new byte[n];
            case UINT16, INT16 -> new short[n];
            case UINT32, INT32 -> new int[n];
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
        };
    }

    static void fillRange(Object array, RasterDataType type, int from, int to, double v) {
        switch (type) {
            case UINT8, INT8 -> Arrays.fill((byte[]) array, from, to, (byte) (long) v);
            case UINT16, INT16 -> Arrays.fill((short[]) array, from, to, (short) (long) v);
            case UINT32, INT32 -> Arrays.fill((int[]) array, from, to, (int) (long) v);
            case FLOAT32 -> Arrays.fill((float[]) array, from, to, (float) v);
            case FLOAT64 -> Arrays.fill((double[]) array, from, to, v);
        }
    }

    static int length(Object array) {
        return java.lang.reflect.Array.getLength(array);
    }

    /** Builds a {@link RasterWindow}; unset data is allocated and filled with each band's nodata (or 0). */
    public static final class Builder {
        private final RasterDataType dataType;
        private final int bandCount;
        private PixelWindow window;
        private PixelWindow coverage;
        private GeoTransform geoTransform;
        private Crs crs;
        private final double[] nodata;
        private final boolean[] hasNodata;
        private Object data;

        private Builder(RasterDataType dataType, int bandCount, int width, int height) {
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
        public Builder window(PixelWindow w) {
            if (w.width() != window.width() || w.height() != window.height()) {
                throw new GeoIOException("raster window " + w + ": size differs from the builder's "
                        + window.width() + "x" + window.height() + "; pass a window of the same size");
            }
            this.window = w;
            this.coverage = w;
            return this;
        }

        /** The part of the window backed by real pixels (same coordinates as window); clipped to the window. */
        public Builder coverage(PixelWindow c) {
            this.coverage = c.intersection(window).orElse(new PixelWindow(window.x(), window.y(), 0, 0));
            return this;
        }

        /** The window's own geotransform (its top-left corner as origin). */
        public Builder geoTransform(GeoTransform gt) {
            this.geoTransform = gt;
            return this;
        }

        /** The CRS of the geotransform. */
        public Builder crs(Crs c) {
            this.crs = c;
            return this;
        }

        /** Nodata of every band ({@code values.length == 1}) or of each band. */
        public Builder nodata(double... values) {
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
        public Builder nodata(int band0, double value) {
            if (!dataType.canHold(value)) {
                throw new GeoIOException("nodata " + value + ": does not fit " + dataType + "; pass a value in "
                        + dataType.minValue() + ".." + dataType.maxValue());
            }
            nodata[band0] = value;
            hasNodata[band0] = true;
            return this;
        }

        /** Band {@code band0} has no nodata value. */
        public Builder noNodata(int band0) {
            hasNodata[band0] = false;
            return this;
        }

        /** Uses {@code array} (byte[]/short[]/int[]/float[]/double[] of the type's carrier, CHW) as backing store. */
        public Builder data(Object array) {
            Object probe = allocate(dataType, 0);
            if (array == null || array.getClass() != probe.getClass()) {
                throw new GeoIOException("raster window data " + (array == null ? "null" : array.getClass().getSimpleName())
                        + ": wrong array type for " + dataType + "; pass a " + probe.getClass().getSimpleName());
            }
            long expected = (long) bandCount * window.area();
            if (length(array) != expected) {
                throw new GeoIOException("raster window data of " + length(array) + " samples: expected " + expected
                        + " (" + bandCount + " bands x " + window.width() + "x" + window.height() + "); pass a"
                        + " band-major array of that length");
            }
            this.data = array;
            return this;
        }

        /** Decodes little-endian band-major bytes (see {@link RasterWindow#asBytes()}). */
        public Builder bytes(byte[] le) {
            long expected = (long) bandCount * window.area() * dataType.bytes();
            if (le == null || le.length != expected) {
                throw new GeoIOException("raster window bytes: got " + (le == null ? 0 : le.length) + ", expected "
                        + expected + " (" + bandCount + " bands x " + window.width() + "x" + window.height() + " x "
                        + dataType.bytes() + " bytes); pass the output of asBytes() for the same shape and type");
            }
            int n = (int) (expected / dataType.bytes());
            ByteBuffer buf = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
            Object a = allocate(dataType, n);
            switch (dataType) {
                case UINT8, INT8 -> System.arraycopy(le, 0, a, 0, n);
                case UINT16, INT16 -> buf.asShortBuffer().get((short[]) a);
                case UINT32, INT32 -> buf.asIntBuffer().get((int[]) a);
                case FLOAT32 -> buf.asFloatBuffer().get((float[]) a);
                case FLOAT64 -> buf.asDoubleBuffer().get((double[]) a);
            }
            this.data = a;
            return this;
        }

        /** The window; allocates a nodata-filled (or zero) array when no data was given. */
        public RasterWindow build() {
            Object a = data;
            if (a == null) {
                int n = (int) window.area();
                a = allocate(dataType, bandCount * n);
                for (int b = 0; b < bandCount; b++) {
                    if (hasNodata[b] && nodata[b] != 0) {
                        fillRange(a, dataType, b * n, (b + 1) * n, nodata[b]);
                    }
                }
            }
            return new RasterWindow(this, a);
        }
    }
}
