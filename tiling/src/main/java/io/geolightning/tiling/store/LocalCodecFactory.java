package io.geolightning.tiling.store;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet compression without Hadoop on disk: SNAPPY (aircompressor's pure-Java codec, which Parquet itself depends
 * on), ZSTD (zstd-jni), GZIP (java.util.zip) and UNCOMPRESSED. Parquet's default codec factory needs
 * hadoop-client-runtime; this one needs nothing else. Codecs are stateless, so one instance may serve many writers and
 * readers. SNAPPY, the default, is not xerial's snappy-java: that one unpacks its native library into
 * {@code java.io.tmpdir} on first use, so a full (or read-only, or {@code noexec}) {@code /tmp} failed every tile and
 * every read of a store, with the library's own stack trace, and each killed process left a copy there.
 */
public final class LocalCodecFactory implements CompressionCodecFactory {
    private final int zstdLevel;

    /** @param zstdLevel ZSTD level (1 fast .. 19 small); 3 is zstd's default */
    public LocalCodecFactory(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    /** A factory with ZSTD level 3. */
    public LocalCodecFactory() {
        this(3);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new Compressor(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(codec);
    }

    @Override
    public void release() {
        // stateless
    }

    private static void check(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED, SNAPPY, ZSTD, GZIP -> { }
            default -> throw new UnsupportedOperationException("Parquet codec " + codec
                    + " is not supported without Hadoop; use SNAPPY, ZSTD, GZIP or UNCOMPRESSED");
        }
    }

    private final class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            check(codec);
            this.codec = codec;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            return switch (codec) {
                case UNCOMPRESSED -> BytesInput.from(in);
                case SNAPPY -> {
                    SnappyCompressor snappy = new SnappyCompressor();
                    byte[] out = new byte[snappy.maxCompressedLength(in.length)];
                    int n = snappy.compress(in, 0, in.length, out, 0, out.length);
                    yield BytesInput.from(out, 0, n);
                }
                case ZSTD -> BytesInput.from(Zstd.compress(in, zstdLevel));
                case GZIP -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 64);
                    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                        gz.write(in);
                    }
                    yield BytesInput.from(out.toByteArray());
                }
                default -> throw new IllegalStateException(codec.name());
            };
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
            // stateless
        }
    }

    private static final class Decompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;

        Decompressor(CompressionCodecName codec) {
            check(codec);
            this.codec = codec;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            return BytesInput.from(decompress(bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.duplicate().get(in);
            output.put(decompress(in, uncompressedSize));
        }

        private byte[] decompress(byte[] in, int uncompressedSize) throws IOException {
            byte[] out;
            switch (codec) {
                case UNCOMPRESSED -> out = in;
                case SNAPPY -> {
                    out = new byte[uncompressedSize];
                    int n;
                    try {
                        n = new SnappyDecompressor().decompress(in, 0, in.length, out, 0, out.length);
                    } catch (MalformedInputException e) {
                        throw new IOException("damaged snappy page (" + e.getMessage() + ")", e);
                    }
                    if (n != uncompressedSize) {
                        throw new IOException("snappy page decoded to " + n + " bytes, expected " + uncompressedSize);
                    }
                }
                case ZSTD -> {
                    out = Zstd.decompress(in, uncompressedSize);
                    if (out.length != uncompressedSize) {
                        throw new IOException("zstd page decoded to " + out.length + " bytes, expected " + uncompressedSize);
                    }
                }
                case GZIP -> {
                    try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                        out = gz.readNBytes(uncompressedSize);
                    }
                }
                default -> throw new IllegalStateException(codec.name());
            }
            return out;
        }

        @Override
        public void release() {
            // stateless
        }
    }
}
