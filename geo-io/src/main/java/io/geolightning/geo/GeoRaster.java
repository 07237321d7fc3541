package io.geolightning.geo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.osr.SpatialReference;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Polygon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raster file opened read-only through GDAL (GeoTIFF, COG, JPEG, PNG, VRT, ... anything GDAL reads).
 * <p>Thread-safety: a GDAL dataset must not be used by two threads at once. {@link #read} is synchronized, so a shared
 * GeoRaster is safe but reads are serialised; for parallel reads open one GeoRaster per thread.
 * <p>The data type is band 1's; other bands are converted to it on read.
 */
public final class GeoRaster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GeoRaster.class);

    private final GdalPath path;
    private Dataset dataset;
    private final int width;
    private final int height;
    private final int bandCount;
    private final RasterDataType dataType;
    private final GeoTransform geoTransform;
    private final StoredOrientation orientation;
    private final boolean hasGeoTransform;
    private final Crs crs;
    private final Double[] nodata;
    private final boolean masked;
    private final int[] dataBands;

    private GeoRaster(GdalPath path, Dataset ds) {
        this.path = path;
        this.dataset = ds;
        this.width = ds.getRasterXSize();
        this.height = ds.getRasterYSize();
        this.bandCount = ds.getRasterCount();
        this.dataType = RasterDataType.ofBands(ds, path);
        double[] gt = ds.GetGeoTransform();
        this.hasGeoTransform = gt != null && !Arrays.equals(gt, new double[] {0, 1, 0, 0, 0, 1});
        GeoTransform stored = hasGeoTransform ? GeoTransform.fromGdal(gt) : new GeoTransform(0, 1, 0, 0, 0, 1);
        // GDAL's default transform of a raster without one (an image) is south-up in form only: rows stay as stored
        this.orientation = hasGeoTransform ? StoredOrientation.of(stored, width, height)
                : new StoredOrientation(false, false, width, height);
        this.geoTransform = orientation.northUp(stored);
        SpatialReference ref = ds.GetSpatialRef();
        this.crs = ref == null ? null : Crs.fromSpatialReference(ref);
        this.nodata = new Double[bandCount];
        // a Float32 band's nodata is a float (GDAL's mask compares at the band's type: a VRT's 0.1, or the
        // 0.1000000014901161 gdal_translate writes, masks pixels of 0.1f, which differ from that double)
        for (int i = 0; i < bandCount; i++) {
            Double[] v = new Double[1];
            ds.GetRasterBand(i + 1).GetNoDataValue(v);
            if (v[0] != null && !dataType.canHold(v[0])) {
                LOG.warn("{}: band {} nodata {} does not fit {}; ignoring it", path, i + 1, v[0], dataType);
                v[0] = null;
            }
            nodata[i] = v[0] != null && ds.GetRasterBand(i + 1).getDataType() == gdalconstConstants.GDT_Float32
                    ? Double.valueOf((float) v[0].doubleValue()) : v[0];
        }
        this.masked = DatasetMask.present(ds);
        this.dataBands = DatasetMask.dataBands(ds);
    }

    /**
     * Opens a local raster read-only.
     *
     * @throws GeoIOException when the file is missing, is not a raster GDAL can read, or is unreadable
     */
    public static GeoRaster open(Path path) {
        return open(GdalPath.of(path));
    }

    /**
     * Opens a raster read-only: a local file or any path GDAL opens ({@code /vsizip/...}, {@code /vsicurl/...}).
     *
     * @throws GeoIOException when the file is missing, is not a raster GDAL can read, or is unreadable
     */
    public static GeoRaster open(GdalPath path) {
        Dataset ds = RasterOpening.dataset(path);
        try {
            return new GeoRaster(path, ds);
        } catch (RuntimeException e) {
            ds.delete();
            if (e instanceof GeoIOException g) {
                throw g;
            }
            throw GeoIOException.of(path, "cannot read raster metadata (" + Gdal.lastError(e, "unknown error", path) + ")",
                    "check that the file is complete and not corrupt", e);
        }
    }

    /** The file, as GDAL opened it. */
    public GdalPath path() {
        return path;
    }

    /** Columns. */
    public int width() {
        return width;
    }

    /** Rows. */
    public int height() {
        return height;
    }

    /** Number of bands. */
    public int bandCount() {
        return bandCount;
    }

    /** Pixel type of band 1 (reads convert every band to it). */
    public RasterDataType dataType() {
        return dataType;
    }

    /** The whole raster as a pixel window. */
    public PixelWindow extent() {
        return PixelWindow.full(width, height);
    }

    /** Nodata value of band {@code band1} (1-based), if declared and representable in the data type. */
    public OptionalDouble nodata(int band1) {
        checkBand(band1);
        Double v = nodata[band1 - 1];
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The CRS, if the file declares one. */
    public Optional<Crs> crs() {
        return Optional.ofNullable(crs);
    }

    /**
     * The CRS.
     *
     * @throws GeoIOException when the raster has none
     */
    public Crs requireCrs() {
        if (crs == null) {
            throw GeoIOException.of(path, "raster has no CRS", missingCrsFix());
        }
        return crs;
    }

    /**
     * @return how to give this raster a CRS: warp it when ground control points georeference it (a raw satellite
     *     product), else assign one
     */
    public synchronized String missingCrsFix() {
        return dataset().GetGCPCount() > 0 ? warpGcpsFix() : hasGeoTransform ? "assign one with gdal_edit.py -a_srs"
                + " EPSG:<code> " + path.fileName() : "it has no geotransform either: " + missingGeoTransformFix();
    }

    /**
     * @return how to give this raster a geotransform: warp it when ground control points georeference it, else
     *     assign a CRS and its corners
     */
    public synchronized String missingGeoTransformFix() {
        return dataset().GetGCPCount() > 0 ? warpGcpsFix() : "georeference it with gdal_edit.py -a_srs EPSG:<code>"
                + " -a_ullr <ulx> <uly> <lrx> <lry> " + path.fileName();
    }

    private String warpGcpsFix() {
        return "it is georeferenced by ground control points only: warp it onto a map grid first (gdalwarp -t_srs"
                + " EPSG:<code> " + path.fileName() + " out.tif)";
    }

    /** True when the file declares a geotransform (otherwise {@link #geoTransform()} is the identity). */
    public boolean hasGeoTransform() {
        return hasGeoTransform;
    }

    /**
     * The geotransform (GDAL's default identity [0,1,0,0,0,1] when the file has none). A raster stored south-up or
     * east-to-west is presented north-up: this is the north-up transform of its pixels, and {@link #read} returns
     * its windows in that layout ({@link #storedMirrored()}).
     */
    public GeoTransform geoTransform() {
        return geoTransform;
    }

    /** @return true when the file stores its rows south-up (or its columns east-to-west) and is read north-up */
    public boolean storedMirrored() {
        return orientation.mirrored();
    }

    /** @return the window of the file's stored pixels that a window of {@link #read}'s north-up layout covers */
    PixelWindow storedWindow(PixelWindow window) {
        return orientation.stored(window);
    }

    /** The raster's footprint in its CRS: the polygon through its four corners (rotation-aware). */
    public Polygon footprint() {
        return footprint(extent());
    }

    /** The footprint of a pixel window in the raster CRS. */
    public Polygon footprint(PixelWindow w) {
        return geoTransform.footprint(w);
    }

    /** Bounding box of the raster in its CRS. */
    public Envelope bounds() {
        return footprint().getEnvelopeInternal();
    }

    /**
     * The smallest pixel window covering {@code mapEnvelope} (in the raster CRS), rounded outward; it may extend past
     * the raster (reads pad).
     */
    public PixelWindow windowFor(Envelope mapEnvelope) {
        return geoTransform.windowFor(mapEnvelope);
    }

    /** Natural block size of band 1. */
    public synchronized BlockSize blockSize() {
        Band b = dataset().GetRasterBand(1);
        return new BlockSize(b.GetBlockXSize(), b.GetBlockYSize());
    }

    /** The 1-based bands that hold data: all but alpha bands (a mask, read as no data), or all when all are alpha. */
    public int[] dataBands() {
        return dataBands.clone();
    }

    /** Description of band {@code band1} (often empty). */
    public synchronized String bandDescription(int band1) {
        checkBand(band1);
        String d = dataset().GetRasterBand(band1).GetDescription();
        return d == null ? "" : d;
    }

    /**
     * The band's category names (GDAL's {@code GetCategoryNames}, written e.g. by a classified GeoTIFF's .aux.xml),
     * else the class names of its raster attribute table (the first string column, by the value column).
     *
     * @param band1 the band, 1-based
     * @return value -> name for the values that have a (non-blank) name; empty when the band names none
     */
    public synchronized Map<Integer, String> categoryNames(int band1) {
        checkBand(band1);
        return BandCategories.of(dataset().GetRasterBand(band1));
    }

    /** Band {@code band1}'s GDAL scale and offset; reads return stored values, never scaled ({@link BandScale}). */
    public synchronized BandScale scale(int band1) {
        checkBand(band1);
        return BandScale.of(dataset().GetRasterBand(band1));
    }

    /** Dataset metadata of the default domain. */
    @SuppressWarnings("unchecked")
    public synchronized Map<String, String> metadata() {
        Hashtable<String, String> h = (Hashtable<String, String>) dataset().GetMetadata_Dict("");
        return h == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(new java.util.TreeMap<>(h)));
    }

    /**
     * Reads a window of the given bands (1-based; none = all). Parts of the window outside the raster are padded
     * with each band's nodata (0 when it has none) and left out of {@link RasterWindow#coverage()}.
     *
     * @throws GeoIOException when GDAL cannot decode the pixels (e.g. a truncated file)
     */
    public synchronized RasterWindow read(PixelWindow window, int... bands) {
        Dataset ds = dataset();
        Gdal.quietThread();
        int[] bandList = bands.length == 0 ? IntStream.rangeClosed(1, bandCount).toArray() : bands.clone();
        for (int b : bandList) {
            checkBand(b);
        }
        RasterWindowBuilder builder = RasterWindow.builder(dataType, bandList.length, window.width(), window.height())
                .window(window);
        if (hasGeoTransform) {
            builder.geoTransform(geoTransform.forWindow(window));
        }
        builder.crs(crs);
        for (int i = 0; i < bandList.length; i++) {
            Double nd = nodata[bandList[i] - 1];
            if (nd != null) {
                builder.nodata(i, nd);
            }
        }
        Optional<PixelWindow> inside = window.intersection(extent());
        builder.coverage(inside.orElse(new PixelWindow(window.x(), window.y(), 0, 0)));
        if (inside.isEmpty()) {
            return builder.build();
        }
        PixelWindow in = inside.get();
        if (masked) {
            try {
                boolean[] valid = DatasetMask.read(ds, orientation.stored(in), orientation.stored(window));
                orientation.toNorthUp(valid, 1, window.width(), window.height());
                builder.mask(valid);
            } catch (RuntimeException e) {
                throw unreadable(in, Gdal.lastError(e, "mask read failed", path), e);
            }
        }
        if (in.equals(window)) {
            Object a = SampleArrays.allocate(dataType, bandList.length * (int) window.area());
            readInto(ds, in, bandList, a);
            return builder.data(a).build();
        }
        RasterWindow out = builder.build();
        Object tmp = SampleArrays.allocate(dataType, bandList.length * (int) in.area());
        readInto(ds, in, bandList, tmp);
        int outN = window.width() * window.height();
        int inN = in.width() * in.height();
        for (int b = 0; b < bandList.length; b++) {
            for (int row = 0; row < in.height(); row++) {
                int dst = b * outN + (in.y() - window.y() + row) * window.width() + (in.x() - window.x());
                System.arraycopy(tmp, b * inN + row * in.width(), out.data(), dst, in.width());
            }
        }
        return out;
    }

    /** Reads the whole raster (all bands, or the given 1-based ones). */
    public RasterWindow readAll(int... bands) {
        return read(extent(), bands);
    }

    /** Reads the window {@code in} (north-up layout) of the bands into {@code array}, band after band. */
    private void readInto(Dataset ds, PixelWindow window, int[] bandList, Object array) {
        PixelWindow in = orientation.stored(window);
        readStored(ds, in, bandList, array);
        orientation.toNorthUp(array, bandList.length, in.width(), in.height());
    }

    private void readStored(Dataset ds, PixelWindow in, int[] bandList, Object array) {
        int type = dataType.gdalType();
        int rc;
        gdal.ErrorReset();
        try {
            rc = switch (dataType) {
                case UINT8, INT8 -> ds.ReadRaster(in.x(), in.y(), in.width(), in.height(), in.width(), in.height(),
                        type, (byte[]) array, bandList);
                case UINT16, INT16 -> ds.ReadRaster(in.x(), in.y(), in.width(), in.height(), in.width(), in.height(),
                        type, (short[]) array, bandList);
                case UINT32, INT32 -> ds.ReadRaster(in.x(), in.y(), in.width(), in.height(), in.width(), in.height(),
                        type, (int[]) array, bandList);
                case FLOAT32 -> ds.ReadRaster(in.x(), in.y(), in.width(), in.height(), in.width(), in.height(),
                        type, (float[]) array, bandList);
                case FLOAT64 -> ds.ReadRaster(in.x(), in.y(), in.width(), in.height(), in.width(), in.height(),
                        type, (double[]) array, bandList);
            };
        } catch (RuntimeException e) {
            throw unreadable(in, Gdal.lastError(e, "read failed", path), e);
        }
        if (rc != gdalconstConstants.CE_None) {
            throw unreadable(in, Gdal.lastError(null, "read failed", path), null);
        }
    }

    private GeoIOException unreadable(PixelWindow in, String why, Throwable cause) {
        return GeoIOException.of(path, "cannot read pixels of " + in + " (" + why + ")", path.isInternal()
                ? "the file GDAL names is probably truncated or corrupt: re-download or re-create it"
                : "the file is probably truncated or corrupt: re-download or re-create it", cause);
    }

    private void checkBand(int band1) {
        if (band1 < 1 || band1 > bandCount) {
            throw GeoIOException.of(path, "has no band " + band1 + " (it has " + bandCount + ")",
                    "pass 1-based band numbers 1.." + bandCount);
        }
    }

    /** The open GDAL dataset (package use only; callers must hold this object's lock). */
    Dataset dataset() {
        if (dataset == null) {
            throw GeoIOException.of(path, "raster is closed", "open it again with GeoRaster.open");
        }
        return dataset;
    }

    /** Closes the GDAL dataset; idempotent. */
    @Override
    public synchronized void close() {
        if (dataset != null) {
            dataset.delete();
            dataset = null;
        }
    }

    @Override
    public String toString() {
        return "GeoRaster[" + path + ", " + width + "x" + height + "x" + bandCount + " " + dataType
                + (crs == null ? ", no CRS" : ", " + crs) + "]";
    }
}
