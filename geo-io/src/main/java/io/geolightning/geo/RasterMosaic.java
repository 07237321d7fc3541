package io.geolightning.geo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import org.gdal.gdal.BuildVRTOptions;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.WarpOptions;
import org.gdal.gdal.gdal;
import org.locationtech.jts.geom.Envelope;

/**
 * A {@link RasterCatalog} read as one raster on a {@link TargetGrid}, through GDAL's own mosaicking and never by
 * copying pixels: every raster already on the grid (same CRS, pixel size and grid lines, north-up) is referenced as it
 * is, every other one (a south-up one too) through a warped VRT ({@code gdal.Warp -of VRT}, the grid's resampling), and
 * {@code gdal.BuildVRT} lays them out over the union of their footprints. The VRTs live in GDAL's memory file system
 * ({@code /vsimem/}) until {@link #close()}; {@link #path()} opens with {@link GeoRaster#open(GdalPath)} from any
 * thread of this process. Where rasters overlap, a raster already on the grid wins over a warped one (whose resampled
 * edge spills half a pixel), and otherwise the later one in the catalog (a warped raster's empty corners are
 * transparent); where none covers, pixels are the rasters' nodata (0 when they declare none). The mosaic spans the
 * union of the footprints' envelopes on the grid.
 */
public final class RasterMosaic implements AutoCloseable {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final RasterCatalog catalog;
    private final String folder;
    private final GdalPath path;
    private final Crs crs;
    private final double resolution;
    private final int warped;

    private RasterMosaic(RasterCatalog catalog, String folder, GdalPath path, Crs crs, double resolution, int warped) {
        this.catalog = catalog;
        this.folder = folder;
        this.path = path;
        this.crs = crs;
        this.resolution = resolution;
        this.warped = warped;
    }

    /**
     * Builds the mosaic.
     *
     * @param catalog the rasters (checked: one band count and data type, each with a CRS)
     * @param grid the target grid
     * @return the mosaic; close it to free its VRTs
     * @throws GeoIOException naming the raster GDAL cannot warp, or a grid CRS it does not know
     */
    public static RasterMosaic build(RasterCatalog catalog, TargetGrid grid) {
        catalog.check();
        return build(catalog, grid, false);
    }

    /**
     * Stacks single-band files as the bands of one raster on a grid (the Landsat/Sentinel-2 layout: one file per band,
     * bands at 10 and 20 m): each file's first band, in the catalog's order, those off the grid resampled onto it with
     * the grid's resampling ({@code gdal.BuildVRT -separate}).
     *
     * @param bands the band files, in band order
     * @param grid the target grid (default: the first file's, e.g. the finest band's)
     * @return the stack; close it to free its VRTs
     * @throws GeoIOException naming a file without CRS or one GDAL cannot warp
     */
    public static RasterMosaic stack(RasterCatalog bands, TargetGrid grid) {
        RasterDataType type = null;
        GdalPath first = null;
        for (GdalPath f : bands.files()) {
            try (GeoRaster r = GeoRaster.open(f)) {
                r.requireCrs();
                if (type == null) {
                    type = r.dataType();
                    first = f;
                } else if (r.dataType() != type) {
                    throw GeoIOException.of(f, r.dataType() + " but " + first.fileName() + " is " + type,
                            "stack bands of one data type (a band stack is read as one raster of one type)");
                }
            }
        }
        return build(bands, grid, true);
    }

    private static RasterMosaic build(RasterCatalog catalog, TargetGrid grid, boolean separate) {
        Gdal.quietThread();
        String folder = GdalPath.INTERNAL_FOLDER + "mosaic-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + "/";
        List<GdalPath> files = catalog.files();
        Crs crs;
        double res;
        double resY;
        double originX;
        double originY;
        OptionalDouble nodata;
        int bands;
        try (GeoRaster first = GeoRaster.open(files.get(0))) {
            Crs firstCrs = first.requireCrs();
            crs = grid.crs() == null ? firstCrs : grid.parsedCrs();
            boolean sameCrs = crs.isEquivalent(firstCrs);
            double[] firstRes = grid.resolution() != null ? new double[] {grid.resolution(), grid.resolution()}
                    : sameCrs ? new double[] {first.geoTransform().pixelSizeX(), first.geoTransform().pixelSizeY()}
                    : estimatedResolution(first, crs, folder);
            res = firstRes[0];
            resY = firstRes[1];
            boolean firstLines = sameCrs && Math.abs(res - first.geoTransform().pixelSizeX()) <= 1e-9 * res
                    && Math.abs(resY - first.geoTransform().pixelSizeY()) <= 1e-9 * resY
                    && !first.geoTransform().hasRotation();
            originX = firstLines ? first.geoTransform().originX() : 0;
            originY = firstLines ? first.geoTransform().originY() : 0;
            nodata = first.nodata(1);
            bands = first.bandCount();
        }
        // without a nodata value, where the mosaic is covered is told by a mask (warped parts carry an alpha band)
        boolean masked = !separate && nodata.isEmpty();
        List<String> parts = new ArrayList<>(); // on the grid: drawn last, their exact pixels win
        List<String> warpedParts = new ArrayList<>();
        Envelope union = new Envelope();
        int warped = 0;
        try {
            for (int i = 0; i < files.size(); i++) {
                GdalPath f = files.get(i);
                try (GeoRaster r = GeoRaster.open(f)) {
                    Crs rc = r.requireCrs();
                    Envelope inGrid = rc.isEquivalent(crs) ? r.bounds() : CrsTransform.of(rc, crs).transform(r.bounds());
                    Envelope snapped = snap(inGrid, originX, originY, res, resY);
                    union.expandToInclude(snapped);
                    if (onGrid(r, crs, originX, originY, res, resY)) {
                        parts.add(f.text());
                    } else if (separate) { // band order is file order
                        parts.add(warp(f, r, folder + "part-" + i + ".vrt", crs, snapped, res, resY,
                                grid.resampling(), r.nodata(1), r.nodata(1)));
                        warped++;
                    } else {
                        warpedParts.add(warp(f, r, folder + "part-" + i + ".vrt", crs, snapped, res, resY,
                                grid.resampling(), r.nodata(1), masked ? null : nodata));
                        warped++;
                    }
                }
            }
            // named after its first file, so messages about the mosaic ("q1-region.vrt: ...") point at the user's data
            String stem = files.get(0).fileName().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
            GdalPath vrt = GdalPath.of(folder + stem + (separate ? "-stack.vrt" : "-region.vrt"));
            Vector<String> o = new Vector<>(List.of("-te", num(union.getMinX()), num(union.getMinY()),
                    num(union.getMaxX()), num(union.getMaxY()), "-tr", num(res), num(resY), "-r", grid.resampling()));
            if (separate) {
                o.add("-separate");
            } else if (nodata.isPresent()) { // the mosaic's nodata is the first raster's
                o.addAll(List.of("-vrtnodata", num(nodata.getAsDouble())));
            } else {
                for (int b = 1; b <= bands; b++) { // the rasters' bands, not the warped parts' alpha
                    o.addAll(List.of("-b", Integer.toString(b)));
                }
            }
            gdal.ErrorReset();
            Vector<String> layers = new Vector<>(warpedParts);
            layers.addAll(parts);
            Dataset d = gdal.BuildVRT(vrt.text(), layers, new BuildVRTOptions(o));
            if (d == null) {
                throw new GeoIOException(catalog + ": GDAL could not build the mosaic (" + Gdal.lastError("unknown error")
                        + "); check that the rasters overlap the grid");
            }
            String xml = null;
            if (masked) { // none, not a warped part's transparent 0: 0 is data there
                for (int b = 1; b <= d.getRasterCount(); b++) {
                    d.GetRasterBand(b).DeleteNoDataValue();
                }
                xml = String.join("\n", d.GetMetadata_List("xml:VRT").stream().map(Object::toString).toList());
            }
            d.delete(); // flushes the VRT
            if (xml != null) {
                gdal.FileFromMemBuffer(vrt.text(), MosaicMask.withMask(xml).getBytes(StandardCharsets.UTF_8));
            }
            return new RasterMosaic(catalog, folder, vrt, crs, res, warped);
        } catch (RuntimeException e) {
            gdal.RmdirRecursive(folder);
            throw e;
        }
    }

    /**
     * A window of a raster as a raster of its own ({@code gdal.Translate -of VRT -srcwin}), e.g. the box to predict.
     *
     * @param source the raster (a file, a GDAL path or a mosaic's VRT)
     * @param window the window, inside the raster
     * @return the window; close it to free its VRT
     */
    public static RasterMosaic crop(GdalPath source, PixelWindow window) {
        Gdal.quietThread();
        String folder = GdalPath.INTERNAL_FOLDER + "crop-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + "/";
        String stem = source.fileName().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        GdalPath vrt = GdalPath.of(folder + stem + "-window.vrt");
        Dataset src = gdal.OpenEx(source.text());
        if (src == null) {
            throw GeoIOException.of(source, "GDAL cannot open it to cut a window (" + Gdal.lastError("unknown error")
                    + ")", "check the file");
        }
        try (GeoRaster r = GeoRaster.open(source)) {
            PixelWindow w = r.storedWindow(window); // the window of a south-up file's stored rows: read north-up again
            Dataset d = gdal.Translate(vrt.text(), src, new TranslateOptions(new Vector<>(List.of("-of", "VRT",
                    "-srcwin", "" + w.x(), "" + w.y(), "" + w.width(), "" + w.height()))));
            if (d == null) {
                throw GeoIOException.of(source, "GDAL cannot cut the window " + window + " (" + Gdal.lastError(
                        "unknown error") + ")", "pass an area inside the raster");
            }
            d.delete();
            return new RasterMosaic(RasterCatalog.of(List.of(source)), folder, vrt, r.requireCrs(),
                    r.geoTransform().pixelSizeX(), 0);
        } catch (RuntimeException e) {
            gdal.RmdirRecursive(folder);
            throw e;
        } finally {
            src.delete();
        }
    }

    /** The pixel size (x, y) GDAL would choose for the first raster in another CRS (gdalwarp's default). */
    private static double[] estimatedResolution(GeoRaster first, Crs crs, String folder) {
        String probe = folder + "probe.vrt";
        Dataset src = gdal.OpenEx(first.path().text());
        try {
            Dataset d = gdal.Warp(probe, new Dataset[] {src}, new WarpOptions(new Vector<>(List.of("-of", "VRT",
                    "-t_srs", crs.wkt()))));
            if (d == null) {
                throw GeoIOException.of(first.path(), "GDAL cannot warp it to " + crs.name() + " ("
                        + Gdal.lastError("unknown error") + ")", "pass the grid's pixel size (--resolution)");
            }
            double[] gt = d.GetGeoTransform();
            d.delete();
            return new double[] {Math.abs(gt[1]), Math.abs(gt[5])};
        } finally {
            src.delete();
            gdal.Unlink(probe);
        }
    }

    private static boolean onGrid(GeoRaster r, Crs crs, double originX, double originY, double res, double resY) {
        GeoTransform gt = r.geoTransform();
        // a south-up (or east-to-west) raster is warped onto the grid's north-up rows: gdal.BuildVRT skips it otherwise
        // ("does not support positive NS resolution"), and its pixels would be lost from the mosaic
        if (gt.hasRotation() || r.storedMirrored() || !r.requireCrs().isEquivalent(crs)) {
            return false;
        }
        return Math.abs(gt.pixelSizeX() - res) <= 1e-9 * res && Math.abs(gt.pixelSizeY() - resY) <= 1e-9 * resY
                && offGrid(gt.originX() - originX, res) <= 1e-6 * res
                && offGrid(gt.originY() - originY, resY) <= 1e-6 * resY;
    }

    private static double offGrid(double offset, double res) {
        double k = offset / res;
        return Math.abs(k - Math.rint(k)) * res;
    }

    /** @return {@code e} grown outward to the grid's lines */
    static Envelope snap(Envelope e, double originX, double originY, double res, double resY) {
        double minx = originX + Math.floor((e.getMinX() - originX) / res + 1e-9) * res;
        double maxx = originX + Math.ceil((e.getMaxX() - originX) / res - 1e-9) * res;
        double miny = originY + Math.floor((e.getMinY() - originY) / resY + 1e-9) * resY;
        double maxy = originY + Math.ceil((e.getMaxY() - originY) / resY - 1e-9) * resY;
        return new Envelope(minx, maxx, miny, maxy);
    }

    /** Warps a raster onto the grid as a VRT; {@code nodata} null = mark its coverage with an alpha band instead. */
    private static String warp(GdalPath f, GeoRaster r, String out, Crs crs, Envelope extent, double res,
                               double resY, String resampling, OptionalDouble srcNodata, OptionalDouble nodata) {
        List<String> o = new ArrayList<>(List.of("-of", "VRT", "-t_srs", crs.wkt(), "-te", num(extent.getMinX()),
                num(extent.getMinY()), num(extent.getMaxX()), num(extent.getMaxY()), "-tr", num(res), num(resY), "-r",
                resampling));
        if (srcNodata.isPresent()) {
            o.addAll(List.of("-srcnodata", num(srcNodata.getAsDouble())));
        }
        // the warped frame's corners hold no data: transparent (the mosaic's nodata, or an alpha band when it has none;
        // a band stack's parts use their own nodata, else 0), so neighbours show through
        if (nodata == null) {
            o.add("-dstalpha");
        } else {
            o.addAll(List.of("-dstnodata", num(nodata.isPresent() ? nodata.getAsDouble() : 0)));
        }
        Dataset src = gdal.OpenEx(f.text());
        if (src == null) {
            throw GeoIOException.of(f, "GDAL cannot open it for warping (" + Gdal.lastError("unknown error") + ")",
                    "check the file");
        }
        try {
            gdal.ErrorReset();
            Dataset d = gdal.Warp(out, new Dataset[] {src}, new WarpOptions(new Vector<>(o)));
            if (d == null) {
                throw GeoIOException.of(f, "GDAL cannot warp it onto the grid (" + Gdal.lastError("unknown error")
                        + ")", "check its CRS and the grid's (--crs, --resolution)");
            }
            int bands = d.getRasterCount() - (nodata == null ? 1 : 0);
            d.delete();
            return nodata == null ? alphaAsMask(f, out, bands) : out;
        } finally {
            src.delete();
        }
    }

    /**
     * The warped part's bands with its alpha band as their per-dataset mask ({@code gdal.Translate -of VRT -mask}).
     * GDAL takes a last alpha band for the mask of a 2- or 4-band dataset only: a warped part of 2, 4, 5 or more bands
     * would read as valid everywhere, its empty corners as zeros that are data, in the mosaic and over its neighbours.
     */
    private static String alphaAsMask(GdalPath f, String warped, int bands) {
        String out = warped.replaceFirst("\\.vrt$", "-masked.vrt");
        Vector<String> o = new Vector<>(List.of("-of", "VRT", "-mask", Integer.toString(bands + 1)));
        for (int b = 1; b <= bands; b++) {
            o.addAll(List.of("-b", Integer.toString(b)));
        }
        Dataset in = gdal.OpenEx(warped);
        try {
            Dataset d = in == null ? null : gdal.Translate(out, in, new TranslateOptions(o));
            if (d == null) {
                throw GeoIOException.of(f, "GDAL cannot mask its warped frame (" + Gdal.lastError("unknown error")
                        + ")", "check the file");
            }
            d.delete();
            return out;
        } finally {
            if (in != null) {
                in.delete();
            }
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /** @return the mosaic's VRT, for {@link GeoRaster#open(GdalPath)} */
    public GdalPath path() {
        return path;
    }

    /** @return the rasters it reads */
    public RasterCatalog catalog() {
        return catalog;
    }

    /** @return the grid's CRS */
    public Crs crs() {
        return crs;
    }

    /** @return the grid's pixel width (the height may differ when the first raster's pixels are not square) */
    public double resolution() {
        return resolution;
    }

    /** @return how many rasters are read through a warped VRT (not already on the grid) */
    public int warpedCount() {
        return warped;
    }

    /** Frees the VRTs. Readers opened on {@link #path()} must be closed first. */
    @Override
    public void close() {
        gdal.RmdirRecursive(folder);
    }

    @Override
    public String toString() {
        return "RasterMosaic[" + catalog + " on " + crs.name() + " at " + resolution + ", " + warped + " warped]";
    }
}
