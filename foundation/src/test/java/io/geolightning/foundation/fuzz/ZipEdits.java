package io.geolightning.foundation.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Crafted copies of a real ZIP archive (a checkpoint) for the untrusted-input tests: an entry replaced, an entry
 * added, or a "zip bomb" entry of zeros that is tiny on disk.
 */
public final class ZipEdits {

    private ZipEdits() {
    }

    /** Adds entries to an archive being written. */
    @FunctionalInterface
    public interface Extra {
        /** @param zip the archive, after the copied entries */
        void write(ZipOutputStream zip) throws IOException;
    }

    /**
     * @param archive a ZIP file
     * @param entry an entry's name
     * @return the entry's bytes
     */
    public static byte[] read(Path archive, String entry) throws IOException {
        try (ZipFile in = new ZipFile(archive.toFile()); InputStream is = in.getInputStream(in.getEntry(entry))) {
            return is.readAllBytes();
        }
    }

    /**
     * Copies every entry of {@code from} except {@code skip} (best compression), then lets {@code extra} add entries.
     *
     * @param from the archive
     * @param to the copy
     * @param skip an entry left out, or null
     * @param extra what to add at the end
     */
    public static void copy(Path from, Path to, String skip, Extra extra) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setLevel(9);
            Enumeration<? extends ZipEntry> en = in.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (!e.getName().equals(skip)) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
            extra.write(zip);
        }
    }

    /**
     * Zips files into a new archive, each entry named by its file name (e.g. a Shapefile's .shp, .shx, .dbf, .prj to
     * read through GDAL's {@code /vsizip/}).
     *
     * @param archive the zip to write
     * @param files the files, in entry order
     * @return {@code archive}
     */
    public static Path zipFiles(Path archive, List<Path> files) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return archive;
    }

    /**
     * Zips a Shapefile with the companions GDAL reads beside it (.shp, .shx, .dbf, .prj).
     *
     * @param shp the .shp file
     * @param archive the zip to write
     * @return {@code archive}, absolute (so {@code "/vsizip/" + archive} starts with {@code /vsizip//})
     */
    public static Path zipShapefile(Path shp, Path archive) throws IOException {
        String stem = shp.getFileName().toString().replaceFirst("\\.shp$", "");
        return zipFiles(archive.toAbsolutePath(), List.of(shp.resolveSibling(stem + ".shp"),
                shp.resolveSibling(stem + ".shx"), shp.resolveSibling(stem + ".dbf"),
                shp.resolveSibling(stem + ".prj")));
    }

    /** Copies {@code from} with {@code entry} replaced by {@code bytes}. */
    public static void replace(Path from, Path to, String entry, byte[] bytes) throws IOException {
        copy(from, to, entry, zip -> {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(bytes);
            zip.closeEntry();
        });
    }

    /** Writes an entry of {@code bytes} zeros (it deflates to about a thousandth of that). */
    public static void zeros(ZipOutputStream zip, String name, long bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        byte[] z = new byte[1 << 20];
        for (long w = 0; w < bytes; w += z.length) {
            zip.write(z);
        }
        zip.closeEntry();
    }
}
