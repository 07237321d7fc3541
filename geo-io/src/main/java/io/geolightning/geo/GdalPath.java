package io.geolightning.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A path GDAL opens: a local file, or a path on one of GDAL's virtual file systems ({@code /vsizip/},
 * {@code /vsigzip/}, {@code /vsitar/}, {@code /vsicurl/}, {@code /vsis3/}, {@code /vsigs/}, {@code /vsiaz/}, ...)
 * kept exactly as written. A {@link Path} cannot hold the latter: it collapses the {@code //} of
 * {@code /vsizip//data/labels.zip/a.shp} (an absolute archive path) and of {@code /vsicurl/https://host/a.tif}.
 * Inputs are read through this type; outputs stay local {@link Path}s ({@link #local()} says why when they are not).
 *
 * @param text the path as written
 */
public record GdalPath(String text) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates. */
    public GdalPath {
        if (text == null || text.isBlank()) {
            throw new GeoIOException("empty path; pass a file name or a GDAL path such as /vsizip/labels.zip/a.shp");
        }
        requireGdalCanName(text);
    }

    /**
     * GDAL's Java bindings hand a path to GDAL in JNI's modified UTF-8, which spells a character outside Unicode's
     * Basic Multilingual Plane (an emoji, a rare CJK ideograph) as two surrogates instead of its 4-byte UTF-8: GDAL
     * then finds no such file ("No such file or directory") and creates files under another name.
     *
     * @param path a path GDAL is to open or write
     * @throws GeoIOException naming the character when the path holds one GDAL would get wrong
     */
    public static void requireGdalCanName(String path) {
        path.codePoints().filter(Character::isSupplementaryCodePoint).findFirst().ifPresent(c -> {
            throw new GeoIOException(path + ": GDAL's Java bindings cannot pass the character '" + Character.toString(c)
                    + "' (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ", outside Unicode's Basic"
                    + " Multilingual Plane) to GDAL, which would read or write another file name; rename the file or"
                    + " folder without it");
        });
    }

    /**
     * @param text a local path or a GDAL virtual path, as the user wrote it
     * @return the path
     */
    public static GdalPath of(String text) {
        return new GdalPath(text);
    }

    /**
     * @param path a local path
     * @return the path
     */
    public static GdalPath of(Path path) {
        return new GdalPath(path.toString());
    }

    /** Where GeoLightning builds its own VRTs (a region's mosaic, a crop, a label raster on a scene's grid). */
    public static final String INTERNAL_FOLDER = "/vsimem/geolightning/";

    /** @return true for a VRT GeoLightning built in GDAL's memory ({@link #INTERNAL_FOLDER}) */
    public boolean isInternal() {
        return text.startsWith(INTERNAL_FOLDER);
    }

    /** @return true for a path on a GDAL virtual file system ({@code /vsi...}) */
    public boolean isVirtual() {
        return isVirtual(text);
    }

    /**
     * @param text a path as written
     * @return true when it names a GDAL virtual file system ({@code /vsizip/...}, {@code /vsicurl/...})
     */
    public static boolean isVirtual(String text) {
        return text != null && text.toLowerCase(Locale.ROOT).startsWith("/vsi");
    }

    /** @return true when reading it goes over the network ({@code /vsicurl/}, {@code /vsis3/}, ...) */
    public boolean isRemote() {
        String t = text.toLowerCase(Locale.ROOT);
        return isVirtual() && !(t.startsWith("/vsizip/") || t.startsWith("/vsigzip/") || t.startsWith("/vsitar/")
                || t.startsWith("/vsimem/") || t.startsWith("/vsisubfile/") || t.startsWith("/vsi7z/")
                || t.startsWith("/vsirar/") || t.startsWith("/vsisparse/"));
    }

    /**
     * @return the local path
     * @throws GeoIOException for a virtual path, which GeoLightning does not write to
     */
    public Path local() {
        if (isVirtual()) {
            throw new GeoIOException(text + ": a GDAL virtual path can be read but not written; write to a local file"
                    + " and copy it there with your storage's tools");
        }
        return Path.of(text);
    }

    /**
     * @return the archive file on this machine that a {@code /vsizip/}, {@code /vsigzip/} or {@code /vsitar/} path
     *     reads from ({@code /vsizip//data/a.zip/x.shp} -> {@code /data/a.zip}), or empty
     */
    public Optional<Path> localArchive() {
        String t = text.toLowerCase(Locale.ROOT);
        String[][] kinds = {{"/vsizip/", ".zip"}, {"/vsitar/", ".tar.gz"}, {"/vsitar/", ".tgz"}, {"/vsitar/", ".tar"},
            {"/vsigzip/", ".gz"}};
        for (String[] fs : kinds) {
            if (!t.startsWith(fs[0])) {
                continue;
            }
            String rest = text.substring(fs[0].length());
            if (rest.startsWith("{")) { // /vsizip/{/d/a.zip}/x.shp: the archive in braces
                int close = rest.indexOf('}');
                return close > 1 && !isVirtual(rest.substring(1)) ? Optional.of(Path.of(rest.substring(1, close)))
                        : Optional.empty();
            }
            String lower = rest.toLowerCase(Locale.ROOT);
            for (int at = lower.indexOf(fs[1]); at > 0; at = lower.indexOf(fs[1], at + 1)) {
                int end = at + fs[1].length();
                if ((end == rest.length() || rest.charAt(end) == '/') && !isVirtual(rest)) {
                    return Optional.of(Path.of(rest.substring(0, end)));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param file a local file
     * @return whether it is a ZIP archive (by its first bytes), which GDAL reads only through a {@code /vsizip/} path
     */
    public static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return the last name of the path ({@code a.shp} of {@code /vsizip//data/labels.zip/a.shp}) */
    public String fileName() {
        String t = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        int q = isRemote() ? t.indexOf('?') : -1;
        String noQuery = q > 0 ? t.substring(0, q) : t;
        return noQuery.substring(noQuery.lastIndexOf('/') + 1);
    }

    /**
     * @param name a file name
     * @return the file of that name next to this one, on the same file system
     */
    public GdalPath sibling(String name) {
        if (!isVirtual()) {
            return of(Path.of(text).resolveSibling(name));
        }
        int slash = text.lastIndexOf('/');
        return new GdalPath(text.substring(0, slash + 1) + name);
    }

    /**
     * @return a local path made absolute and normalised (so a run started elsewhere finds it); a virtual path as it is
     */
    public GdalPath absolute() {
        return isVirtual() ? this : of(Path.of(text).toAbsolutePath().normalize());
    }

    @Override
    public String toString() {
        return text;
    }
}
