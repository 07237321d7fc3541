package io.geolightning.app.cli;

import io.geolightning.geo.Crs;
import io.geolightning.geo.Gdal;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.RasterCatalog;
import io.geolightning.geo.TargetGrid;
import io.geolightning.geo.VectorFeature;
import io.geolightning.geo.VectorLayerPath;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.Region;
import io.geolightning.tiling.RegionRaster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The rasters a command reads, shared by {@code tile} and {@code predict}: one scene, or a region of several rasters
 * (repeated {@code --raster}, globs, folders, lists) read as one mosaic on a grid ({@code --crs}, {@code --resolution},
 * {@code --resampling}; default the first raster's).
 */
public final class RegionOptions {

    private static final Logger LOG = LoggerFactory.getLogger(RegionOptions.class);

    @Option(names = "--raster", paramLabel = "RASTER",
            description = {"Raster(s) to read: a file, a GDAL path (/vsizip/..., /vsicurl/https://...), a glob"
                + " ('tiles/*.tif', quoted), a folder or a .txt/.csv list. Repeat it for a region: the rasters are read"
                + " as one mosaic (they may differ in CRS and resolution)."})
    List<String> rasters = new ArrayList<>();

    @Option(names = "--bands-from", split = ",", paramLabel = "FILE",
            description = {"Instead of --raster: single-band files stacked as the bands of one raster, in this order"
                + " (B02.jp2,B03.jp2,B04.jp2,B08.jp2); bands off the grid (coarser ones) are resampled onto it"
                + " (--resampling)."})
    List<String> bandsFrom = new ArrayList<>();

    @Option(names = "--crs", paramLabel = "CRS",
            description = "Grid CRS of a region, e.g. EPSG:32619. Default: the first raster's.")
    String crs;

    @Option(names = "--resolution", paramLabel = "SIZE",
            description = "Grid pixel size of a region, in the grid CRS's units. Default: the first raster's.")
    Double resolution;

    @Option(names = "--resampling", paramLabel = "METHOD", defaultValue = "nearest",
            description = "Resampling of rasters off the grid: nearest, bilinear, cubic, lanczos, average, mode."
                    + " Default: ${DEFAULT-VALUE}.")
    String resampling;

    @Option(names = "--bbox", paramLabel = "MINX,MINY,MAXX,MAXY[,CRS]",
            description = "Only this box (in CRS, e.g. EPSG:4326; default the rasters' CRS).")
    String bbox;

    @Option(names = "--aoi", paramLabel = "VECTOR",
            description = "Only this area of interest, the polygons of a vector layer (any CRS): tile keeps the chips"
                    + " that meet them, predict classifies their bounding box.")
    GdalPath aoi;

    @Option(names = "--aoi-layer", paramLabel = "LAYER",
            description = "The layer of --aoi to use, in a file of several (default: the first, with a warning).")
    String aoiLayer;

    private RasterCatalog catalog;
    private Region area;

    /** @return true when --raster or --bands-from was given */
    public boolean given() {
        return !rasters.isEmpty() || !bandsFrom.isEmpty();
    }

    /**
     * Checks the options as usage errors (for commands outside this package, such as the Spark jobs).
     *
     * @param spec the command
     * @throws picocli.CommandLine.ParameterException as {@link #check(OptionChecks)}
     */
    public void validate(picocli.CommandLine.Model.CommandSpec spec) {
        check(new OptionChecks(spec));
    }

    /**
     * @param checks the command's usage checks
     * @throws picocli.CommandLine.ParameterException unless exactly one of --raster and --bands-from is given
     */
    void check(OptionChecks checks) {
        if (rasters.isEmpty() == bandsFrom.isEmpty()) {
            throw checks.usage(rasters.isEmpty() ? "pass the raster(s) to read: --raster FILE (repeatable) or"
                    + " --bands-from B1.tif,B2.tif,..." : "--raster and --bands-from: pass one of them; --bands-from"
                    + " stacks single-band files, --raster reads whole rasters");
        }
        try {
            new TargetGrid(null, resolution, resampling);
        } catch (GeoIOException e) {
            throw checks.usage("--" + e.getMessage());
        }
        if (crs != null) {
            try {
                Crs.fromUserInput(crs);
            } catch (RuntimeException e) {
                throw checks.usage("--crs " + crs + ": not a CRS GDAL knows; pass e.g. EPSG:32619");
            }
        }
        if (aoiLayer != null && aoi == null) {
            throw checks.usage("--aoi-layer " + aoiLayer + " goes with --aoi; pass the file whose layer it is");
        }
        if (aoi != null) { // QGIS's "file.gpkg|layername=x", as a layer's source is copied there
            VectorLayerPath layer = VectorLayerPath.parse(aoi.text(), aoiLayer, "--aoi-layer");
            aoi = layer.file();
            aoiLayer = layer.layer();
        }
        if (bbox != null && aoi != null) {
            throw checks.usage("--aoi " + aoi + " --bbox " + bbox + ": pass one area, the polygons or the box");
        }
        if (bbox != null) {
            try {
                box(bbox);
            } catch (RuntimeException e) {
                throw checks.usage("--bbox " + bbox + ": " + e.getMessage());
            }
        }
    }

    /** @return the area asked for ({@code --aoi} or {@code --bbox}, read once), or null for all of the rasters */
    public Region area() {
        if (area == null && (aoi != null || bbox != null)) {
            area = aoi != null ? areaOfInterest(aoi, aoiLayer) : box(bbox);
        }
        return area;
    }

    /** @return the rasters (or band files) named, expanded (once) */
    public RasterCatalog catalog() {
        if (catalog == null) {
            catalog = RasterCatalog.expand(bandsFrom.isEmpty() ? rasters : bandsFrom);
        }
        return catalog;
    }

    /** @return true when single-band files are stacked ({@code --bands-from}) */
    public boolean isStack() {
        return !bandsFrom.isEmpty();
    }

    /** @return true when the rasters are read as a region: several of them, or a grid was asked for */
    public boolean isRegion() {
        return !isStack() && (catalog().files().size() > 1 || crs != null || resolution != null);
    }

    /** @return the grid of a region or a band stack, or null for one raster read as it is */
    public TargetGrid grid() {
        return isRegion() || isStack() ? new TargetGrid(crs, resolution, resampling) : null;
    }

    /**
     * @return the raster to read, as a value: one file, the mosaic or the stack, cut to the box of --bbox or --aoi
     * @throws io.geolightning.tiling.TilingException when the area does not overlap the rasters
     */
    public RegionRaster raster() {
        RegionRaster r = isStack() ? RegionRaster.stack(catalog(), grid()) : RegionRaster.of(catalog(), grid());
        return area() == null ? r : r.within(area());
    }

    /** @return the only raster (not a region) */
    public GdalPath single() {
        return catalog().files().get(0);
    }

    /**
     * @return the local input files by a label for {@link OptionChecks#notAnInput} (GDAL virtual paths left out): each
     *     raster and every file GDAL reads for it (a VRT's sources, overviews), and the {@code --aoi} layer
     */
    Map<String, Path> localInputs() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (GdalPath f : catalog().files()) {
            String flag = out.isEmpty() ? "--raster" : "--raster (" + f.fileName() + ")";
            List<Path> read = Gdal.filesRead(f);
            for (int i = 0; i < read.size(); i++) {
                out.putIfAbsent(i == 0 ? flag : "--raster (read through " + f.fileName() + ": " + read.get(i)
                        .getFileName() + ")", read.get(i));
            }
        }
        if (aoi != null && !aoi.isVirtual()) {
            out.put("--aoi", aoi.local());
        }
        return out;
    }

    /** @return the local raster files named (GDAL virtual paths left out) */
    List<Path> localRasters() {
        return catalog().files().stream().filter(f -> !f.isVirtual()).map(GdalPath::local).toList();
    }

    /**
     * @param text {@code minx,miny,maxx,maxy} or {@code minx,miny,maxx,maxy,EPSG:4326}
     * @return the box as a tiling region (in the rasters' CRS when none is given)
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    static Region box(String text) {
        String[] p = text.split(",");
        if (p.length != 4 && p.length != 5) {
            throw new IllegalArgumentException("write minx,miny,maxx,maxy or minx,miny,maxx,maxy,EPSG:n");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p[i].trim() + "' is not a number; write minx,miny,maxx,maxy");
            }
        }
        String crs = p.length == 5 ? p[4].trim() : null;
        if (crs != null) {
            Crs.fromUserInput(crs); // an unknown CRS is named now, not when tiling starts
        }
        return new Region(v[0], v[1], v[2], v[3], crs);
    }

    /**
     * @param file a vector layer of polygons (any CRS)
     * @return the region of their union, keeping chips that meet it
     */
    static Region areaOfInterest(GdalPath file, String layer) {
        try (VectorSource v = VectorSource.open(file, layer)) {
            if (layer == null && v.layerNames().size() > 1) { // as tile's labels: never a silent pick of one layer
                LOG.warn("{}: {} layers {}; the area of interest is the first, '{}' (pick another with"
                        + " --aoi-layer)", file.fileName(), v.layerNames().size(), v.layerNames(), v.layerName());
            }
            List<Geometry> polygons = new ArrayList<>();
            for (VectorFeature f : v.features()) {
                if (f.geometry().getDimension() == 2 && !f.geometry().isEmpty()) {
                    polygons.add(f.geometry());
                }
            }
            if (polygons.isEmpty()) {
                throw GeoIOException.of(file, "has no polygons, so it bounds no area", "pass the polygons of the area"
                        + " of interest as --aoi");
            }
            Crs crs = v.requireCrs();
            String text = crs.epsg().isPresent() ? "EPSG:" + crs.epsg().getAsInt() : crs.wkt();
            return Region.of(UnaryUnionOp.union(polygons), text);
        }
    }

    /** @return how the rasters are named in summaries: the file, or "N rasters" */
    public String describe() {
        List<GdalPath> f = catalog().files();
        return isStack() ? "a stack of " + f.size() + " band files" : f.size() == 1 ? f.get(0).fileName()
                : f.size() + " rasters";
    }
}
