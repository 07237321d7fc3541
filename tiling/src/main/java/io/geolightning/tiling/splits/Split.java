package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
import java.util.Arrays;
import java.util.Locale;

/** The subset a chip belongs to; stored in the chip store's {@code split} column by {@link #id()}. */
public enum Split {
    TRAIN, VAL, TEST, PREDICT;

    /** @return the lower-case name stored in Parquet, e.g. "train" */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "train", "val", "test" or "predict" (case-insensitive). */
    public static Split parse(String id) {
        for (Split s : values()) {
            if (s.id().equalsIgnoreCase(id)) {
                return s;
            }
        }
        throw new TilingException("split '" + id + "': unknown split; use one of "
                + Arrays.stream(values()).map(Split::id).toList());
    }
}
