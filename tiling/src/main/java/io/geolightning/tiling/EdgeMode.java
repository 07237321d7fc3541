package io.geolightning.tiling;

/** What a {@link ChipGrid} does where the last stride does not end exactly on the raster (or region) edge. */
public enum EdgeMode {
    /** keep only chips fully inside; a strip narrower than a chip at the right/bottom edge is not covered */
    DROP,
    /** add a last column/row of chips flush with the edge (they overlap their neighbours) so everything is covered */
    SHIFT,
    /** let the last chips run past the edge; reads pad them with nodata */
    PAD
}
