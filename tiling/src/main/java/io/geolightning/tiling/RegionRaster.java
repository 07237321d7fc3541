package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterCatalog;
import io.geolightning.geo.RasterMosaic;
import io.geolightning.geo.TargetGrid;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The raster a command reads, as a value that opens the same pixels wherever it is opened: one file, a mosaic of a
 * catalog on a {@link TargetGrid}, or single-band files stacked as bands; optionally cut to a pixel window of that
 * (the box of a {@code --bbox} or an AOI). The CLI's {@code predict} opens it directly; the Spark jobs send it to
 * the executors, which open it again and read their blocks of the same grid (GDAL builds the same mosaic from the
 * same files and grid).
 *
 * @param files the rasters (or band files), GDAL paths as given
 * @param kind how the files make one raster
 * @param grid the grid of a mosaic or stack (null for one file)
 * @param window the part of it read, or null for all of it
 */
public record RegionRaster(List<String> files, Kind kind, TargetGrid grid, PixelWindow window)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the files make one raster. */
    public enum Kind {
        /** One file read as it is. */
        SINGLE,
        /** A mosaic of the files on the grid (RasterMosaic.build). */
        MOSAIC,
        /** The files' single bands stacked on the grid (RasterMosaic.stack). */
        STACK
    }

    /** Validates. */
    public RegionRaster {
        files = List.copyOf(files);
        Objects.requireNonNull(kind, "kind");
        if (files.isEmpty() || kind == Kind.SINGLE && files.size() != 1) {
            throw new IllegalArgumentException("a region raster needs files (exactly one when SINGLE): " + files);
        }
        if (kind != Kind.SINGLE) {
            grid = grid == null ? TargetGrid.ofFirstRaster() : grid;
        }
    }

    /**
     * @param catalog the rasters
     * @param grid the grid to read them on, or null: one raster is read as it is, several on the first one's grid
     * @return the region of the catalog
     */
    public static RegionRaster of(RasterCatalog catalog, TargetGrid grid) {
        List<String> files = catalog.files().stream().map(GdalPath::text).toList();
        boolean single = files.size() == 1 && grid == null;
        return new RegionRaster(files, single ? Kind.SINGLE : Kind.MOSAIC, grid, null);
    }

    /**
     * @param bands single-band files, in band order
     * @param grid the grid (null: the first file's)
     * @return their stack
     */
    public static RegionRaster stack(RasterCatalog bands, TargetGrid grid) {
        return new RegionRaster(bands.files().stream().map(GdalPath::text).toList(), Kind.STACK, grid, null);
    }

    /**
     * @param area a box or AOI (its envelope is used), in any CRS
     * @return this raster cut to the pixels of the area's box
     * @throws TilingException when the area does not overlap the raster
     */
    public RegionRaster within(Region area) {
        try (Opened o = open()) {
            PixelWindow w = ChipGrid.regionWindow(o.raster(), area.envelope(), area.parsedCrs());
            return new RegionRaster(files, kind, grid, w);
        }
    }

    /** @return the raster, opened (mosaic VRTs built in memory); close it when done */
    public Opened open() {
        return new Opened(this);
    }

    /** An opened region raster; closing it closes the raster and drops the VRTs. */
    public static final class Opened implements AutoCloseable {
        private final RasterMosaic mosaic;
        private final GeoRaster whole;
        private final RasterMosaic cut;
        private final GeoRaster raster;

        private Opened(RegionRaster r) {
            List<GdalPath> paths = r.files().stream().map(GdalPath::of).toList();
            RasterMosaic m = null;
            GeoRaster w = null;
            RasterMosaic c = null;
            try {
                m = switch (r.kind()) {
                    case SINGLE -> null;
                    case MOSAIC -> RasterMosaic.build(RasterCatalog.of(paths), r.grid());
                    case STACK -> RasterMosaic.stack(RasterCatalog.of(paths), r.grid());
                };
                w = GeoRaster.open(m != null ? m.path() : paths.get(0));
                c = r.window() == null ? null : RasterMosaic.crop(w.path(), r.window());
                this.raster = c == null ? w : GeoRaster.open(c.path());
            } catch (RuntimeException e) {
                closeAll(c, w, m);
                throw e;
            }
            this.mosaic = m;
            this.whole = w;
            this.cut = c;
        }

        /** @return the raster to read */
        public GeoRaster raster() {
            return raster;
        }

        @Override
        public void close() {
            closeAll(raster == whole ? null : raster, cut, whole, mosaic);
        }

        private static void closeAll(AutoCloseable... all) {
            RuntimeException first = null;
            for (AutoCloseable a : all) {
                if (a == null) {
                    continue;
                }
                try {
                    a.close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
