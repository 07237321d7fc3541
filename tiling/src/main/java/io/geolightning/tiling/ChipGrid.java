package io.geolightning.tiling;

import io.geolightning.geo.Crs;
import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.locationtech.jts.geom.Envelope;

/**
 * A regular grid of {@code size x size} chips moving by {@code stride} pixels (stride {@literal <} size overlaps chips), in
 * pixel space aligned to the source raster: chip origins are multiples of the stride from the raster's top-left
 * pixel. Optionally restricted to a region, an envelope in any CRS transformed into the raster CRS.
 *
 * @param size chip side in pixels
 * @param stride step between chips in pixels
 * @param edge what to do at the right and bottom edges
 */
public record ChipGrid(int size, int stride, EdgeMode edge) {

    /** Validates. */
    public ChipGrid {
        if (size < 1 || stride < 1) {
            throw new TilingException("chip grid: size " + size + " / stride " + stride + ": both must be at least 1 pixel");
        }
        if (edge == null) {
            edge = EdgeMode.DROP;
        }
    }

    /** Non-overlapping chips, edge strips dropped. */
    public static ChipGrid of(int size) {
        return new ChipGrid(size, size, EdgeMode.DROP);
    }

    /** Chips of the whole raster. */
    public List<Chip> chips(GeoRaster raster) {
        return chips(raster, raster.extent());
    }

    /**
     * Chips of the part of the raster inside {@code region} (in {@code regionCrs}; null = the raster CRS).
     *
     * @throws TilingException when the region misses the raster
     */
    public List<Chip> chips(GeoRaster raster, Envelope region, Crs regionCrs) {
        return chips(raster, regionWindow(raster, region, regionCrs));
    }

    /** The pixel window of {@code raster} covered by {@code region}, clipped to the raster. */
    public static PixelWindow regionWindow(GeoRaster raster, Envelope region, Crs regionCrs) {
        Envelope inRaster = region;
        Crs rasterCrs = raster.crs().orElse(null);
        CrsTransform toRaster = regionCrs != null && rasterCrs != null ? CrsTransform.of(regionCrs, rasterCrs) : null;
        if (toRaster != null) {
            inRaster = toRaster.transform(region);
        }
        Optional<PixelWindow> w = raster.windowFor(inRaster).intersection(raster.extent());
        if (w.isEmpty()) {
            throw new TilingException(raster.path().fileName() + ": region " + fmt(region) + " in "
                    + (regionCrs == null ? rasterCrs : regionCrs) + " does not overlap the raster extent "
                    + fmt(raster.bounds()) + " in " + rasterCrs + "; pass a region inside the raster"
                    + (regionCrs == null && looksLikeDegrees(region) && rasterCrs != null && !rasterCrs.isGeographic()
                    ? " (these look like longitudes and latitudes: add their CRS, e.g. --bbox " + region.getMinX()
                    + "," + region.getMinY() + "," + region.getMaxX() + "," + region.getMaxY() + ",EPSG:4326)"
                    : toRaster != null && toRaster.swappedMeets(region, raster.bounds())
                    ? " (x and y look swapped: a box in a geographic CRS is written longitudes first,"
                    + " minlon,minlat,maxlon,maxlat, as GIS software writes it whatever the axis order of the CRS's"
                    + " definition; --bbox " + region.getMinY() + ","
                    + region.getMinX() + "," + region.getMaxY() + "," + region.getMaxX() + regionCrs.epsg().stream()
                    .mapToObj(c -> ",EPSG:" + c).findFirst().orElse("") + " overlaps the raster)"
                    : ""));
        }
        return w.get();
    }

    /**
     * The window holding every chip of this grid that meets {@code area}, within {@code extent}: from a chip less a
     * pixel before the area to the end of the last chip starting inside it. Inside the raster it ends where that chip
     * ends, so the edge mode acts at the raster's edges only.
     *
     * @param area a pixel window of the raster (an area of interest's box)
     * @param extent the raster's extent
     */
    public PixelWindow meeting(PixelWindow area, PixelWindow extent) {
        int x0 = Math.max(extent.x(), area.x() - size + 1);
        int y0 = Math.max(extent.y(), area.y() - size + 1);
        int x1 = Math.min(extent.endX(), Math.floorDiv(area.endX() - 1, stride) * stride + size);
        int y1 = Math.min(extent.endY(), Math.floorDiv(area.endY() - 1, stride) * stride + size);
        return new PixelWindow(x0, y0, x1 - x0, y1 - y0);
    }

    private static boolean looksLikeDegrees(Envelope e) {
        return e.getMinX() >= -180 && e.getMaxX() <= 180 && e.getMinY() >= -90 && e.getMaxY() <= 90;
    }

    /** Chips inside {@code area} (a pixel window of the raster), made as the list is read (see {@link #layout}). */
    public List<Chip> chips(GeoRaster raster, PixelWindow area) {
        return layout(raster, area).asList();
    }

    /**
     * Places the chips inside {@code area} (a pixel window of the raster) without making them: memory grows with the
     * raster's width and height, not with its number of chips.
     *
     * @throws TilingException when the chip is larger than the area (and the edge mode is not PAD)
     */
    public GridChips layout(GeoRaster raster, PixelWindow area) {
        String name = raster.path().fileName();
        if (size > area.width() || size > area.height()) {
            if (edge != EdgeMode.PAD) {
                throw new TilingException(name + ": chip size " + size + "x" + size + " is larger than the "
                        + (area.equals(raster.extent()) ? "raster" : "region") + " (" + area.width() + "x"
                        + area.height() + " pixels); use a chip size of at most "
                        + Math.min(area.width(), area.height()) + " or --edge pad (data.edge: pad)");
            }
        }
        int[] xs = positions(area.x(), area.endX()).stream().mapToInt(Integer::intValue).toArray();
        int[] ys = positions(area.y(), area.endY()).stream().mapToInt(Integer::intValue).toArray();
        return new GridChips(raster.path(), raster.geoTransform(), size, xs, ys);
    }

    private List<Integer> positions(int from, int to) {
        List<Integer> p = new ArrayList<>();
        int first = Math.floorDiv(from + stride - 1, stride) * stride; // first multiple of the stride >= from
        for (int v = first; v + size <= to; v += stride) {
            p.add(v);
        }
        int covered = p.isEmpty() ? first : p.get(p.size() - 1) + size;
        if (covered < to) {
            if (edge == EdgeMode.SHIFT) {
                int v = Math.max(from, to - size);
                if (p.isEmpty() || v > p.get(p.size() - 1)) {
                    p.add(v);
                }
            } else if (edge == EdgeMode.PAD) {
                int v = p.isEmpty() ? first : p.get(p.size() - 1) + stride;
                while (covered < to) {
                    p.add(v);
                    covered = v + size;
                    v += stride;
                }
            }
        }
        return p;
    }

    static String stem(GdalPath p) {
        String n = p.fileName();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    static String fmt(Envelope e) {
        return String.format(java.util.Locale.ROOT, "[%.6g, %.6g, %.6g, %.6g]", e.getMinX(), e.getMinY(), e.getMaxX(),
                e.getMaxY());
    }
}
