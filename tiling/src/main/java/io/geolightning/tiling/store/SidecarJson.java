package io.geolightning.tiling.store;

import io.geolightning.foundation.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.geolightning.tiling.TilingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes the {@link ChipStoreMetadata} sidecar as pretty JSON (atomically). */
public final class SidecarJson {
    /** Shared mapper: pretty printed, NaN written as the string "NaN". */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        try {
            return MAPPER.readValue(Files.readAllBytes(file), ChipStoreMetadata.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new TilingException(file + ": not a valid chip-store sidecar (" + firstLine(e.getMessage())
                    + "); delete the store and tile again", e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
