package io.geolightning.geo;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The one place that knows which primitive array carries each {@link RasterDataType} ({@code byte[]} for
 * UINT8/INT8, {@code short[]} for UINT16/INT16, {@code int[]} for UINT32/INT32, {@code float[]} for FLOAT32,
 * {@code double[]} for FLOAT64) and how its samples are read and written: unsigned values are stored in the signed
 * carrier bit for bit and read back as their true (non-negative) value; writes cast through {@code long} for the
 * integer types. Arrays are passed as {@code Object}; unless a method checks, callers guarantee the carrier matches.
 */
final class SampleArrays {
    private SampleArrays() {
    }

    /** A new zeroed array of {@code n} samples of {@code type}'s carrier. */
    static Object allocate(RasterDataType type, int n) {
        return switch (type) {
            case UINT8, INT8 -> new byte[n];
            case UINT16, INT16 -> new short[n];
            case UINT32, INT32 -> new int[n];
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
        };
    }

    /**
     * A band-major array of {@code bands x n} samples; band b is filled with {@code fill[b]} where {@code has[b]},
     * the rest is 0.
     */
    static Object allocateBands(RasterDataType type, int bands, int n, boolean[] has, double[] fill) {
        Object a = allocate(type, bands * n);
        for (int b = 0; b < bands; b++) {
            if (has[b] && fill[b] != 0) {
                fillRange(a, type, b * n, (b + 1) * n, fill[b]);
            }
        }
        return a;
    }

    /** Number of samples in a carrier array. */
    static int length(Object array) {
        return Array.getLength(array);
    }

    /**
     * {@code array} cast to {@code carrier}, for a window of {@code type}.
     *
     * @throws GeoIOException when the array is not of that carrier
     */
    static <T> T require(Object array, RasterDataType type, Class<T> carrier) {
        if (array.getClass() != carrier) {
            throw new GeoIOException("raster window of " + type + ": has no " + carrier.getSimpleName()
                    + " backing array; use the accessor of its type or toFloatArray()");
        }
        return carrier.cast(array);
    }

    /**
     * {@code array}, checked to be {@code type}'s carrier holding {@code bands} band-major bands of {@code window}.
     *
     * @throws GeoIOException when the array is null, of another carrier or of another length
     */
    static Object requireWindowArray(Object array, RasterDataType type, int bands, PixelWindow window) {
        Object probe = allocate(type, 0);
        if (array == null || array.getClass() != probe.getClass()) {
            throw new GeoIOException("raster window data " + (array == null ? "null" : array.getClass().getSimpleName())
                    + ": wrong array type for " + type + "; pass a " + probe.getClass().getSimpleName());
        }
        long expected = (long) bands * window.area();
        if (length(array) != expected) {
            throw new GeoIOException("raster window data of " + length(array) + " samples: expected " + expected
                    + " (" + bands + " bands x " + window.width() + "x" + window.height() + "); pass a"
                    + " band-major array of that length");
        }
        return array;
    }

    /** The true value of sample {@code i} (unsigned-aware). */
    static double get(Object array, RasterDataType type, int i) {
        return switch (type) {
            case UINT8 -> ((byte[]) array)[i] & 0xFF;
            case INT8 -> ((byte[]) array)[i];
            case UINT16 -> ((short[]) array)[i] & 0xFFFF;
            case INT16 -> ((short[]) array)[i];
            case UINT32 -> ((int[]) array)[i] & 0xFFFFFFFFL;
            case INT32 -> ((int[]) array)[i];
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
        };
    }

    /** Sets sample {@code i} to {@code v}, cast to the type. */
    static void set(Object array, RasterDataType type, int i, double v) {
        switch (type) {
            case UINT8, INT8 -> ((byte[]) array)[i] = (byte) (long) v;
            case UINT16, INT16 -> ((short[]) array)[i] = (short) (long) v;
            case UINT32, INT32 -> ((int[]) array)[i] = (int) (long) v;
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = v;
        }
    }

    /** Sets samples {@code from} (inclusive) to {@code to} (exclusive) to {@code v}, cast to the type. */
    static void fillRange(Object array, RasterDataType type, int from, int to, double v) {
        switch (type) {
            case UINT8, INT8 -> Arrays.fill((byte[]) array, from, to, (byte) (long) v);
            case UINT16, INT16 -> Arrays.fill((short[]) array, from, to, (short) (long) v);
            case UINT32, INT32 -> Arrays.fill((int[]) array, from, to, (int) (long) v);
            case FLOAT32 -> Arrays.fill((float[]) array, from, to, (float) v);
            case FLOAT64 -> Arrays.fill((double[]) array, from, to, v);
        }
    }

    /** The first {@code n} samples as floats, unsigned values converted to their true value. */
    static float[] toFloats(Object array, RasterDataType type, int n) {
        float[] out = new float[n];
        switch (type) {
            case UINT8 -> {
                byte[] a = (byte[]) array;
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] & 0xFF;
                }
            }
            case INT8 -> {
                byte[] a = (byte[]) array;
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
            case UINT16 -> {
                short[] a = (short[]) array;
                for (int i = 0; i < n; i++) {
                    out[i] = a[i] & 0xFFFF;
                }
            }
            case FLOAT32 -> System.arraycopy(array, 0, out, 0, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) get(array, type, i);
                }
            }
        }
        return out;
    }

    /** The first {@code n} samples as doubles, each its true value exactly. */
    static double[] toDoubles(Object array, RasterDataType type, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = get(array, type, i);
        }
        return out;
    }

    /** The {@code n} samples of {@code array} as little-endian bytes (a copy, even for 1-byte types). */
    static byte[] toLittleEndian(Object array, RasterDataType type, int n) {
        if (type.bytes() == 1) {
            return ((byte[]) array).clone();
        }
        ByteBuffer buf = ByteBuffer.allocate(n * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case UINT16, INT16 -> buf.asShortBuffer().put((short[]) array);
            case UINT32, INT32 -> buf.asIntBuffer().put((int[]) array);
            case FLOAT32 -> buf.asFloatBuffer().put((float[]) array);
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) array);
            default -> throw new IllegalStateException(type.name());
        }
        return buf.array();
    }

    /** A new carrier array of {@code n} samples decoded from little-endian bytes ({@code n * type.bytes()} long). */
    static Object fromLittleEndian(byte[] le, RasterDataType type, int n) {
        ByteBuffer buf = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        Object a = allocate(type, n);
        switch (type) {
            case UINT8, INT8 -> System.arraycopy(le, 0, a, 0, n);
            case UINT16, INT16 -> buf.asShortBuffer().get((short[]) a);
            case UINT32, INT32 -> buf.asIntBuffer().get((int[]) a);
            case FLOAT32 -> buf.asFloatBuffer().get((float[]) a);
            case FLOAT64 -> buf.asDoubleBuffer().get((double[]) a);
        }
        return a;
    }
}
