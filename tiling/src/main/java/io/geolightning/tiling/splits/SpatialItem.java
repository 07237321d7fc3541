package io.geolightning.tiling.splits;

/**
 * Anything with a place in a scene: its pixel window and its bounds in the scene CRS. Chips and chip-store rows are
 * spatial items, so the same splitters work on freshly sampled chips and on an existing store.
 */
public interface SpatialItem {
    /** @return the source raster's key, e.g. its path (blocks never span two scenes) */
    String sceneKey();

    /** @return column offset of the window */
    int x();

    /** @return row offset of the window */
    int y();

    /** @return window width in pixels */
    int width();

    /** @return window height in pixels */
    int height();

    /** @return west bound in the scene CRS */
    double minx();

    /** @return south bound in the scene CRS */
    double miny();

    /** @return east bound in the scene CRS */
    double maxx();

    /** @return north bound in the scene CRS */
    double maxy();
}
