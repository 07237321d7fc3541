package io.geolightning.geo;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes GeoTIFF or COG rasters atomically: pixels go to a temporary file in the output folder which is renamed onto
 * the final path only when complete (for COG a temporary tiled GeoTIFF is translated by GDAL's COG driver, with
 * overviews, into a second temporary file first). A failed or abandoned write leaves no file at the final path.
 * <p>Two forms: {@link #write(RasterWindow)} for a raster held in memory, and {@link #open()} for a
 * {@link StreamingRasterWriter} that accepts windows one by one (rasters bigger than RAM).
 * Configure with {@link #builder(Path)}; the writer itself is immutable and reusable.
 */
public final class RasterWriter {
    private final Path path;
    private final RasterFormat format;
    private final int width;
    private final int height;
    private final int bandCount;
    private final RasterDataType dataType;
    private final Crs crs;
    private final GeoTransform geoTransform;
    private final Double nodata;
    private final Map<Integer, Color> colorTable;
    private final ClassLegend legend;
    private final List<String> bandDescriptions;
    private final Map<String, String> metadata;
    private final Map<String, String> creationOptions;
    private final String overviewResampling;

    private RasterWriter(Builder b) {
        this.path = b.path;
        this.format = b.format;
        this.width = b.width;
        this.height = b.height;
        this.bandCount = b.bandCount;
        this.dataType = b.dataType;
        this.crs = b.crs;
        this.geoTransform = b.geoTransform;
        this.nodata = b.nodata;
        this.colorTable = b.colorTable == null ? null : Collections.unmodifiableMap(new TreeMap<>(b.colorTable));
        this.legend = b.legend;
        this.bandDescriptions = List.copyOf(b.bandDescriptions);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        Map<String, String> co = new LinkedHashMap<>();
        co.put("COMPRESS", "DEFLATE");
        co.put("BIGTIFF", "IF_SAFER");
        if (b.format == RasterFormat.GTIFF) {
            co.put("TILED", "YES");
        }
        co.putAll(b.creationOptions);
        this.creationOptions = Collections.unmodifiableMap(co);
        this.overviewResampling = b.overviewResampling != null ? b.overviewResampling
                : (colorTable != null || (bandCount == 1 && !dataType.isFloatingPoint()) ? "NEAREST" : "AVERAGE");
    }

    /** Starts a writer for {@code path}. */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /**
     * Starts a writer for {@code path} shaped like {@code like}: its size, band count, data type, CRS, geotransform
     * and band 1's nodata.
     */
    public static Builder builder(Path path, RasterWindow like) {
        Builder b = new Builder(path).size(like.width(), like.height()).bandCount(like.bandCount())
                .dataType(like.dataType());
        like.crs().ifPresent(b::crs);
        if (like.hasGeoTransform()) {
            b.geoTransform(like.geoTransform());
        }
        like.nodata(0).ifPresent(b::nodata);
        return b;
    }

    /** The final path. */
    public Path path() {
        return path;
    }

    /** Output format. */
    public RasterFormat format() {
        return format;
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** Number of bands. */
    public int bandCount() {
        return bandCount;
    }

    /** Pixel type. */
    public RasterDataType dataType() {
        return dataType;
    }

    /** The CRS, or null for none. */
    Crs crs() {
        return crs;
    }

    /** The geotransform, or null for none. */
    GeoTransform geoTransform() {
        return geoTransform;
    }

    /** Nodata for every band, or null. */
    Double nodata() {
        return nodata;
    }

    /** Palette of band 1, or null. */
    Map<Integer, Color> colorTable() {
        return colorTable;
    }

    /** @return the class legend of band 1, or null */
    ClassLegend legend() {
        return legend;
    }

    /** Band descriptions (may be fewer than bands). */
    List<String> bandDescriptions() {
        return bandDescriptions;
    }

    /** Dataset metadata (default domain). */
    Map<String, String> metadata() {
        return metadata;
    }

    /** Creation options of the final format (GTiff options for GTIFF, COG options for COG). */
    public Map<String, String> creationOptions() {
        return creationOptions;
    }

    /** Resampling used for COG overviews. */
    public String overviewResampling() {
        return overviewResampling;
    }

    /**
     * Writes a whole raster held in memory (its size and band count must match the writer's) and returns the path.
     */
    public Path write(RasterWindow raster) {
        if (raster.width() != width || raster.height() != height || raster.bandCount() != bandCount) {
            throw GeoIOException.of(path, "raster window " + raster.width() + "x" + raster.height() + "x"
                    + raster.bandCount() + " does not match the writer's " + width + "x" + height + "x" + bandCount,
                    "configure the writer with RasterWriter.builder(path, window)");
        }
        try (StreamingRasterWriter w = open()) {
            w.writeWindow(PixelWindow.full(width, height), raster);
            return w.commit();
        }
    }

    /** Opens a streaming writer: write windows, then {@link StreamingRasterWriter#commit()}; close() discards. */
    public StreamingRasterWriter open() {
        return new StreamingRasterWriter(this);
    }

    /** Builder of {@link RasterWriter}. */
    public static final class Builder {
        private final Path path;
        private RasterFormat format = RasterFormat.GTIFF;
        private int width = -1;
        private int height = -1;
        private int bandCount = 1;
        private RasterDataType dataType = RasterDataType.UINT8;
        private Crs crs;
        private GeoTransform geoTransform;
        private Double nodata;
        private Map<Integer, Color> colorTable;
        private ClassLegend legend;
        private final List<String> bandDescriptions = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, String> creationOptions = new LinkedHashMap<>();
        private String overviewResampling;

        private Builder(Path path) {
            if (path == null) {
                throw new GeoIOException("raster writer: no output path; pass the file to write");
            }
            GdalPath.requireGdalCanName(path.toString());
            this.path = path;
        }

        /** GTIFF (default) or COG. */
        public Builder format(RasterFormat f) {
            this.format = f;
            return this;
        }

        /** Size in pixels. */
        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        /** Number of bands (default 1). */
        public Builder bandCount(int n) {
            this.bandCount = n;
            return this;
        }

        /** Pixel type (default UINT8). */
        public Builder dataType(RasterDataType t) {
            this.dataType = t;
            return this;
        }

        /** CRS (none by default). */
        public Builder crs(Crs c) {
            this.crs = c;
            return this;
        }

        /** Geotransform (none by default). */
        public Builder geoTransform(GeoTransform gt) {
            this.geoTransform = gt;
            return this;
        }

        /** Nodata of every band. */
        public Builder nodata(double v) {
            this.nodata = v;
            return this;
        }

        /** Palette of band 1 (single band UINT8/UINT16 only): value -> colour. */
        public Builder colorTable(Map<Integer, Color> table) {
            this.colorTable = table == null ? null : new TreeMap<>(table);
            return this;
        }

        /** Palette of band 1 from ARGB ints. */
        public Builder colorTableArgb(Map<Integer, Integer> argb) {
            Map<Integer, Color> m = new TreeMap<>();
            argb.forEach((k, v) -> m.put(k, new Color(v, true)));
            return colorTable(m);
        }

        /**
         * The classes of a class raster (single band UINT8/UINT16): written as GDAL category names and raster
         * attribute table (the {@code .aux.xml} sidecar) and as a QGIS style ({@code <name>.qml}) beside it, each
         * committed with the raster. The colour table is set separately ({@link #colorTable(Map)}).
         */
        public Builder legend(ClassLegend classes) {
            this.legend = classes;
            return this;
        }

        /** Descriptions of bands 1.. in order. */
        public Builder bandDescriptions(List<String> descriptions) {
            this.bandDescriptions.clear();
            this.bandDescriptions.addAll(descriptions);
            return this;
        }

        /** One dataset metadata item (e.g. CLASS_1=urban). */
        public Builder metadata(String key, String value) {
            this.metadata.put(key, value);
            return this;
        }

        /** Dataset metadata items. */
        public Builder metadata(Map<String, String> items) {
            this.metadata.putAll(items);
            return this;
        }

        /** A GDAL creation option of the output format (overrides defaults COMPRESS=DEFLATE, TILED=YES, ...). */
        public Builder creationOption(String key, String value) {
            this.creationOptions.put(key.toUpperCase(java.util.Locale.ROOT), value);
            return this;
        }

        /** Resampling of COG overviews (default NEAREST for palettes/single-band integer, else AVERAGE). */
        public Builder overviewResampling(String resampling) {
            this.overviewResampling = resampling;
            return this;
        }

        /**
         * The writer.
         *
         * @throws GeoIOException when the folder does not exist or the configuration is inconsistent
         */
        public RasterWriter build() {
            Path parent = path.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw GeoIOException.of(path, "output folder " + parent + " does not exist",
                        "create it first (mkdir -p " + parent + ") or pick another output path");
            }
            if (Files.isDirectory(path)) {
                throw GeoIOException.of(path, "is a folder", "pass a file path such as " + path.resolve("out.tif"));
            }
            if (width < 1 || height < 1) {
                throw GeoIOException.of(path, "raster size " + width + "x" + height + " is not set or empty",
                        "call size(width, height) with positive values");
            }
            if (bandCount < 1) {
                throw GeoIOException.of(path, "band count " + bandCount + " is invalid", "pass bandCount >= 1");
            }
            if (dataType == null || format == null) {
                throw GeoIOException.of(path, "no " + (dataType == null ? "data type" : "format"),
                        "set it on the builder");
            }
            if (nodata != null && !dataType.canHold(nodata)) {
                throw GeoIOException.of(path, "nodata " + nodata + " does not fit " + dataType,
                        "pass a nodata in " + dataType.minValue() + ".." + dataType.maxValue());
            }
            if (colorTable != null && (bandCount != 1
                    || (dataType != RasterDataType.UINT8 && dataType != RasterDataType.UINT16))) {
                throw GeoIOException.of(path, "a colour table needs one UINT8 or UINT16 band, not " + bandCount + " x "
                        + dataType, "drop the colour table or write a single-band UINT8/UINT16 class map");
            }
            if (legend != null && (bandCount != 1
                    || (dataType != RasterDataType.UINT8 && dataType != RasterDataType.UINT16))) {
                throw GeoIOException.of(path, "class names need one UINT8 or UINT16 band, not " + bandCount + " x "
                        + dataType, "drop the legend or write a single-band class map");
            }
            if (legend != null && !legend.entries().isEmpty()) {
                int top = legend.entries().get(legend.entries().size() - 1).value();
                if (!dataType.canHold(top)) {
                    throw GeoIOException.of(path, "class value " + top + " does not fit " + dataType,
                            "write the class map as UINT16");
                }
            }
            if (bandDescriptions.size() > bandCount) {
                throw GeoIOException.of(path, bandDescriptions.size() + " band descriptions for " + bandCount + " bands",
                        "pass at most one description per band");
            }
            return new RasterWriter(this);
        }
    }
}
