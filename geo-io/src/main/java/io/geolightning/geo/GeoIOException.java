package io.geolightning.geo;

import io.geolightning.foundation.GeoLightningException;
import io.geolightning.foundation.OneLine;
import java.nio.file.Path;

/**
 * The one unchecked exception of geo-io. Its message is a single line naming the file (or the value), the problem
 * and the fix, e.g. {@code "L7.tif: not a raster GDAL can read (format not recognised); pass a GeoTIFF or another
 * GDAL raster"}.
 */
public class GeoIOException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what (file or value), the problem, the fix */
    public GeoIOException(String message) {
        super(oneLine(message));
    }

    /** @param message one line: what (file or value), the problem, the fix; @param cause the underlying error */
    public GeoIOException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Builds {@code "<file>: <problem>; <fix>"} (a region's in-memory VRT named by its file name). */
    public static GeoIOException of(GdalPath file, String problem, String fix) {
        return new GeoIOException(named(file) + ": " + problem + "; " + fix);
    }

    /** Builds {@code "<file>: <problem>; <fix>"} keeping the cause. */
    public static GeoIOException of(GdalPath file, String problem, String fix, Throwable cause) {
        return new GeoIOException(named(file) + ": " + problem + "; " + fix, cause);
    }

    /** @return the file as a user knows it: a VRT GeoLightning built in memory (a region's) by its file name */
    private static String named(GdalPath file) {
        return file.isInternal() ? file.fileName() : file.text();
    }

    /** Builds {@code "<file>: <problem>; <fix>"}. */
    public static GeoIOException of(Path file, String problem, String fix) {
        return new GeoIOException(file + ": " + problem + "; " + fix);
    }

    /** Builds {@code "<file>: <problem>; <fix>"} keeping the cause. */
    public static GeoIOException of(Path file, String problem, String fix, Throwable cause) {
        return new GeoIOException(file + ": " + problem + "; " + fix, cause);
    }

    static String oneLine(String s) {
        return OneLine.of(s, "unknown error");
    }
}
