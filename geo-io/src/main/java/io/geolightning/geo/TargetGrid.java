package io.geolightning.geo;

import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * The pixel grid a region is read on: a CRS, a square pixel size in its units and the resampling of rasters that are
 * not already on it. Unset values come from the catalog's first raster (its CRS, its pixel size and its grid lines).
 *
 * @param crs the grid's CRS as the user wrote it ({@code EPSG:32619}, WKT...), or null for the first raster's
 * @param resolution square pixel size in CRS units, or null for the first raster's pixel width and height (estimated
 *                   by GDAL in another CRS)
 * @param resampling GDAL resampling of rasters off the grid: {@code nearest} (default), {@code bilinear},
 *                   {@code cubic}, {@code cubicspline}, {@code lanczos}, {@code average}, {@code mode}
 */
public record TargetGrid(String crs, Double resolution, String resampling) implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Set<String> RESAMPLINGS = Set.of("nearest", "bilinear", "cubic", "cubicspline", "lanczos",
            "average", "mode", "min", "max", "med", "q1", "q3", "rms", "sum");

    /** Validates. */
    public TargetGrid {
        if (resolution != null && !(resolution > 0 && Double.isFinite(resolution))) {
            throw new GeoIOException("resolution " + resolution + ": must be a positive pixel size in the grid CRS's"
                    + " units, e.g. 10");
        }
        resampling = resampling == null || resampling.isBlank() ? "nearest" : resampling.trim().toLowerCase(Locale.ROOT);
        if (!RESAMPLINGS.contains(resampling)) {
            throw new GeoIOException("resampling '" + resampling + "': unknown; use nearest, bilinear, cubic,"
                    + " cubicspline, lanczos, average or mode");
        }
        if (crs != null && crs.isBlank()) {
            crs = null;
        }
    }

    /** @return the first raster's grid, nearest-neighbour resampling for the others */
    public static TargetGrid ofFirstRaster() {
        return new TargetGrid(null, null, null);
    }

    /** @return the parsed CRS, or null for the first raster's */
    public Crs parsedCrs() {
        return crs == null ? null : Crs.fromUserInput(crs);
    }
}
