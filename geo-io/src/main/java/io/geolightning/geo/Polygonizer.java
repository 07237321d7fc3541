package io.geolightning.geo;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.OutputSet;
import io.geolightning.foundation.TempFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Vector;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.FieldDefn;
import org.gdal.ogr.Geometry;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a class raster into polygons with GDAL's {@code Polygonize}: one feature per connected region of one class
 * (4- or 8-connected), with its class value, class name and area (square metres), in the raster's CRS; nodata pixels
 * (the band's mask) make no polygon. Regions smaller than {@code minArea} (square metres) are dropped, and
 * {@code simplify} (metres) simplifies each polygon on its own with topology preserved within it (neighbouring
 * polygons may then no longer share their edges exactly). The output (GeoPackage, GeoJSON or FlatGeobuf, by its
 * extension: single files, so they can appear atomically) is written to a temporary file and renamed.
 * <p>Every geometry written is valid and of the layer's type: 8-connected regions, which GDAL traces as rings touching
 * themselves at corners, are written as multipolygons (the whole layer is then MultiPolygon); a simplified region that
 * GEOS repairs into several polygons (cut at a narrow neck) gives a feature per polygon in a Polygon layer, and the
 * lines and points its repair leaves (collapsed parts) are dropped. GeoJSON, which names a CRS only by its EPSG
 * code, is refused for a raster whose CRS has none.
 */
public final class Polygonizer {

    private static final Logger LOG = LoggerFactory.getLogger(Polygonizer.class);
    private static final Map<String, String> DRIVERS = Map.of("gpkg", "GPKG", "geojson", "GeoJSON", "json",
            "GeoJSON", "fgb", "FlatGeobuf");

    /**
     * How regions become polygons.
     *
     * @param eightConnected diagonal neighbours belong to the same region (GDAL's {@code 8CONNECTED=8})
     * @param minArea drop polygons smaller than this, in square metres (0 keeps all)
     * @param simplify simplification tolerance in metres (0 keeps the pixel edges)
     */
    public record Options(boolean eightConnected, double minArea, double simplify) implements java.io.Serializable {

        /** 4-connected, nothing dropped, no simplification. */
        public static final Options DEFAULTS = new Options(false, 0, 0);

        /** Checks the values. */
        public Options {
            if (!(minArea >= 0) || Double.isInfinite(minArea)) {
                throw new GeoIOException("minimum polygon area " + minArea + " is invalid; pass 0 or more (square"
                        + " metres)");
            }
            if (!(simplify >= 0) || Double.isInfinite(simplify)) {
                throw new GeoIOException("simplification tolerance " + simplify + " is invalid; pass 0 or more"
                        + " (metres)");
            }
        }
    }

    /**
     * What was written.
     *
     * @param path the vector file
     * @param features polygons written
     * @param dropped polygons dropped as smaller than the minimum area
     * @param seconds time taken
     */
    public record Result(Path path, long features, long dropped, double seconds) {
    }

    private Polygonizer() {
    }

    /**
     * @param raster a class raster
     * @return the GeoPackage beside it that the polygons of a front end without an explicit path go to,
     *     {@code <stem>.gpkg}
     */
    public static Path besideRaster(Path raster) {
        return raster.resolveSibling(stem(raster) + ".gpkg");
    }

    /**
     * @param out a vector file path
     * @throws GeoIOException when its extension names no single-file vector format this class writes
     */
    public static void checkOutput(Path out) {
        driverName(out);
    }

    /**
     * @param out a vector file path
     * @param crs the CRS of the class raster to polygonize into it, or null
     * @throws GeoIOException when its extension names no format this class writes, or it is GeoJSON, which names a
     *     CRS only by an EPSG code, and {@code crs} (its horizontal part: the polygons are flat) has none (GIS tools
     *     would read the polygons as longitudes and latitudes)
     */
    public static void checkOutput(Path out, Crs crs) {
        if (driverName(out).equals("GeoJSON") && crs != null && crs.horizontal().epsg().isEmpty()) {
            throw noGeoJsonCrs(out, crs.name());
        }
    }

    private static GeoIOException noGeoJsonCrs(Path out, String crsName) {
        return GeoIOException.of(out, "GeoJSON names a CRS only by its EPSG code, and the class raster's CRS ("
                + crsName + ") has none, so GIS tools would read the polygons as longitudes and latitudes",
                "write the polygons to a .gpkg or .fgb file, which keep any CRS");
    }

    /**
     * @return the CRS the polygons are written with: a GeoJSON file's with the EPSG code GDAL identifies for it (for
     *     the horizontal part of a compound CRS), which its driver writes as the file's {@code crs}; a copy, or null
     *     for none
     */
    private static SpatialReference layerCrs(SpatialReference srs, String driverName, Path out) {
        if (srs == null) {
            return null;
        }
        SpatialReference copy = srs.Clone();
        if (driverName.equals("GeoJSON") && copy.IsCompound() == 1) {
            copy.StripVertical(); // flat polygons: their CRS is the horizontal one, which may have an EPSG code
        }
        if (driverName.equals("GeoJSON") && !"EPSG".equalsIgnoreCase(copy.GetAuthorityName(null))) {
            try {
                copy.AutoIdentifyEPSG();
            } catch (RuntimeException e) {
                LOG.debug("no EPSG code for {}: {}", copy.GetName(), e.toString());
            }
            if (!"EPSG".equalsIgnoreCase(copy.GetAuthorityName(null))) {
                String name = copy.GetName();
                copy.delete();
                throw noGeoJsonCrs(out, name == null ? "unnamed" : name);
            }
        }
        return copy;
    }

    /**
     * @param classRaster a single-band integer class raster
     * @param out the vector file to write (.gpkg, .geojson or .fgb); replaced if it exists
     * @param classNames the name of class value {@code i} at index {@code i} (values beyond get no name)
     * @param options connectivity, minimum area and simplification
     * @return what was written
     */
    public static Result polygonize(Path classRaster, Path out, List<String> classNames, Options options) {
        try (OutputSet set = new OutputSet()) {
            Result r = polygonize(classRaster, out, classNames, options, set);
            set.publish();
            return r;
        } catch (IOException e) {
            throw GeoIOException.of(out, "cannot move the finished polygons into place (" + e.getMessage() + ")",
                    AtomicFiles.fixFor(e), e);
        }
    }

    /**
     * Writes the polygons to a temporary beside {@code out} and hands it to {@code set}, to be published with the
     * command's other outputs (the class raster they are made of).
     *
     * @param classRaster a single-band integer class raster (a finished temporary, say)
     * @param out the vector file the polygons are published at (.gpkg, .geojson or .fgb)
     * @param classNames the name of class value {@code i} at index {@code i} (values beyond get no name)
     * @param options connectivity, minimum area and simplification
     * @param set the outputs to publish together
     * @return what was written (its path: {@code out})
     */
    public static Result polygonize(Path classRaster, Path out, List<String> classNames, Options options,
                                    OutputSet set) {
        Gdal.ensureInitialised();
        Gdal.quietThread();
        long start = System.nanoTime();
        String driverName = driverName(out);
        Dataset raster = gdal.Open(classRaster.toString(), gdalconstConstants.GA_ReadOnly);
        if (raster == null) {
            throw GeoIOException.of(classRaster, "cannot open the class raster (" + Gdal.lastError("open failed")
                    + ")", "check the file");
        }
        DataSource memory = null;
        SpatialReference layerSrs = null;
        TempFiles.removeStale(out); // left by a run killed with SIGKILL (and a GeoPackage's -journal beside them)
        Path tmp = TempFiles.reserve(out, ".part." + extension(out));
        try {
            Band band = raster.GetRasterBand(1);
            if (band.getDataType() == gdalconstConstants.GDT_Float32
                    || band.getDataType() == gdalconstConstants.GDT_Float64) {
                throw GeoIOException.of(classRaster, "holds floating-point values, not classes",
                        "polygonize a class raster (integer values)");
            }
            SpatialReference srs = raster.GetSpatialRef();
            memory = ogr.GetDriverByName("Memory").CreateDataSource("polygons");
            Layer regions = memory.CreateLayer("regions", srs, ogrConstants.wkbPolygon);
            regions.CreateField(new FieldDefn("class", ogrConstants.OFTInteger));
            Vector<String> polygonizeOptions = new Vector<>();
            if (options.eightConnected()) {
                polygonizeOptions.add("8CONNECTED=8");
            }
            int rc = gdal.Polygonize(band, band.GetMaskBand(), regions, 0, polygonizeOptions,
                    new ProgressLog(LOG, out.getFileName() + ": polygonize"));
            if (rc != gdalconstConstants.CE_None) {
                throw new IllegalStateException(Gdal.lastError("Polygonize failed"));
            }
            layerSrs = layerCrs(srs, driverName, out);
            long[] counts = write(regions, tmp, driverName, stem(out), layerSrs, classNames, options,
                    GroundArea.of(srs));
            set.add(tmp, out);
            tmp = null;
            double secs = (System.nanoTime() - start) / 1e9;
            // the class raster may be a hidden temporary (published with the polygons): not named to the user
            LOG.info("{}: {} polygons ({} smaller than {} dropped) in {} s", out, counts[0], counts[1],
                    options.minArea(), String.format(Locale.ROOT, "%.1f", secs));
            return new Result(out, counts[0], counts[1], secs);
        } catch (RuntimeException e) {
            if (e instanceof GeoIOException g) {
                throw g;
            }
            throw GeoIOException.of(out, "cannot polygonize the class raster (" + Gdal.lastError(e, "unknown error")
                    + ")", "check free disk space", e);
        } finally {
            if (memory != null) {
                memory.delete();
            }
            if (layerSrs != null) {
                layerSrs.delete();
            }
            raster.delete();
            TempFiles.discard(tmp);
        }
    }

    /** @return {features written, features dropped} */
    private static long[] write(Layer regions, Path tmp, String driverName, String layerName, SpatialReference srs,
                                List<String> classNames, Options options, GroundArea ground) {
        DataSource ds = ogr.GetDriverByName(driverName).CreateDataSource(tmp.toString());
        if (ds == null) {
            throw new IllegalStateException(Gdal.lastError("cannot create " + tmp));
        }
        long written = 0;
        long dropped = 0;
        try {
            // GDAL's 8-connected regions can touch themselves at a corner, which a polygon's ring may not (OGC): they
            // are written as valid multipolygons, so every feature of such a layer is one
            boolean multi = options.eightConnected();
            Layer layer = ds.CreateLayer(layerName, srs,
                    multi ? ogrConstants.wkbMultiPolygon : ogrConstants.wkbPolygon);
            if (layer == null) {
                throw new IllegalStateException(Gdal.lastError("cannot create the layer " + layerName));
            }
            layer.CreateField(new FieldDefn("class", ogrConstants.OFTInteger));
            layer.CreateField(new FieldDefn("name", ogrConstants.OFTString));
            layer.CreateField(new FieldDefn("area", ogrConstants.OFTReal));
            layer.StartTransaction();
            regions.ResetReading();
            for (Feature f = regions.GetNextFeature(); f != null; f = regions.GetNextFeature()) {
                try {
                    Geometry g = f.GetGeometryRef();
                    if (ground.squareMetres(g) < options.minArea()) {
                        dropped++;
                        continue;
                    }
                    Geometry shape = ValidPolygons.of(options.simplify() > 0
                            ? g.SimplifyPreserveTopology(ground.units(options.simplify(), g)) : g, g, multi);
                    try {
                        long[] counts = writeParts(layer, shape, f.GetFieldAsInteger(0), classNames, multi,
                                options.minArea(), ground);
                        written += counts[0];
                        dropped += counts[1];
                    } finally {
                        if (shape != null && shape != g) {
                            shape.delete();
                        }
                    }
                } finally {
                    f.delete();
                }
            }
            if (layer.CommitTransaction() != ogrConstants.OGRERR_NONE) {
                throw new IllegalStateException(Gdal.lastError("cannot commit the polygons"));
            }
            ds.FlushCache();
        } finally {
            ds.delete();
        }
        return new long[] {written, dropped};
    }

    /**
     * Writes a region's valid shape: as one feature of a MultiPolygon layer, or each of its polygons as a feature of a
     * Polygon layer (simplifying can cut a region in two at a narrow neck). Simplification can also shrink a shape
     * below the minimum area: every polygon written (and its area field, the written shape's) is at least
     * {@code minArea}.
     *
     * @return {features written, features dropped}
     */
    private static long[] writeParts(Layer layer, Geometry shape, int value, List<String> classNames, boolean multi,
                                     double minArea, GroundArea ground) {
        if (shape == null || shape.IsEmpty()) {
            return new long[] {0, 1};
        }
        boolean split = !multi && ogr.GT_Flatten(shape.GetGeometryType()) == ogrConstants.wkbMultiPolygon;
        int n = split ? shape.GetGeometryCount() : 1;
        long[] counts = new long[2];
        for (int i = 0; i < n; i++) {
            Geometry part = split ? shape.GetGeometryRef(i) : shape;
            double area = ground.squareMetres(part);
            if (part.IsEmpty() || area < minArea) {
                counts[1]++;
                continue;
            }
            Feature out = new Feature(layer.GetLayerDefn());
            try {
                out.SetField("class", value);
                out.SetField("name", value >= 0 && value < classNames.size() ? classNames.get(value) : "");
                out.SetField("area", area);
                out.SetGeometry(part);
                if (layer.CreateFeature(out) != ogrConstants.OGRERR_NONE) {
                    throw new IllegalStateException(Gdal.lastError("cannot write a polygon"));
                }
            } finally {
                out.delete();
            }
            counts[0]++;
        }
        return counts;
    }

    private static String driverName(Path out) {
        GdalPath.requireGdalCanName(out.toString());
        String driver = DRIVERS.get(extension(out));
        if (driver == null) {
            throw GeoIOException.of(out, "is not a .gpkg, .geojson or .fgb file", "name the polygon output"
                    + " .gpkg (GeoPackage), .geojson or .fgb (shapefiles are several files and cannot be written"
                    + " atomically)");
        }
        return driver;
    }

    private static String extension(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** @return a file's name without its extension: the layer name of a vector output, the base of sidecars */
    static String stem(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
