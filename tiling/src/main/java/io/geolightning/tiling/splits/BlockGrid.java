package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grid of square blocks laid over each scene, either in map units of the scene CRS (grid anchored at the CRS
 * origin) or in chips (k x k chip sizes, anchored at the scene's top-left pixel). A size given in metres
 * ({@link #metres}, what {@code --block 5000m} means) is turned into map units by {@link #inMapUnits} once the
 * scenes' CRS is known: the same metres in a CRS in feet or degrees.
 *
 * @param size block side, in map units, metres or chips
 * @param inChips true when {@code size} counts chips
 * @param inMetres true when {@code size} is in metres, still to be turned into map units
 */
public record BlockGrid(double size, boolean inChips, boolean inMetres) {

    /** Validates the size. */
    public BlockGrid {
        if (!(size > 0) || !Double.isFinite(size) || (inChips && size != Math.rint(size)) || (inChips && inMetres)) {
            throw new TilingException("block size " + size + (inChips ? " chips" : inMetres ? " m" : " map units")
                    + ": must be a positive " + (inChips ? "whole number of chips" : "length")
                    + "; e.g. 4 chips or 5000 m");
        }
    }

    /** Blocks {@code size} map units (or chips) wide. */
    public BlockGrid(double size, boolean inChips) {
        this(size, inChips, false);
    }

    /** Blocks {@code metres} metres wide, in map units once {@link #inMapUnits} knows the CRS's unit. */
    public static BlockGrid metres(double metres) {
        return new BlockGrid(metres, false, true);
    }

    /**
     * @param metresPerUnit metres in one map unit of the scenes' CRS
     * @return this grid in map units: a size in metres divided by {@code metresPerUnit}; any other grid as it is
     */
    public BlockGrid inMapUnits(double metresPerUnit) {
        return inMetres ? new BlockGrid(size / metresPerUnit, false, false) : this;
    }

    /** @return the size for messages: a whole number without a trailing ".0", else six significant digits */
    public String sizeText() {
        return size == Math.rint(size) && Math.abs(size) < 1e15 ? String.valueOf((long) size)
                : String.format(Locale.ROOT, "%.6g", size);
    }

    /** Blocks {@code size} map units wide. */
    public static BlockGrid mapUnits(double size) {
        return new BlockGrid(size, false);
    }

    /** Blocks {@code chips} chip sizes wide. */
    public static BlockGrid chips(int chips) {
        return new BlockGrid(chips, true);
    }

    /** @return the block holding the item's centre */
    public BlockKey blockOf(SpatialItem it) {
        if (inChips) {
            double side = size * it.width();
            double sideY = size * it.height();
            return new BlockKey(it.sceneKey(), (long) Math.floor((it.x() + it.width() / 2.0) / side),
                    (long) Math.floor((it.y() + it.height() / 2.0) / sideY));
        }
        return new BlockKey(it.sceneKey(), (long) Math.floor((it.minx() + it.maxx()) / 2 / size),
                (long) Math.floor((it.miny() + it.maxy()) / 2 / size));
    }

    /** @return every block the item's extent touches */
    public List<BlockKey> blocksTouched(SpatialItem it) {
        long x0;
        long x1;
        long y0;
        long y1;
        if (inChips) {
            double side = size * it.width();
            double sideY = size * it.height();
            x0 = (long) Math.floor(it.x() / side);
            x1 = (long) Math.floor((it.x() + it.width() - 1) / side);
            y0 = (long) Math.floor(it.y() / sideY);
            y1 = (long) Math.floor((it.y() + it.height() - 1) / sideY);
        } else {
            double eps = 1e-9 * Math.max(1, Math.abs(it.maxx()) + Math.abs(it.maxy()));
            x0 = (long) Math.floor(it.minx() / size);
            x1 = (long) Math.floor((it.maxx() - eps) / size);
            y0 = (long) Math.floor(it.miny() / size);
            y1 = (long) Math.floor((it.maxy() - eps) / size);
        }
        List<BlockKey> out = new ArrayList<>();
        for (long by = y0; by <= y1; by++) {
            for (long bx = x0; bx <= x1; bx++) {
                out.add(new BlockKey(it.sceneKey(), bx, by));
            }
        }
        return out;
    }

    /**
     * @param text {@code 4} or {@code 4 chips} (chips), {@code 5000m} (metres, whatever the raster CRS's unit)
     * @return the block grid
     * @throws TilingException for the setting {@code block}, when the text is no block size
     */
    public static BlockGrid parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("m")) {
                double units = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (units > 0 && Double.isFinite(units)) {
                    return metres(units);
                }
            } else {
                String n = t.endsWith("chips") ? t.substring(0, t.length() - 5).trim() : t;
                int chips = Integer.parseInt(n);
                if (chips > 0) {
                    return chips(chips);
                }
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        String problem = "not a block size; write a whole number of chips (e.g. 4) or metres with an m suffix"
                + " (e.g. 5000m)";
        throw new TilingException("block", text, problem, "block '" + text + "': " + problem);
    }
}
