package io.geolightning.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.ogr.ogr;
import org.gdal.osr.osr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time GDAL/OGR set-up: loads {@code libgdalalljni}, registers all drivers, turns GDAL errors into Java
 * exceptions and silences GDAL's own stderr printing (its last error message becomes our one-line exception instead).
 * Every geo-io entry point calls {@link #ensureInitialised()}; callers may call it too, it is cheap and idempotent.
 */
public final class Gdal {
    private static final Logger LOG = LoggerFactory.getLogger(Gdal.class);
    private static volatile boolean initialised;

    private Gdal() {
    }

    /**
     * Loads the GDAL JNI library and registers drivers once.
     *
     * @throws GeoIOException when libgdalalljni is not on {@code java.library.path}
     */
    public static void ensureInitialised() {
        if (initialised) {
            return;
        }
        synchronized (Gdal.class) {
            if (initialised) {
                return;
            }
            try {
                System.loadLibrary("gdalalljni");
            } catch (UnsatisfiedLinkError e) {
                throw new GeoIOException("GDAL native library libgdalalljni.so not found on java.library.path ("
                        + System.getProperty("java.library.path") + "): run scripts/setup and pass"
                        + " -Djava.library.path=<repo>/build/native", e);
            }
            gdal.SetConfigOption("CPL_LOG_ERRORS", "OFF");
            gdal.PushErrorHandler("CPLQuietErrorHandler");
            gdal.UseExceptions();
            ogr.UseExceptions();
            osr.UseExceptions();
            gdal.AllRegister();
            ogr.RegisterAll();
            LOG.debug("GDAL {} initialised", gdal.VersionInfo("RELEASE_NAME"));
            initialised = true;
        }
    }

    /**
     * The local files GDAL reads for a raster (its {@code GetFileList}: the file itself, a VRT's source rasters,
     * sidecars and overviews), for checking that an output is none of a command's inputs.
     *
     * @param raster a raster path
     * @return the local files, the raster's own first; just the raster when GDAL cannot open it; none for a
     *     virtual path
     */
    public static List<Path> filesRead(GdalPath raster) {
        if (raster.isVirtual()) {
            return List.of();
        }
        List<Path> out = new ArrayList<>(List.of(raster.local()));
        quietThread();
        Dataset ds = null;
        try {
            ds = gdal.OpenEx(raster.text(), gdalconstConstants.OF_RASTER | gdalconstConstants.OF_READONLY);
            Vector<?> files = ds == null ? null : ds.GetFileList();
            for (Object f : files == null ? List.of() : files) {
                String text = String.valueOf(f);
                if (!GdalPath.isVirtual(text) && !out.contains(Path.of(text))) {
                    out.add(Path.of(text));
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot list the files of {}: {}", raster, e.toString()); // reported when it is read
        } finally {
            if (ds != null) {
                ds.delete();
            }
        }
        return out;
    }

    /** GDAL's release name, e.g. "3.6.2". */
    public static String version() {
        ensureInitialised();
        return gdal.VersionInfo("RELEASE_NAME");
    }

    /**
     * Makes sure GDAL errors raised on the calling thread are silent too (GDAL's handler stack is per thread).
     * Called internally before GDAL work.
     */
    static void quietThread() {
        ensureInitialised();
        QUIET.get();
    }

    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> {
        gdal.PushErrorHandler("CPLQuietErrorHandler");
        return Boolean.TRUE;
    });

    /**
     * GDAL's last error message for this thread as one line, or {@code fallback} when GDAL recorded none. Also
     * extracts the message from a GDAL RuntimeException when one is given.
     */
    static String lastError(Throwable t, String fallback) {
        String msg = null;
        if (t != null && t.getMessage() != null && !t.getMessage().isBlank()) {
            msg = t.getMessage();
        }
        if (msg == null) {
            String last = gdal.GetLastErrorMsg();
            if (last != null && !last.isBlank()) {
                msg = last;
            }
        }
        return msg == null ? fallback : GeoIOException.oneLine(msg);
    }

    /** GDAL's message with the file's full path shortened to its name (the message names the file already). */
    static String lastError(Throwable t, String fallback, Path file) {
        return lastError(t, fallback, GdalPath.of(file));
    }

    /** Same as {@link #lastError(Throwable, String)}, with the path GDAL quotes shortened to the file's name. */
    static String lastError(Throwable t, String fallback, GdalPath file) {
        if (!file.isVirtual() && isEmptyFile(file.local())) {
            return "the file is empty (0 bytes)"; // GDAL's own words: "not recognized as a supported file format"
        }
        String msg = lastError(t, fallback);
        String full = file.text();
        String name = file.fileName().isEmpty() ? full : file.fileName();
        return msg.replace("`" + full + "'", name).replace(full + ": ", "").replace(full, name);
    }

    private static boolean isEmptyFile(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Same as {@link #lastError(Throwable, String)} without an exception. */
    static String lastError(String fallback) {
        return lastError(null, fallback);
    }
}
