package io.geolightning.trainer.checkpoint;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code model.params} must look like for an initialised block, learnt by recording the block's own
 * {@code saveParameters}: the same bytes, except that the sizes of the recorded input shapes (the batch size differs
 * between training and prediction) and each array's name, encoding version and data may differ. {@link #check} reads
 * an entry against it before DJL's decoder does: every count that sizes an allocation in the decoder (numbers of
 * shapes, of dimensions, array lengths) must then be the model's own, so a damaged or crafted file can no longer ask
 * for gigabytes.
 */
final class WeightsLayout {

    private sealed interface Part permits Fixed, InputShape, Array {}

    /** Bytes that must be equal (block versions, counts, parameter names). */
    private record Fixed(byte[] bytes) implements Part {}

    /** An encoded {@link Shape}: its dimension and layout counts must be equal, its sizes may differ. */
    private record InputShape(int dims, int layout) implements Part {}

    /** An encoded array: same type and shape; name and data free. */
    private record Array(ArrayEncoding.Header header) implements Part {}

    private final List<Part> parts;

    private WeightsLayout(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * @param block an initialised block
     * @return the layout of its parameters file
     */
    static WeightsLayout of(Block block) {
        Recorder r = new Recorder();
        try (DataOutputStream out = new DataOutputStream(r)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        r.flushFixed();
        return new WeightsLayout(List.copyOf(r.parts));
    }

    /**
     * Reads a parameters file to its end and checks it has this layout.
     *
     * @param in the file
     * @throws IOException when reading fails
     * @throws IllegalArgumentException naming the first difference and its byte offset
     */
    void check(InputStream in) throws IOException {
        CountingInput counted = new CountingInput(in);
        DataInputStream data = new DataInputStream(counted);
        try {
            for (Part p : parts) {
                long at = counted.count;
                if (p instanceof Fixed f) {
                    byte[] got = data.readNBytes(f.bytes().length);
                    if (!Arrays.equals(got, f.bytes())) {
                        throw new IllegalArgumentException("it differs from the model's layout at byte "
                                + (at + Math.max(0, Arrays.mismatch(got, f.bytes()))));
                    }
                } else if (p instanceof InputShape s) {
                    if (data.readInt() != s.dims()) {
                        throw new IllegalArgumentException("an input shape at byte " + at + " has another number of"
                                + " dimensions than the model's");
                    }
                    data.skipNBytes(8L * s.dims());
                    if (data.readInt() != s.layout()) {
                        throw new IllegalArgumentException("an input shape at byte " + at + " has another layout");
                    }
                    data.skipNBytes(2L * s.layout());
                } else {
                    ArrayEncoding.Header want = ((Array) p).header();
                    ArrayEncoding.Header got = ArrayEncoding.read(data);
                    if (!got.sameArray(want)) {
                        throw new IllegalArgumentException("the array at byte " + at + " is " + got + " but the model's is "
                                + want);
                    }
                    data.skipNBytes(got.dataBytes());
                }
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("it ends at byte " + counted.count + ", before the model's last array");
        }
        if (data.read() >= 0) {
            throw new IllegalArgumentException("it goes on after the model's last array (byte " + counted.count + ")");
        }
    }

    /** Splits what the block writes into parts: encoded arrays and shapes arrive in one write each. */
    private static final class Recorder extends OutputStream {
        private final List<Part> parts = new ArrayList<>();
        private final ByteArrayOutputStream fixed = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            fixed.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (ArrayEncoding.startsArray(b, off, len)) {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, off, len))) {
                    ArrayEncoding.Header h = ArrayEncoding.read(in);
                    if (in.skip(h.dataBytes()) != h.dataBytes() || in.read() >= 0) {
                        throw new IllegalStateException("DJL wrote an array in a form this reader does not know");
                    }
                    flushFixed();
                    parts.add(new Array(h));
                } catch (IOException e) {
                    throw new IllegalStateException("DJL wrote an array in a form this reader does not know", e);
                }
            } else if (isShape(b, off, len)) {
                flushFixed();
                ByteBuffer s = ByteBuffer.wrap(b, off, len);
                int dims = s.getInt();
                parts.add(new InputShape(dims, s.getInt(off + 4 + 8 * dims)));
            } else {
                fixed.write(b, off, len);
            }
        }

        /** {@code Shape.getEncoded()}: dimension count, sizes, layout count, layout letters. */
        private static boolean isShape(byte[] b, int off, int len) {
            if (len < 8) {
                return false;
            }
            ByteBuffer s = ByteBuffer.wrap(b, off, len);
            int dims = s.getInt();
            if (dims < 0 || dims > ArrayEncoding.MAX_DIMS || len < 8 + 8 * dims) {
                return false;
            }
            int layout = s.getInt(off + 4 + 8 * dims);
            return layout >= 0 && layout <= ArrayEncoding.MAX_DIMS && len == 8 + 8 * dims + 2 * layout;
        }

        void flushFixed() {
            if (fixed.size() > 0) {
                parts.add(new Fixed(fixed.toByteArray()));
                fixed.reset();
            }
        }
    }

    /** Counts the bytes read, for the offsets in messages. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
