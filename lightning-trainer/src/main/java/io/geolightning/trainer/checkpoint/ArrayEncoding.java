package io.geolightning.trainer.checkpoint;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * DJL's stream encoding of one array ({@code NDArray.encode}, versions 1 to 3: {@code "NDAR"}, version, name, sparse
 * format, type, shape, byte order, data length, data), read strictly. DJL's own decoders size their allocations by the
 * counts in the file without checking them (one flipped bit in a dimension count or a data length asks for
 * gigabytes); here every count must be small and the data length must be what the type and shape make, so decoding a
 * checked array allocates only what its bytes hold.
 */
final class ArrayEncoding {

    /** More dimensions than any array of a model has. */
    static final int MAX_DIMS = 32;
    private static final byte[] MAGIC = {0, 4, 'N', 'D', 'A', 'R'};

    private ArrayEncoding() {
    }

    /**
     * One array's header.
     *
     * @param type its element type
     * @param shape its dimensions
     * @param dataBytes the length of the data that follows
     */
    record Header(DataType type, long[] shape, int dataBytes) {
        boolean sameArray(Header o) {
            return type == o.type && Arrays.equals(shape, o.shape);
        }

        @Override
        public String toString() {
            return type + " " + new Shape(shape);
        }
    }

    /** @return whether {@code b[off..]} starts an encoded array */
    static boolean startsArray(byte[] b, int off, int len) {
        return len >= MAGIC.length && Arrays.equals(b, off, off + MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Reads a header, leaving the stream at the array's data.
     *
     * @param in the stream
     * @return the header
     * @throws IOException when the stream ends early
     * @throws IllegalArgumentException naming what is malformed
     */
    static Header read(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("an array does not start with its NDAR marker");
        }
        int version = in.readInt();
        if (version < 1 || version > 3) {
            throw new IllegalArgumentException("an array has encoding version " + version + " (DJL writes 1 to 3)");
        }
        if (version > 1 && in.readByte() == 1) {
            in.readUTF(); // the name: at most 64 KiB, as any UTF string
        }
        in.readUTF(); // sparse format
        String typeName = in.readUTF();
        DataType type;
        try {
            type = DataType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an array has unknown type '" + CheckpointIO.quote(typeName) + "'");
        }
        if (type.getNumOfBytes() <= 0) {
            throw new IllegalArgumentException("an array has type " + type + ", which no model parameter has");
        }
        int dims = count(in.readInt(), "dimensions");
        long[] shape = new long[dims];
        long bytes = type.getNumOfBytes(); // -1 once above 2 GiB, the most one array's data can hold
        boolean empty = false;
        for (int i = 0; i < dims; i++) {
            long d = in.readLong();
            if (d < 0) {
                throw new IllegalArgumentException("an array has a negative dimension " + d);
            }
            shape[i] = d;
            empty |= d == 0;
            if (bytes >= 0) {
                bytes = d > Integer.MAX_VALUE || bytes * d > Integer.MAX_VALUE ? -1 : bytes * d;
            }
        }
        long expected = empty ? 0 : bytes;
        in.skipNBytes(2L * count(in.readInt(), "layout letters"));
        if (version > 2) {
            in.readByte(); // byte order
        }
        int length = in.readInt();
        if (length != expected) {
            throw new IllegalArgumentException("an array of " + type + " " + new Shape(shape) + " declares " + length
                    + " data bytes instead of " + (expected < 0 ? "more than 2 GiB" : expected));
        }
        return new Header(type, shape, length);
    }

    /**
     * Checks an {@code NDList.encode} stream: an array count, then that many arrays of the given types, their data
     * ending exactly at the end.
     *
     * @param bytes the stream
     * @param maxArrays the most arrays it may hold
     * @param types the element types allowed
     * @throws IllegalArgumentException naming what is malformed
     */
    static void checkList(byte[] bytes, int maxArrays, Set<DataType> types) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            if (n < 0 || n > maxArrays) {
                throw new IllegalArgumentException("it declares " + n + " arrays (at most " + maxArrays + " expected)");
            }
            for (int i = 0; i < n; i++) {
                Header h = read(in);
                if (!types.contains(h.type())) {
                    throw new IllegalArgumentException("array #" + i + " has type " + h.type() + " (the model's: "
                            + types + ")");
                }
                in.skipNBytes(h.dataBytes());
            }
            if (in.read() >= 0) {
                throw new IllegalArgumentException("bytes follow its last array");
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("it ends in the middle of an array");
        } catch (IOException e) { // a byte array fails only on a malformed UTF string
            throw new IllegalArgumentException("an array's name or type is not a valid string");
        }
    }

    private static int count(int n, String what) {
        if (n < 0 || n > MAX_DIMS) {
            throw new IllegalArgumentException("a shape has " + n + " " + what + " (at most " + MAX_DIMS + ")");
        }
        return n;
    }
}
