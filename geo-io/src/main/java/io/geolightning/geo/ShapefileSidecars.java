package io.geolightning.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The companion files of a Shapefile that GDAL needs next to the {@code .shp}: the {@code .shx} shape index (without
 * it GDAL refuses the file) and the {@code .dbf} attribute table (without it GDAL opens the shapes with no fields at
 * all). GDAL looks for {@code <stem>.<ext>} and {@code <stem>.<EXT>} only; a sidecar under another case (e.g.
 * {@code OLINDA1.dbf} next to {@code olinda1.shp}) is found here case-insensitively and reported as misnamed.
 *
 * @param shp the {@code .shp} file
 */
record ShapefileSidecars(Path shp) {

    /**
     * @return the sidecars of {@code path} when it is a local Shapefile ({@code .shp}, any case); a Shapefile inside
     *     an archive or behind a URL is left to GDAL's own message
     */
    static Optional<ShapefileSidecars> of(GdalPath path) {
        return !path.isVirtual() && path.fileName().toLowerCase(Locale.ROOT).endsWith(".shp")
                ? Optional.of(new ShapefileSidecars(path.local())) : Optional.empty();
    }

    /**
     * The problem with sidecar {@code ext} ("shx" or "dbf") and its fix, or empty when GDAL finds it.
     *
     * @param ext sidecar extension in lower case
     * @param what what the sidecar holds, for the message, e.g. "the attribute table"
     */
    Optional<String> problem(String ext, String what) {
        String expected = stem() + "." + ext;
        if (Files.exists(sibling(expected)) || Files.exists(sibling(stem() + "." + ext.toUpperCase(Locale.ROOT)))) {
            return Optional.empty();
        }
        Optional<Path> other = findIgnoringCase(expected);
        if (other.isPresent()) {
            return Optional.of("its ." + ext + " sidecar (" + what + ") is named " + other.get().getFileName()
                    + " but GDAL looks for " + expected + "; rename it to " + expected);
        }
        return Optional.of("its ." + ext + " sidecar " + expected + " (" + what + ") is missing; copy " + expected
                + " next to " + shp.getFileName() + " (a Shapefile is the .shp together with its .shx, .dbf and"
                + " .prj files)");
    }

    private String stem() {
        String n = shp.getFileName().toString();
        return n.substring(0, n.length() - ".shp".length());
    }

    private Path sibling(String name) {
        return shp.resolveSibling(name);
    }

    private Optional<Path> findIgnoringCase(String name) {
        Path folder = shp.toAbsolutePath().getParent();
        if (folder == null) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().equalsIgnoreCase(name)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
