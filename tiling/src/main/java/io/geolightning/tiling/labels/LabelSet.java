package io.geolightning.tiling.labels;

import io.geolightning.geo.Crs;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.VectorFeature;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.geom.util.LineStringExtracter;
import org.locationtech.jts.geom.util.PointExtracter;
import org.locationtech.jts.geom.util.PolygonExtracter;

/**
 * Labels read once from a vector file: the features (in the layer CRS), the resolved classes and the map from
 * attribute value to class id. Values not among the classes (nor the ignore value) fail here, naming the value and
 * the known classes.
 */
public final class LabelSet {
    private static final Logger LOG = LoggerFactory.getLogger(LabelSet.class);
    private final LabelConfig config;
    private final List<VectorFeature> features;
    private final Crs crs;
    private final Envelope extent;
    private final List<String> classNames;
    private final Map<String, Integer> classMap;
    private final Integer backgroundId;
    private final String source;
    private final boolean raster;
    private final List<String> unknownValues;

    LabelSet(LabelConfig config, List<VectorFeature> features, Crs crs, Envelope extent,
             List<String> classNames, Map<String, Integer> classMap, Integer backgroundId, boolean raster,
             List<String> unknownValues) {
        this.config = config;
        this.features = features;
        this.crs = crs;
        this.extent = extent;
        this.classNames = classNames;
        this.classMap = classMap;
        this.backgroundId = backgroundId;
        this.source = config.vector().fileName();
        this.raster = raster;
        this.unknownValues = unknownValues;
    }

    /** Reads and checks the labels: a vector layer, or a label raster when that is what GDAL opens. */
    public static LabelSet load(LabelConfig config) {
        if (RasterLabelSource.isRaster(config.vector())) {
            return RasterLabelSource.load(config);
        }
        try (VectorSource src = config.layer() == null ? VectorSource.open(config.vector())
                : VectorSource.open(config.vector(), config.layer())) {
            String name = config.vector().fileName();
            if (config.layer() == null && src.layerNames().size() > 1) {
                LOG.warn("{}: {} layers {}; labelling with the first, '{}' (--layer / data.layer picks another)", name,
                        src.layerNames().size(), src.layerNames(), src.layerName());
            }
            src.requireNonEmpty();
            Crs crs = src.requireCrs();
            if (config.attribute() != null) {
                src.requireField(config.attribute());
            }
            List<VectorFeature> features = polygonsOfCollections(name, src.layerName(), src.features());
            requirePolygons(name, src.layerName(), features);
            Envelope extent = new Envelope();
            features.forEach(f -> extent.expandToInclude(f.geometry().getEnvelopeInternal()));
            String ignoreText = config.ignoreValue() == null ? null : String.valueOf(config.ignoreValue());
            List<String> classes = new ArrayList<>();
            if (config.attribute() == null) {
                classes.addAll(config.classNames() != null ? config.classNames() : List.of("foreground"));
                List<String> burnt = classes.stream().filter(c -> !c.equals(config.background())).toList();
                if (burnt.size() > 1) { // every polygon burns the last class: the others would never be labelled
                    throw new TilingException(name + ": no label field tells the polygons' classes " + quote(burnt)
                            + " apart (without one every polygon is '" + classes.get(classes.size() - 1) + "'); pass"
                            + " the field that holds each polygon's class (--label-field, data.labelField)");
                }
            } else {
                SortedSet<String> values = new TreeSet<>(src.valueOrder(config.attribute()));
                for (VectorFeature f : features) {
                    String t = f.labelText(config.attribute());
                    if (t == null) { // unset or blank
                        if (ignoreText == null) {
                            throw new TilingException(name + ": feature " + f.fid() + " has no value in field '"
                                    + config.attribute() + "'; fill it, or pass --ignore-value 255"
                                    + " (data.ignoreValue: 255) to ignore unlabelled polygons");
                        }
                        continue;
                    }
                    if (!t.equals(ignoreText)) {
                        values.add(t);
                    }
                }
                if (config.classNames() != null) {
                    classes.addAll(config.classNames());
                    List<String> unknown = values.stream().filter(v -> !config.classNames().contains(config.nameOf(v)))
                            .toList();
                    if (!unknown.isEmpty() && config.ignoreUnknown()) {
                        LOG.warn("{}: field '{}' holds value(s) {} that are not classes; their polygons are ignored",
                                name, config.attribute(), quote(unknown));
                        return of(config, List.copyOf(features), crs, extent, classes, false, unknown);
                    }
                    String respelt = unknown.isEmpty() ? null : caseOnly(unknown, config);
                    if (respelt != null) {
                        throw new TilingException(name + ": field '" + config.attribute() + "' holds value"
                                + (unknown.size() > 1 ? "s " : " ") + quote(unknown) + ", the known classes "
                                + quote(config.classNames()) + " in another case; class names match the field's"
                                + " values exactly: pass --classes " + respelt + " (data.classes)");
                    }
                    if (!unknown.isEmpty()) {
                        throw new TilingException(name + ": field '" + config.attribute() + "' holds value"
                                + (unknown.size() > 1 ? "s " : " ") + quote(unknown) + " not among the known classes "
                                + quote(config.classNames()) + "; add " + (unknown.size() > 1 ? "them" : "it")
                                + " to the class names" + (ignoreText == null ? "" : " or set it to " + ignoreText)
                                + ", or pass --unknown ignore");
                    }
                } else {
                    values.stream().map(config::nameOf).distinct().forEach(classes::add);
                }
            }
            return of(config, List.copyOf(features), crs, extent, classes, false, List.of());
        } catch (GeoIOException e) {
            throw new TilingException(e.getMessage(), e);
        }
    }

    /**
     * @return the class names spelt as the field's values ({@code URBANO,RURAL} for {@code urbano,rural}) when every
     *     unknown value is a class name in another case, else null
     */
    private static String caseOnly(List<String> unknown, LabelConfig config) {
        List<String> respelt = new ArrayList<>();
        for (String c : config.classNames()) {
            respelt.add(unknown.stream().filter(v -> config.nameOf(v).equalsIgnoreCase(c)).findFirst().orElse(c));
        }
        boolean all = unknown.stream().allMatch(v -> config.classNames().stream()
                .anyMatch(c -> c.equalsIgnoreCase(config.nameOf(v))));
        return all ? String.join(",", respelt) : null;
    }

    /**
     * Adds the background class (first, when it is not a class already), checks that class ids and the ignore value fit
     * one-byte masks and maps class names to ids.
     */
    static LabelSet of(LabelConfig config, List<VectorFeature> features, Crs crs, Envelope extent,
                       List<String> classNames, boolean raster, List<String> unknownValues) {
        String name = config.vector().fileName();
        List<String> classes = new ArrayList<>(classNames);
        Integer bg = null;
        if (config.background() != null) {
            if (!classes.contains(config.background())) {
                classes.add(0, config.background());
            }
            bg = classes.indexOf(config.background());
        }
        if (classes.size() > 255) {
            throw new TilingException(name + ": " + classes.size() + " classes do not fit one-byte masks; use at most"
                    + " 255 classes (merge some, or name the ones to keep with --classes)");
        }
        if (config.ignoreValue() != null && config.ignoreValue() < classes.size()) {
            throw new TilingException(name + ": ignore value " + config.ignoreValue() + " is the id of class '"
                    + classes.get(config.ignoreValue()) + "' (ids 0-" + (classes.size() - 1) + ": " + classes
                    + "); pass an ignore value from " + classes.size() + " to 255, e.g. --ignore-value 255"
                    + " (data.ignoreValue: 255)");
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            map.put(classes.get(i), i);
        }
        return new LabelSet(config, features, crs, extent, List.copyOf(classes), map, bg, raster,
                List.copyOf(unknownValues));
    }

    /**
     * Geometry collections become the polygons they hold: their points and lines have no area, so they would label next
     * to nothing in a chip's class, yet burn a one-pixel trace into a mask; and the class areas cannot be measured on a
     * collection. A collection's polygons may overlap: they are unioned. A collection of no polygon is left for
     * {@link #requirePolygons} to refuse.
     */
    private static List<VectorFeature> polygonsOfCollections(String name, String layer, List<VectorFeature> features) {
        List<VectorFeature> out = new ArrayList<>(features.size());
        int mixed = 0;
        for (VectorFeature f : features) {
            Geometry g = f.geometry();
            if (!Geometry.TYPENAME_GEOMETRYCOLLECTION.equals(g.getGeometryType()) || g.getDimension() < 2) {
                out.add(f);
                continue;
            }
            List<Geometry> polygons = new ArrayList<>();
            PolygonExtracter.getPolygons(g).forEach(p -> polygons.add((Geometry) p));
            if (!PointExtracter.getPoints(g).isEmpty() || !LineStringExtracter.getLines(g).isEmpty()) {
                mixed++;
            }
            out.add(f.withGeometry(GeometryFixer.fix(g.getFactory().buildGeometry(polygons))));
        }
        if (mixed > 0) {
            LOG.warn("{}: layer '{}': {} geometry collection{} also hold{} points or lines; only the polygons label",
                    name, layer, mixed, mixed == 1 ? "" : "s", mixed == 1 ? "s" : "");
        }
        return out;
    }

    /**
     * Fails when the layer holds points or lines: a chip's class goes by the area its labels cover and a mask by the
     * pixels they cover, so points and lines (no area) would label next to nothing.
     */
    private static void requirePolygons(String name, String layer, List<VectorFeature> features) {
        long points = 0;
        long lines = 0;
        for (VectorFeature f : features) {
            Geometry g = f.geometry();
            if (!g.isEmpty() && g.getDimension() < 2) {
                if (g.getDimension() == 0) {
                    points++;
                } else {
                    lines++;
                }
            }
        }
        if (points + lines > 0) {
            String kinds = (points > 0 ? points + " point" + (points > 1 ? "s" : "") : "")
                    + (points > 0 && lines > 0 ? " and " : "") + (lines > 0 ? lines + " line" + (lines > 1 ? "s" : "")
                    : "");
            throw new TilingException(name + ": layer '" + layer + "' holds " + kinds + " (of " + features.size()
                    + " features), but labels must be polygons; pass a polygon layer with --labels (buffer points or"
                    + " lines into polygons first, e.g. with ST_Buffer in ogr2ogr -dialect SQLite)");
        }
    }

    private static String quote(List<String> l) {
        List<String> q = l.stream().limit(10).map(s -> "'" + s + "'").toList();
        return "[" + String.join(", ", q) + (l.size() > 10 ? ", ... (" + l.size() + " in all)" : "") + "]";
    }

    /** @return the configuration */
    public LabelConfig config() {
        return config;
    }

    /** @return features in the layer CRS */
    public List<VectorFeature> features() {
        return features;
    }

    /** @return the layer CRS */
    public Crs crs() {
        return crs;
    }

    /** @return extent of the features in the layer CRS */
    public Envelope extent() {
        return extent;
    }

    /** @return class names by id */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * @return the class id of each label value as the label source holds it: {@link #classMap()}, plus the values
     *     named with the classes ({@code 1=wetland}: "1" -> the id of wetland) and the ignore value for values that
     *     are not classes when they are ignored ({@code --unknown ignore})
     */
    public Map<String, Integer> valueClassMap() {
        if (config.valueNames() == null && unknownValues.isEmpty()) {
            return classMap;
        }
        Map<String, Integer> out = new java.util.LinkedHashMap<>(classMap);
        int ignore = config.maskIgnoreValue();
        unknownValues.forEach(v -> out.put(v, ignore)); // --unknown ignore: burnt as "ignore"
        if (config.valueNames() != null) {
            config.valueNames().forEach((value, name) -> {
                Integer id = classMap.get(name);
                if (id != null) {
                    out.put(value, id);
                }
            });
        }
        return out;
    }

    /** @return class name (a label value itself unless named with the classes) to class id */
    public Map<String, Integer> classMap() {
        return classMap;
    }

    /** @return id of the background class, or null */
    public Integer backgroundId() {
        return backgroundId;
    }

    /** @return the class id of a feature, null for "ignore" (or unlabelled with an ignore value) */
    public Integer classOf(VectorFeature f) {
        if (config.attribute() == null) {
            return classMap.get(classNames.get(classNames.size() - 1));
        }
        String v = f.labelText(config.attribute());
        return v == null ? null : classMap.get(config.nameOf(v));
    }

    /** @return true for labels read from a raster (no features; see {@link RasterLabelSource}) */
    public boolean isRaster() {
        return raster;
    }

    /** @return the file name, for messages */
    public String sourceName() {
        return source;
    }
}
