package io.geolightning.geo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rasters of a region, as the user names them: files, GDAL paths ({@code /vsicurl/...}), globs
 * ({@code tiles/*.tif}, {@code tiles/**}{@code /*.tif}), folders (their raster files) and list files ({@code .txt}: one
 * path per line; {@code .csv}: the {@code raster} column, else the first). The files may differ in CRS and resolution;
 * they must agree in band count and data type ({@link #check()}). {@link RasterMosaic} reads them as one raster on a
 * {@link TargetGrid}.
 */
public final class RasterCatalog {

    /** Suffixes of the raster files a folder contributes. */
    private static final Set<String> RASTER_SUFFIXES = Set.of("tif", "tiff", "jp2", "img", "vrt", "nc", "hdf", "ecw",
            "sid", "dem", "asc", "bil", "png", "jpg", "jpeg");
    private static final Set<String> LIST_SUFFIXES = Set.of("txt", "lst", "csv");

    private final List<GdalPath> files;

    private RasterCatalog(List<GdalPath> files) {
        this.files = List.copyOf(files);
    }

    /**
     * @param files the rasters, in mosaic order (a later file covers an earlier one where they overlap)
     * @return the catalog
     */
    public static RasterCatalog of(List<GdalPath> files) {
        if (files.isEmpty()) {
            throw new GeoIOException("no raster; name at least one raster file, folder, glob or list");
        }
        return new RasterCatalog(new ArrayList<>(new LinkedHashSet<>(files)));
    }

    /**
     * Expands what the user wrote into files.
     *
     * @param specs files, GDAL paths, globs, folders and list files
     * @return the catalog, files in the order given (a glob's or folder's files sorted by name), each once
     * @throws GeoIOException naming a glob that matches nothing, a folder without rasters or an unreadable list
     */
    public static RasterCatalog expand(List<String> specs) {
        List<GdalPath> out = new ArrayList<>();
        for (String s : specs) {
            out.addAll(expand(s.trim(), 0));
        }
        return of(out);
    }

    private static List<GdalPath> expand(String spec, int depth) {
        if (spec.isEmpty()) {
            return List.of();
        }
        if (GdalPath.isVirtual(spec)) {
            return List.of(GdalPath.of(spec));
        }
        Path p = Path.of(spec);
        if (!Files.exists(p) && spec.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
            return glob(spec);
        }
        if (Files.isDirectory(p)) {
            return folder(p);
        }
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        String suffix = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        if (LIST_SUFFIXES.contains(suffix) && Files.isRegularFile(p) && depth == 0) {
            return list(p);
        }
        return List.of(GdalPath.of(p));
    }

    private static List<GdalPath> glob(String pattern) {
        String normalised = pattern.replace('\\', '/');
        int firstGlob = firstGlobChar(normalised);
        int slash = normalised.lastIndexOf('/', firstGlob);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : normalised.substring(0, slash));
        Path absBase = base.toAbsolutePath().normalize();
        String rest = slash < 0 ? normalised : normalised.substring(slash + 1);
        PathMatcher deep = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        // Java's "**/" needs a folder; a shell's also matches the top level (tiles/**/*.tif holds tiles/a.tif)
        PathMatcher top = rest.startsWith("**/") ? FileSystems.getDefault().getPathMatcher("glob:"
                + rest.substring(3)) : deep;
        PathMatcher m = f -> deep.matches(f) || top.matches(f);
        int maxDepth = rest.contains("**") ? Integer.MAX_VALUE : rest.split("/").length;
        List<GdalPath> out = new ArrayList<>();
        if (Files.isDirectory(absBase)) {
            try (Stream<Path> s = Files.walk(absBase, maxDepth)) {
                s.filter(Files::isRegularFile).filter(f -> m.matches(absBase.relativize(f))).sorted()
                        .forEach(f -> out.add(GdalPath.of(slash < 0 ? absBase.relativize(f) : base.resolve(
                                absBase.relativize(f)))));
            } catch (IOException e) {
                throw new GeoIOException(pattern + ": cannot list " + base + " (" + e.getMessage() + "); check the"
                        + " folder's permissions", e);
            }
        }
        if (out.isEmpty()) {
            throw new GeoIOException(pattern + ": the pattern matches no file (searched " + absBase + "); check it, and"
                    + " quote it so that the shell passes it unexpanded");
        }
        return out;
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static List<GdalPath> folder(Path dir) {
        List<GdalPath> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return !n.startsWith(".") && n.contains(".")
                        && RASTER_SUFFIXES.contains(n.substring(n.lastIndexOf('.') + 1));
            }).sorted().forEach(f -> out.add(GdalPath.of(f)));
        } catch (IOException e) {
            throw new GeoIOException(dir + ": cannot list the folder (" + e.getMessage() + "); check its permissions",
                    e);
        }
        if (out.isEmpty()) {
            throw new GeoIOException(dir + ": the folder holds no raster file (" + String.join(", ",
                    new java.util.TreeSet<>(RASTER_SUFFIXES)) + "); pass the folder of the scenes or a glob");
        }
        return out;
    }

    private static List<GdalPath> list(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GeoIOException(file + ": cannot read the raster list (" + e.getMessage() + "); check the file",
                    e);
        }
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        int column = 0;
        int from = 0;
        if (csv && !lines.isEmpty()) {
            List<String> header = List.of(lines.get(0).split(",", -1)).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)
                    .replace("\"", "")).toList();
            if (header.contains("raster")) {
                column = header.indexOf("raster");
                from = 1;
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        List<GdalPath> out = new ArrayList<>();
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String cell = csv ? cellOf(line, column) : line;
            if (cell.isEmpty()) {
                continue;
            }
            String resolved = GdalPath.isVirtual(cell) || Path.of(cell).isAbsolute() ? cell
                    : dir.resolve(cell).normalize().toString();
            out.addAll(expand(resolved, 1));
        }
        if (out.isEmpty()) {
            throw new GeoIOException(file + ": the raster list names no raster; write one path per line");
        }
        return out;
    }

    private static String cellOf(String line, int column) {
        String[] cells = line.split(",", -1);
        return column < cells.length ? cells[column].trim().replace("\"", "") : "";
    }

    /** @return the rasters in mosaic order */
    public List<GdalPath> files() {
        return files;
    }

    /**
     * Opens every raster once and checks that they can form one mosaic.
     *
     * @return this
     * @throws GeoIOException naming two files that differ in band count or data type, or a raster without CRS in a
     *     catalog of several
     */
    public RasterCatalog check() {
        GdalPath firstPath = null;
        int bands = 0;
        RasterDataType type = null;
        for (GdalPath f : files) {
            try (GeoRaster r = GeoRaster.open(f)) {
                if (firstPath == null) {
                    firstPath = f;
                    bands = r.bandCount();
                    type = r.dataType();
                } else if (r.bandCount() != bands || r.dataType() != type) {
                    throw GeoIOException.of(f, r.bandCount() + " bands of " + r.dataType() + " but " + firstPath.fileName()
                            + " has " + bands + " of " + type, "a catalog holds rasters of one sensor and product;"
                            + " tile the others separately");
                }
                if (files.size() > 1 && r.crs().isEmpty()) {
                    throw GeoIOException.of(f, "has no CRS, so it cannot be placed in a mosaic", r.missingCrsFix());
                }
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return files.size() == 1 ? files.get(0).text() : files.size() + " rasters (" + files.get(0).fileName()
                + ", ...)";
    }
}
