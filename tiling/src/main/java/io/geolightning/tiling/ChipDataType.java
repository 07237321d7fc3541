package io.geolightning.tiling;

import java.util.Arrays;
import java.util.Locale;

/**
 * Pixel data types a chip can carry, named as in NumPy ("uint8", "float32", ...). Pixels are stored raw,
 * little-endian, band-major; this type knows how to read one value back as a double.
 */
public enum ChipDataType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), FLOAT64(8);

    private final int bytes;

    ChipDataType(int bytes) {
        this.bytes = bytes;
    }

    /** @return the size of one value in bytes */
    public int bytes() {
        return bytes;
    }

    /** @return the NumPy-style name, e.g. "uint8" */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a NumPy-style name ("uint8", "float32", ...), failing with a one-line message. */
    public static ChipDataType parse(String id) {
        for (ChipDataType t : values()) {
            if (t.id().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new TilingException("dtype '" + id + "': unknown pixel data type; use one of "
                + Arrays.stream(values()).map(ChipDataType::id).toList());
    }

    /** Reads value {@code index} (not byte offset) of a little-endian buffer as a double. */
    public double get(byte[] data, int index) {
        int o = index * bytes;
        switch (this) {
            case UINT8: return data[o] & 0xFF;
            case INT8: return data[o];
            case UINT16: return (data[o] & 0xFF) | (data[o + 1] & 0xFF) << 8;
            case INT16: return (short) ((data[o] & 0xFF) | (data[o + 1] & 0xFF) << 8);
            case UINT32: return Integer.toUnsignedLong(int32(data, o));
            case INT32: return int32(data, o);
            case FLOAT32: return Float.intBitsToFloat(int32(data, o));
            case FLOAT64: return Double.longBitsToDouble((int32(data, o) & 0xFFFFFFFFL) | ((long) int32(data, o + 4)) << 32);
            default: throw new IllegalStateException(name());
        }
    }

    /** Writes value {@code index} (not byte offset) of a little-endian buffer, converting from a double. */
    public void set(byte[] data, int index, double v) {
        int o = index * bytes;
        switch (this) {
            case UINT8, INT8 -> data[o] = (byte) (long) v;
            case UINT16, INT16 -> { int s = (int) (long) v; data[o] = (byte) s; data[o + 1] = (byte) (s >> 8); }
            case UINT32, INT32 -> putInt32(data, o, (int) (long) v);
            case FLOAT32 -> putInt32(data, o, Float.floatToRawIntBits((float) v));
            case FLOAT64 -> {
                long l = Double.doubleToRawLongBits(v);
                putInt32(data, o, (int) l);
                putInt32(data, o + 4, (int) (l >>> 32));
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static int int32(byte[] d, int o) {
        return (d[o] & 0xFF) | (d[o + 1] & 0xFF) << 8 | (d[o + 2] & 0xFF) << 16 | (d[o + 3] & 0xFF) << 24;
    }

    private static void putInt32(byte[] d, int o, int v) {
        d[o] = (byte) v;
        d[o + 1] = (byte) (v >> 8);
        d[o + 2] = (byte) (v >> 16);
        d[o + 3] = (byte) (v >> 24);
    }
}
