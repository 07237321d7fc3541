package io.geolightning.tiling.store;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How a chip store is written.
 *
 * @param codec page compression: SNAPPY (fast, default), ZSTD (smaller), GZIP or UNCOMPRESSED
 * @param zstdLevel ZSTD level when codec is ZSTD
 * @param rowsPerPart rows per Parquet file in a folder store (ignored for a single-file store)
 * @param rowGroupBytes target row-group size; readers hold one row group of one file in memory at a time
 * @param exclusive true when the store must be new: the commit fails rather than replace a store (or a
 *     single-file store's sidecar) another writer published meanwhile; false replaces whatever is there
 */
public record ChipStoreOptions(CompressionCodecName codec, int zstdLevel, int rowsPerPart, long rowGroupBytes,
                               boolean exclusive) {

    /** Validates the values. */
    public ChipStoreOptions {
        if (codec == null) {
            codec = CompressionCodecName.SNAPPY;
        }
        if (rowsPerPart <= 0) {
            throw new IllegalArgumentException("rowsPerPart " + rowsPerPart + ": must be positive");
        }
        if (rowGroupBytes < 1 << 16) {
            throw new IllegalArgumentException("rowGroupBytes " + rowGroupBytes + ": must be at least 64 KiB");
        }
    }

    /** SNAPPY, 50,000 rows per part, 16 MiB row groups (less buffered data for the GC to copy). */
    public static ChipStoreOptions defaults() {
        return new ChipStoreOptions(CompressionCodecName.SNAPPY, 3, 50_000, 16L << 20, false);
    }

    /** @return a copy with another codec */
    public ChipStoreOptions withCodec(CompressionCodecName c) {
        return new ChipStoreOptions(c, zstdLevel, rowsPerPart, rowGroupBytes, exclusive);
    }

    /** @return a copy with another part size */
    public ChipStoreOptions withRowsPerPart(int rows) {
        return new ChipStoreOptions(codec, zstdLevel, rows, rowGroupBytes, exclusive);
    }

    /** @return a copy with another row-group size */
    public ChipStoreOptions withRowGroupBytes(long bytes) {
        return new ChipStoreOptions(codec, zstdLevel, rowsPerPart, bytes, exclusive);
    }

    /** @return a copy that publishes only a new store (true) or replaces an existing one (false) */
    public ChipStoreOptions withExclusive(boolean e) {
        return new ChipStoreOptions(codec, zstdLevel, rowsPerPart, rowGroupBytes, e);
    }
}
