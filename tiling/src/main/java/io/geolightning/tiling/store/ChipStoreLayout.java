package io.geolightning.tiling.store;

import java.nio.file.Path;

/**
 * Where the pieces of a chip store live. A path ending in ".parquet" is a single-file store with its sidecar next to
 * it ({@code name.chips.json}); any other path is a folder of parts ({@code part-00000.parquet}, ...) with
 * {@code chips.json} inside.
 *
 * @param root the store path as given (file or folder)
 */
public record ChipStoreLayout(Path root) {
    /** Name of the sidecar inside a folder store. */
    public static final String SIDECAR = "chips.json";
    /** Folder inside a folder store where a distributed writer stages its parts before they are published. */
    public static final String STAGING = "_temporary";

    /** Normalises the path. */
    public ChipStoreLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** @return true for a single-file store */
    public boolean singleFile() {
        return root.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    }

    /** @return the folder holding the Parquet files and the sidecar */
    public Path folder() {
        return singleFile() ? root.getParent() : root;
    }

    /** @return the sidecar path */
    public Path sidecar() {
        if (!singleFile()) {
            return root.resolve(SIDECAR);
        }
        String name = root.getFileName().toString();
        return root.resolveSibling(name.substring(0, name.length() - ".parquet".length()) + ".chips.json");
    }

    /** @return the file name of part {@code i} (folder store) or the store file name (single file) */
    public String partName(int i) {
        return singleFile() ? root.getFileName().toString() : String.format("part-%05d.parquet", i);
    }
}
