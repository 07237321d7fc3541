package io.geolightning.tiling.store;

import io.geolightning.foundation.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.stats.BandStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Reads and writes the {@link ChipStoreMetadata} sidecar as pretty JSON (atomically). */
public final class SidecarJson {
    /**
     * Shared mapper: pretty printed, NaN written as the string "NaN". A sidecar nests a few levels; deeper input is
     * refused while parsing (Jackson's default of 1000 levels can overflow a worker thread's stack while binding).
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(64)
                    .build()).build()).enable(SerializationFeature.INDENT_OUTPUT);
    /** Far above any sidecar (class names, statistics, fingerprints); a larger file is not read into memory. */
    static final long MAX_BYTES = 64L << 20;

    private SidecarJson() {
    }

    /** Writes the sidecar through a temporary file. */
    public static void write(Path file, ChipStoreMetadata metadata) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(metadata);
            AtomicFiles.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            throw new TilingException(file + ": cannot write the chip-store sidecar (" + e.getMessage()
                    + "); check free space and permissions of the folder", e);
        }
    }

    /** @return the sidecar, or null when the file does not exist */
    public static ChipStoreMetadata readIfExists(Path file) {
        ChipStoreMetadata m;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new TilingException(file + ": not a valid chip-store sidecar (" + (size >> 20) + " MiB, a sidecar"
                        + " holds a few KiB); " + ChipStoreReader.RETILE);
            }
            m = MAPPER.readValue(Files.readAllBytes(file), ChipStoreMetadata.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new TilingException(file + ": not a valid chip-store sidecar (" + firstLine(e.getMessage())
                    + "); " + ChipStoreReader.RETILE, e);
        }
        String problem = m == null ? "it is null" : problem(m);
        if (problem != null) {
            throw new TilingException(file + ": not a valid chip-store sidecar (" + problem
                    + "); " + ChipStoreReader.RETILE);
        }
        return m;
    }

    /** @return what makes a parsed sidecar unusable (what readers and data modules rely on), or null */
    private static String problem(ChipStoreMetadata m) {
        if (m.bands() < 0 || m.chipWidth() < 0 || m.chipHeight() < 0) {
            return "negative bands or chip size";
        }
        if (m.classNames() != null && m.classNames().contains(null)) {
            return "a class name is null";
        }
        if (m.rowCounts() != null && m.rowCounts().entrySet().stream()
                .anyMatch(e -> e.getKey() == null || e.getValue() == null || e.getValue() < 0)) {
            return "a row count is null or negative";
        }
        if (m.rowCounts() != null && m.rowCounts().get("total") != null && m.rowCounts().get("total")
                != m.rowCounts().entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .mapToLong(Map.Entry::getValue).sum()) {
            return "the splits' row counts do not add up to the total";
        }
        if (m.parts() != null && !m.parts().stream().allMatch(SidecarJson::isPartName)) {
            return "parts must be .parquet file names inside the store folder";
        }
        BandStatistics b = m.bandStatistics();
        if (b != null && (b.count() == null || b.mean() == null || b.std() == null || b.min() == null
                || b.max() == null || b.mean().length != m.bands() || b.count().length != m.bands()
                || b.std().length != m.bands() || b.min().length != m.bands() || b.max().length != m.bands())) {
            return "band statistics do not have one value per band";
        }
        if (m.nodata() != null && m.nodata().size() != m.bands()) {
            return "nodata does not have one value per band";
        }
        return null;
    }

    /** @return whether a listed part is a plain .parquet file name (it is resolved inside the store folder) */
    private static boolean isPartName(String p) {
        if (p == null || p.startsWith(".") || !p.endsWith(".parquet")) {
            return false;
        }
        try {
            Path name = Path.of(p);
            return name.getNameCount() == 1 && !name.isAbsolute() && name.toString().equals(p);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** @return the first line of a library's message (it may quote file content), at most 300 characters */
    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
