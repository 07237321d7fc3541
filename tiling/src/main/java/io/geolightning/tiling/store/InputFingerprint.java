package io.geolightning.tiling.store;

import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.TilingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Size and modification time of one input file (raster or labels), recorded in the sidecar so that a data module can
 * tell whether an existing chip store is still current. A file inside an archive ({@code /vsizip/...}) is fingerprinted
 * by its archive on this machine; a remote file ({@code /vsicurl/...}, {@code /vsis3/...}) by its path alone (size and
 * time -1): it is taken as unchanged, so re-tile into a new store when it changes.
 *
 * @param path absolute path, or the GDAL path as written
 * @param size size in bytes
 * @param modifiedMillis last-modified time in milliseconds since the epoch
 */
public record InputFingerprint(String path, long size, long modifiedMillis) {

    /**
     * @param input a local file or a GDAL path
     * @return its fingerprint (see the class comment for archives and remote files)
     */
    public static InputFingerprint of(GdalPath input) {
        if (!input.isVirtual()) {
            return of(input.local());
        }
        return input.localArchive().map(a -> {
            InputFingerprint archive = of(a);
            return new InputFingerprint(input.text(), archive.size(), archive.modifiedMillis());
        }).orElse(new InputFingerprint(input.text(), -1, -1));
    }

    /** @return true when the input's fingerprint cannot change (a remote file) */
    public boolean unchecked() {
        return size < 0 && modifiedMillis < 0;
    }

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

    /** Fingerprints a vector file and, for a local Shapefile, its .dbf/.shx/.prj/.cpg companions. */
    public static List<InputFingerprint> ofVector(GdalPath labels) {
        List<InputFingerprint> out = new ArrayList<>();
        out.add(of(labels));
        if (labels.isVirtual()) {
            return out; // an archive is fingerprinted whole; a remote file by its path
        }
        Path vector = labels.local();
        String n = vector.getFileName().toString();
        if (n.toLowerCase(java.util.Locale.ROOT).endsWith(".shp")) {
            String stem = n.substring(0, n.length() - 4);
            for (String ext : new String[] {".dbf", ".shx", ".prj", ".cpg"}) {
                Path c = vector.resolveSibling(stem + ext);
                if (Files.exists(c)) {
                    out.add(of(c));
                }
            }
        }
        return out;
    }
}
