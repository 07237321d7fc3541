package io.geolightning.tiling.store;

import io.geolightning.tiling.TilingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Size and modification time of one input file (raster or labels), recorded in the sidecar so that a data module can
 * tell whether an existing chip store is still current.
 *
 * @param path absolute path
 * @param size size in bytes
 * @param modifiedMillis last-modified time in milliseconds since the epoch
 */
public record InputFingerprint(String path, long size, long modifiedMillis) {

    /** Fingerprints an existing file; a shapefile's .dbf/.shx companions are fingerprinted by the caller. */
    public static InputFingerprint of(Path file) {
        try {
            Path abs = file.toAbsolutePath().normalize();
            return new InputFingerprint(abs.toString(), Files.size(abs), Files.getLastModifiedTime(abs).toMillis());
        } catch (IOException e) {
            throw new TilingException(file + ": cannot read its size or modification time (" + e.getMessage()
                    + "); check that the file exists and is readable", e);
        }
    }
}
