package io.geolightning.tiling.labels;

import io.geolightning.foundation.OneLine;
import io.geolightning.geo.Crs;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.VectorFeature;
import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.WarpOptions;
import org.gdal.gdal.gdal;
import org.locationtech.jts.geom.Envelope;

/**
 * Labels from a raster (a land-cover map such as NLCD or WorldCover, last year's classified output, a rasterised
 * layer): each pixel's value is a class. A value's name is its category name or raster-attribute-table name when the
 * raster has them, or the {@code CLASS_<value>} tag of a classified GeoTIFF written by {@code geolightning predict},
 * else the value itself; it maps to the class of that name ({@code --classes}, or every value the raster's legend
 * names, present or not, and every value found, in numeric order: label rasters of other areas with the same legend
 * give the same class ids); an unnamed 0 goes to the background class when there is one (0 is what rasterisers burn
 * where nothing is); the raster's nodata and the ignore value become the ignore index; any other value is an error
 * listing them. Per scene the label raster is read nearest-neighbour on the scene's
 * pixel grid (a warped VRT, reprojected when the CRSs differ), so a mask is a window read.
 */
public final class RasterLabelSource implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RasterLabelSource.class);

    private static final AtomicLong COUNTER = new AtomicLong();

    private final String vrt;
    private final GeoRaster onGrid;
    private final Map<Double, Integer> ids;
    private final int ignore;
    private final Double nodata;

    private RasterLabelSource(String vrt, GeoRaster onGrid, Map<Double, Integer> ids, int ignore, Double nodata) {
        this.vrt = vrt;
        this.onGrid = onGrid;
        this.ids = ids;
        this.ignore = ignore;
        this.nodata = nodata;
    }

    /**
     * @param labels a label source
     * @return true when GDAL opens it as a raster (a vector layer, or a missing file, is not)
     */
    public static boolean isRaster(GdalPath labels) {
        try (GeoRaster r = GeoRaster.open(labels)) {
            return r.bandCount() >= 1;
        } catch (GeoIOException e) {
            return false;
        }
    }

    /** Reads the raster's values once and resolves the classes (see the class comment). */
    static LabelSet load(LabelConfig config) {
        String name = config.vector().fileName();
        try (GeoRaster r = GeoRaster.open(config.vector())) {
            Crs crs = r.crs().orElseThrow(() -> new TilingException(name + ": the label raster has no CRS, so it"
                    + " cannot be placed on the scene; " + r.missingCrsFix()));
            if (!r.hasGeoTransform()) {
                throw new TilingException(name + ": the label raster has no geotransform (pixel-to-map coordinates),"
                        + " so it cannot be placed on the scene; " + r.missingGeoTransformFix());
            }
            OptionalDouble nd = r.nodata(1);
            Map<Integer, String> names = valueNames(r, config);
            TreeSet<Double> values = new TreeSet<>();
            int rows = Math.max(1, (1 << 22) / Math.max(1, r.width()));
            for (int y = 0; y < r.height(); y += rows) {
                RasterWindow w = r.read(new PixelWindow(0, y, r.width(), Math.min(rows, r.height() - y)), 1);
                for (int i = 0; i < w.pixelsPerBand(); i++) {
                    double v = w.getDouble(0, i % w.width(), i / w.width());
                    if (!Double.isNaN(v) && !(nd.isPresent() && v == nd.getAsDouble())
                            && !(config.ignoreValue() != null && v == config.ignoreValue())) {
                        values.add(v);
                    }
                }
                if (values.size() > 1024) {
                    throw new TilingException(name + ": more than 1024 distinct values; a label raster holds class"
                            + " values (integers), not measurements - pass a classified raster");
                }
            }
            boolean unnamedZeroIsBackground = config.background() != null && !names.containsKey(0);
            List<String> classes = config.classNames() != null ? new ArrayList<>(config.classNames())
                    : legendClasses(names, values, unnamedZeroIsBackground, nd, config.ignoreValue());
            if (config.classNames() == null) {
                List<String> absent = classes.stream().filter(c -> values.stream().noneMatch(v -> nameOf(v, names)
                        .equals(c))).toList();
                if (!absent.isEmpty()) {
                    LOG.info("{}: classes from the label raster's legend {}; {} not in the raster", name, classes,
                            absent);
                }
            }
            List<String> unknown = new ArrayList<>();
            for (double v : values) {
                String t = nameOf(v, names);
                if (!classes.contains(t) && !t.equals(config.background()) && !(v == 0 && unnamedZeroIsBackground)) {
                    unknown.add(t);
                }
            }
            if (!unknown.isEmpty() && config.ignoreUnknown()) {
                LOG.warn("{}: the label raster holds value(s) {} that are not classes; their pixels are ignored", name,
                        unknown.subList(0, Math.min(10, unknown.size())));
            } else if (!unknown.isEmpty()) {
                throw new TilingException(name + ": the label raster holds value" + (unknown.size() > 1 ? "s " : " ")
                        + unknown.subList(0, Math.min(10, unknown.size())) + (unknown.size() > 10 ? "..." : "")
                        + " not among the classes " + classes + "; add them to --classes (data.classes), or make them"
                        + " the raster's nodata or the ignore value (--ignore-value), or pass --unknown ignore");
            }
            return LabelSet.of(config, List.of(), crs, r.bounds(), classes, true, List.of());
        } catch (GeoIOException e) {
            throw new TilingException(e.getMessage(), e);
        }
    }

    /**
     * The label raster on {@code scene}'s pixel grid.
     *
     * @param labels raster labels ({@link LabelSet#isRaster()})
     * @param scene the raster to label
     * @return the source; close it when the scene is done
     */
    static RasterLabelSource onGrid(LabelSet labels, GeoRaster scene) {
        LabelConfig c = labels.config();
        String vrt = GdalPath.INTERNAL_FOLDER + "labels-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + ".vrt";
        int ignore = c.maskIgnoreValue();
        Double nodata;
        Map<Integer, String> names;
        Dataset src = gdal.OpenEx(c.vector().text());
        try (GeoRaster lr = GeoRaster.open(c.vector())) {
            nodata = lr.nodata(1).isPresent() ? lr.nodata(1).getAsDouble() : null;
            names = valueNames(lr, c);
            Envelope b = scene.bounds();
            List<String> o = new ArrayList<>(List.of("-of", "VRT", "-t_srs", scene.requireCrs().wkt(),
                    "-te", num(b.getMinX()), num(b.getMinY()), num(b.getMaxX()), num(b.getMaxY()), "-ts",
                    "" + scene.width(), "" + scene.height(), "-r", "near"));
            // where the label raster does not reach: its nodata, else the ignore value (nothing is known there)
            o.addAll(List.of("-dstnodata", num(nodata != null ? nodata : ignore)));
            Dataset d;
            try {
                d = gdal.Warp(vrt, new Dataset[] {src}, new WarpOptions(new Vector<>(o)));
            } catch (RuntimeException e) {
                d = null;
            }
            if (d == null) {
                throw new TilingException(labels.sourceName() + ": GDAL cannot warp the label raster onto "
                        + scene.path().fileName() + " (" + OneLine.of(gdal.GetLastErrorMsg(), "unknown error")
                        + "); check both CRSs");
            }
            d.delete();
        } finally {
            src.delete();
        }
        Map<Double, Integer> ids = new HashMap<>();
        names.forEach((value, name) -> {
            if (labels.classMap().containsKey(name)) {
                ids.put((double) value, labels.classMap().get(name));
            }
        });
        labels.classMap().forEach((name, id) -> {
            try {
                double v = Double.parseDouble(name);
                if (!(v == Math.rint(v) && names.containsKey((int) v))) { // a value without a category name
                    ids.putIfAbsent(v, id);
                }
            } catch (NumberFormatException e) {
                // a class no raster value is called (e.g. "background")
            }
        });
        if (labels.backgroundId() != null && !names.containsKey(0)) {
            ids.putIfAbsent(0.0, labels.backgroundId());
        }
        GeoRaster onGrid;
        try {
            onGrid = GeoRaster.open(GdalPath.of(vrt));
        } catch (GeoIOException e) {
            gdal.Unlink(vrt);
            throw new TilingException(e.getMessage(), e);
        }
        return new RasterLabelSource(vrt, onGrid, ids, ignore, nodata != null ? nodata : (double) ignore);
    }

    /**
     * @param window a chip's window of the scene
     * @return its mask: class ids, the ignore index where the raster has nodata, the ignore value or no value
     */
    byte[] mask(PixelWindow window) {
        RasterWindow w = onGrid.read(window, 1);
        byte[] out = new byte[w.pixelsPerBand()];
        for (int i = 0; i < out.length; i++) {
            double v = w.getDouble(0, i % w.width(), i / w.width());
            Integer id = Double.isNaN(v) || v == nodata ? null : ids.get(v);
            out[i] = (byte) (id == null ? ignore : id);
        }
        return out;
    }

    /**
     * @return value -> name: the band's category names or RAT, else the CLASS_n tags of a predicted class raster;
     *     the names given with the classes ({@code 1=wetland}) override them
     */
    private static Map<Integer, String> valueNames(GeoRaster r, LabelConfig config) {
        Map<Integer, String> names = new java.util.HashMap<>(r.categoryNames(1));
        if (names.isEmpty()) {
            Map<String, String> tags = r.metadata();
            for (int i = 0; tags.containsKey("CLASS_" + i); i++) {
                names.put(i, tags.get("CLASS_" + i));
            }
        }
        if (config.valueNames() != null) {
            config.valueNames().forEach((value, name) -> {
                try {
                    names.put(Integer.parseInt(value.trim()), name);
                } catch (NumberFormatException e) {
                    throw new TilingException(config.vector().fileName() + ": class value '" + value + "' is not an"
                            + " integer; a label raster holds integer values, name them as 1=wetland");
                }
            });
        }
        return names;
    }

    /**
     * The classes when none are given: every value the raster's legend names (category names, attribute table,
     * {@code CLASS_n} tags), present or not, so that label rasters of other areas with the same legend give the same
     * class ids, and every unnamed value found, all in numeric order.
     */
    private static List<String> legendClasses(Map<Integer, String> names, TreeSet<Double> values,
                                              boolean unnamedZeroIsBackground, OptionalDouble nodata,
                                              Integer ignoreValue) {
        TreeSet<Double> all = new TreeSet<>(values);
        names.keySet().stream().mapToDouble(Integer::doubleValue)
                .filter(v -> !(nodata.isPresent() && v == nodata.getAsDouble()))
                .filter(v -> !(ignoreValue != null && v == ignoreValue)).forEach(all::add);
        return new ArrayList<>(all.stream().filter(v -> !(v == 0 && unnamedZeroIsBackground))
                .map(v -> nameOf(v, names)).distinct().toList());
    }

    /** @return the value's category name, else the value as text ({@code 3}, not {@code 3.0}) */
    private static String nameOf(double v, Map<Integer, String> names) {
        String n = v == Math.rint(v) && Math.abs(v) < Integer.MAX_VALUE ? names.get((int) v) : null;
        return n != null ? n : VectorFeature.labelText(v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    @Override
    public void close() {
        onGrid.close();
        gdal.Unlink(vrt);
    }
}
