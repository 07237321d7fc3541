package io.geolightning.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;

/**
 * What GDAL says about a path it could not open, for one-line messages: whether the file is missing (a name not in
 * the archive, an HTTP 404, a missing archive) rather than unreadable, and what to check. GDAL's Java bindings 3.6 do
 * not expose {@code VSIStatL}, so a virtual path is checked by opening it and reading GDAL's own error, never with
 * java.nio.
 */
final class VirtualFiles {

    private VirtualFiles() {
    }

    /**
     * @param path a path GDAL just failed to open
     * @return true when GDAL's last error (or the archive on this machine) says the file does not exist
     */
    static boolean missing(GdalPath path) {
        Path archive = path.localArchive().orElse(null);
        if (archive != null) {
            if (!Files.isRegularFile(archive)) {
                return true;
            }
            List<String> names = entries(path);
            String inner = inner(path);
            if (!names.isEmpty() && inner != null && !names.contains(inner)) {
                return true;
            }
        }
        String msg = String.valueOf(gdal.GetLastErrorMsg()).toLowerCase(Locale.ROOT);
        if (msg.isBlank()) { // OGR's Open fails silently: ask GDAL's verbose open what went wrong
            try {
                Dataset probe = gdal.OpenEx(path.text(), gdalconstConstants.OF_READONLY
                        | gdalconstConstants.OF_VERBOSE_ERROR);
                if (probe != null) {
                    probe.delete();
                    return false;
                }
                msg = String.valueOf(gdal.GetLastErrorMsg());
            } catch (RuntimeException e) {
                msg = String.valueOf(e.getMessage()) + " " + gdal.GetLastErrorMsg();
            }
            msg = msg.toLowerCase(Locale.ROOT);
        }
        return msg.contains("does not exist") || msg.contains("no such file") || msg.contains("response code: 404")
                || msg.contains("http error code: 404") || msg.contains("404 not found");
    }

    /**
     * @param path a path that was not found
     * @return the fix to offer: the working directory for a local path, the archive's entries for an archive, the URL
     *     for a remote file
     */
    static String checkHint(GdalPath path) {
        if (!path.isVirtual()) {
            return "check the path (working directory: " + Path.of("").toAbsolutePath() + ")";
        }
        if (path.isRemote()) {
            return "check the URL and your access to it (GDAL could not fetch it)";
        }
        Path archive = path.localArchive().orElse(null);
        if (archive != null && !Files.isRegularFile(archive)) {
            return "the archive " + archive + " does not exist; check its path (a /vsizip/ path to an absolute archive"
                    + " starts with /vsizip//)";
        }
        List<String> names = entries(path);
        return names.isEmpty() ? "check the path inside the archive"
                : "check the path inside the archive; it holds " + String.join(", ", names.subList(0,
                Math.min(8, names.size()))) + (names.size() > 8 ? ", ..." : "");
    }

    /**
     * @param path a local path GDAL could not open
     * @return for a ZIP archive (by its first bytes), what to pass instead: the {@code /vsizip/} path of a file
     *     inside it (a raster or vector one when it has one) and the files it holds; else empty
     */
    static Optional<String> archiveHint(GdalPath path) {
        if (path.isVirtual() || !GdalPath.isZip(path.local())) {
            return Optional.empty();
        }
        String root = "/vsizip/" + path.local().toAbsolutePath().normalize();
        List<String> names = new ArrayList<>();
        Vector<?> v = gdal.ReadDirRecursive(root);
        if (v != null) {
            v.stream().map(String::valueOf).filter(n -> !n.endsWith("/")).forEach(names::add);
        }
        String pick = names.stream().filter(n -> n.toLowerCase(Locale.ROOT).matches(".*\\.(tiff?|vrt|jp2|img|shp|gpkg"
                + "|geojson|json|fgb|kml|gml|tab)$")).findFirst().orElse(names.isEmpty() ? "<file>" : names.get(0));
        return Optional.of("is a ZIP archive; GDAL reads a file inside it by a /vsizip/ path: pass " + root
                + "/" + pick + (names.isEmpty() ? "" : " (it holds " + String.join(", ", names.subList(0,
                Math.min(8, names.size()))) + (names.size() > 8 ? ", ..." : "") + ")"));
    }

    /** @return the archive part of an archive path ({@code /vsizip//d/a.zip} of {@code /vsizip//d/a.zip/x.shp}) */
    private static String root(GdalPath path) {
        String archive = path.localArchive().map(Path::toString).orElse(null);
        String t = path.text();
        int at = archive == null ? -1 : t.indexOf(archive);
        return at < 0 ? null : t.substring(0, at + archive.length());
    }

    /** @return the path inside the archive ({@code x.shp} of {@code /vsizip//d/a.zip/x.shp}), or null */
    private static String inner(GdalPath path) {
        String root = root(path);
        return root == null || path.text().length() <= root.length() + 1 ? null
                : path.text().substring(root.length() + 1);
    }

    /** @return the files of the archive a {@code /vsizip/} or {@code /vsitar/} path reads, or none */
    private static List<String> entries(GdalPath path) {
        String root = root(path);
        if (root == null) {
            return List.of();
        }
        Vector<?> v = gdal.ReadDirRecursive(root);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (Object o : v) {
                String n = String.valueOf(o);
                if (!n.endsWith("/")) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
