package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.PixelWindow;
import io.geolightning.tiling.splits.SpatialItem;
import org.locationtech.jts.geom.Envelope;

/**
 * A chip to cut from a scene: its id, the scene, its pixel window (aligned to the scene's pixels) and its bounds in
 * the scene CRS.
 *
 * @param id unique id, e.g. "L7_ETMs_x64_y32"
 * @param scene the source raster
 * @param window pixel window in the scene
 * @param bounds bounding box of the window in the scene CRS
 */
public record Chip(String id, GdalPath scene, PixelWindow window, Envelope bounds) implements SpatialItem {

    @Override
    public String sceneKey() {
        return scene.toString();
    }

    @Override
    public int x() {
        return window.x();
    }

    @Override
    public int y() {
        return window.y();
    }

    @Override
    public int width() {
        return window.width();
    }

    @Override
    public int height() {
        return window.height();
    }

    @Override
    public double minx() {
        return bounds.getMinX();
    }

    @Override
    public double miny() {
        return bounds.getMinY();
    }

    @Override
    public double maxx() {
        return bounds.getMaxX();
    }

    @Override
    public double maxy() {
        return bounds.getMaxY();
    }
}
