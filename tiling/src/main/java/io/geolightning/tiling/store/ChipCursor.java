package io.geolightning.tiling.store;

import java.util.Iterator;

/** A streaming iterator over chip-store rows that holds at most one row group in memory; close it when done. */
public interface ChipCursor extends Iterator<ChipRow>, AutoCloseable {
    @Override
    void close();
}
