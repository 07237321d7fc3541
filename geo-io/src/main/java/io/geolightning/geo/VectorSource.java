package io.geolightning.geo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.FeatureDefn;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One layer of a vector file opened read-only through OGR (Shapefile, GeoPackage, GeoJSON, FlatGeobuf, ...).
 * Geometries come back as valid 2D JTS geometries in the layer's CRS: curves are linearised and invalid geometries
 * are repaired with JTS {@link GeometryFixer} - counted ({@link #repairedGeometryCount()}) and logged, never dropped.
 * <p>Thread-safety: methods are synchronized (an OGR layer has a single read cursor).
 */
public final class VectorSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VectorSource.class);

    private final GdalPath path;
    private DataSource dataSource;
    private final Layer layer;
    private final String layerName;
    private final List<String> layerNames;
    private final Crs crs;
    private final List<String> fieldNames;
    private final int[] fieldTypes;
    private final Set<Long> repaired = new HashSet<>();
    private final GeometryFactory factory = new GeometryFactory();

    private VectorSource(GdalPath path, DataSource ds, Layer layer, List<String> layerNames) {
        this.path = path;
        this.dataSource = ds;
        this.layer = layer;
        this.layerName = layer.GetName();
        this.layerNames = layerNames;
        SpatialReference ref = layer.GetSpatialRef();
        this.crs = ref == null || VectorOpening.undefinedCrs(ref) ? null : Crs.fromSpatialReference(ref);
        FeatureDefn defn = layer.GetLayerDefn();
        int n = defn.GetFieldCount();
        List<String> names = new ArrayList<>(n);
        this.fieldTypes = new int[n];
        for (int i = 0; i < n; i++) {
            names.add(defn.GetFieldDefn(i).GetName());
            fieldTypes[i] = defn.GetFieldDefn(i).GetFieldType();
        }
        this.fieldNames = List.copyOf(names);
    }

    /** Opens the first layer of a vector file (logged when the file has several). */
    public static VectorSource open(Path path) {
        return open(GdalPath.of(path), null);
    }

    /** Opens the first layer of a vector file or GDAL path (logged when the file has several). */
    public static VectorSource open(GdalPath path) {
        return open(path, null);
    }

    /**
     * Opens layer {@code layerName} (null = the first) of a local vector file.
     *
     * @throws GeoIOException when the file is missing, not a vector file, or has no such layer
     */
    public static VectorSource open(Path path, String layerName) {
        return open(GdalPath.of(path), layerName);
    }

    /**
     * Opens layer {@code layerName} (null = the first layer).
     *
     * @throws GeoIOException when the file is missing, not a vector file, or has no such layer (the message lists
     *                        the layers)
     */
    public static VectorSource open(GdalPath path, String layerName) {
        DataSource ds = VectorOpening.dataSource(path);
        List<String> names = VectorOpening.layerNames(ds);
        Layer layer = VectorOpening.layer(path, ds, names, layerName);
        try {
            return new VectorSource(path, ds, layer, List.copyOf(names));
        } catch (RuntimeException e) {
            ds.delete();
            throw GeoIOException.of(path, "cannot read layer definition (" + Gdal.lastError(e, "unknown error") + ")",
                    "check that the file is complete and not corrupt", e);
        }
    }

    /** The file, as GDAL opened it. */
    public GdalPath path() {
        return path;
    }

    /** Names of all layers of the file. */
    public List<String> layerNames() {
        return layerNames;
    }

    /** Name of the open layer. */
    public String layerName() {
        return layerName;
    }

    /** The layer CRS, if declared. */
    public Optional<Crs> crs() {
        return Optional.ofNullable(crs);
    }

    /**
     * The layer CRS.
     *
     * @throws GeoIOException when the layer declares none
     */
    public Crs requireCrs() {
        if (crs == null) {
            throw GeoIOException.of(path, "layer '" + layerName + "' has no CRS",
                    "assign one with ogr2ogr -a_srs EPSG:xxxx (or add the .prj file)");
        }
        return crs;
    }

    /** Attribute field names in layer order. */
    public List<String> fieldNames() {
        return fieldNames;
    }

    /** @return each field as {@code name (type)} in layer order, with OGR's type names (String, Integer, Real...) */
    public List<String> fieldsWithTypes() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fieldNames.size(); i++) {
            out.add(fieldNames.get(i) + " (" + ogr.GetFieldTypeName(fieldTypes[i]) + ")");
        }
        return out;
    }

    /** @return the layer's declared geometry type as OGR names it ("Polygon", "Multi Polygon", "Point"...) */
    public synchronized String geometryTypeName() {
        return ogr.GeometryTypeToName(layer().GetGeomType());
    }

    /**
     * Checks that the layer has field {@code field}.
     *
     * @throws GeoIOException listing the fields when it does not, or saying that a Shapefile's .dbf (its fields) is
     *                        missing
     */
    public void requireField(String field) {
        if (fieldNames.contains(field)) {
            return;
        }
        Optional<String> dbf = fieldNames.isEmpty() ? ShapefileSidecars.of(path).flatMap(s -> s.problem("dbf",
                "the attribute table, holding field '" + field + "'")) : Optional.empty();
        if (dbf.isPresent()) {
            throw new GeoIOException(path + ": layer '" + layerName + "' has no fields because " + dbf.get());
        }
        List<String> holding = layersWithField(field);
        String fields = fieldNames.isEmpty() ? "it has no fields" : "fields: " + String.join(", ", fieldNames);
        throw GeoIOException.of(path, "layer '" + layerName + "' has no field '" + field + "' (" + fields + ")",
                holding.isEmpty() ? "pass one of these fields as the label attribute (--label-field)"
                        : "pick the layer that holds it with --layer " + holding.get(0) + " (data.layer)"
                        + (holding.size() > 1 ? "; layers holding it: " + String.join(", ", holding) : ""));
    }

    /** @return the file's other layers that have field {@code field} (named exactly so) */
    private synchronized List<String> layersWithField(String field) {
        List<String> holding = new ArrayList<>();
        for (String name : layerNames) {
            Layer other = name.equals(layerName) || dataSource == null ? null : dataSource.GetLayerByName(name);
            FeatureDefn defn = other == null ? null : other.GetLayerDefn();
            for (int i = 0; defn != null && i < defn.GetFieldCount(); i++) {
                if (defn.GetFieldDefn(i).GetName().equals(field)) {
                    holding.add(name);
                    break;
                }
            }
        }
        return holding;
    }

    /** True when field {@code field} holds numbers (integer or real). */
    public boolean isNumericField(String field) {
        requireField(field);
        int t = fieldTypes[fieldNames.indexOf(field)];
        return t == ogrConstants.OFTInteger || t == ogrConstants.OFTInteger64 || t == ogrConstants.OFTReal;
    }

    /** The order of {@code field}'s values as text: by number for a numeric field (2 before 10), else as strings. */
    public FieldValueOrder valueOrder(String field) {
        return FieldValueOrder.of(isNumericField(field));
    }

    /** Number of features (counted exactly). */
    public synchronized long featureCount() {
        return layer().GetFeatureCount(1);
    }

    /**
     * Checks that the layer has at least one feature.
     *
     * @throws GeoIOException when it is empty
     */
    public void requireNonEmpty() {
        if (featureCount() == 0) {
            throw GeoIOException.of(path, "layer '" + layerName + "' is empty (0 features)",
                    "pass a layer that holds label geometries" + (layerNames.size() > 1
                            ? " (other layers: " + String.join(", ", layerNames) + ")" : ""));
        }
    }

    /** Extent of the layer in its CRS (a null envelope when empty). */
    public synchronized Envelope extent() {
        if (featureCount() == 0) {
            return new Envelope();
        }
        double[] e = layer().GetExtent(true);
        return new Envelope(e[0], e[1], e[2], e[3]);
    }

    /** All features. */
    public synchronized List<VectorFeature> features() {
        return read(null);
    }

    /** Features whose geometry intersects {@code bboxInLayerCrs} (by bounding box, as OGR filters). */
    public synchronized List<VectorFeature> features(Envelope bboxInLayerCrs) {
        return read(bboxInLayerCrs);
    }

    /** Distinct non-null values of {@code field} as text, sorted by {@link #valueOrder}. */
    public synchronized SortedSet<String> distinctValues(String field) {
        SortedSet<String> values = new TreeSet<>(valueOrder(field));
        int idx = fieldNames.indexOf(field);
        Layer l = layer();
        l.SetSpatialFilter(null);
        l.ResetReading();
        for (Feature f = l.GetNextFeature(); f != null; f = l.GetNextFeature()) {
            if (f.IsFieldSetAndNotNull(idx)) {
                values.add(text(f, idx));
            }
            f.delete();
        }
        return Collections.unmodifiableSortedSet(values);
    }

    /** How many distinct features had an invalid geometry that was repaired so far. */
    public synchronized int repairedGeometryCount() {
        return repaired.size();
    }

    private List<VectorFeature> read(Envelope bbox) {
        Layer l = layer();
        Gdal.quietThread();
        if (bbox == null) {
            l.SetSpatialFilter(null);
        } else {
            l.SetSpatialFilterRect(bbox.getMinX(), bbox.getMinY(), bbox.getMaxX(), bbox.getMaxY());
        }
        List<VectorFeature> out = new ArrayList<>();
        int newlyRepaired = 0;
        WKBReader reader = new WKBReader(factory);
        try {
            l.ResetReading();
            for (Feature f = l.GetNextFeature(); f != null; f = l.GetNextFeature()) {
                try {
                    long fid = f.GetFID();
                    Geometry g = toJts(f.GetGeometryRef(), reader, fid);
                    if (!g.isEmpty() && !g.isValid()) {
                        g = GeometryFixer.fix(g);
                        if (repaired.add(fid)) {
                            newlyRepaired++;
                            LOG.debug("{}: repaired invalid geometry of feature {}", path, fid);
                        }
                    }
                    out.add(new VectorFeature(fid, g, attributes(f)));
                } finally {
                    f.delete();
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof GeoIOException g) {
                throw g;
            }
            throw GeoIOException.of(path, "cannot read features of layer '" + layerName + "' ("
                    + Gdal.lastError(e, "read error", path) + ")", "check that the file is complete and not corrupt", e);
        } finally {
            l.SetSpatialFilter(null);
        }
        if (newlyRepaired > 0) {
            LOG.warn("{}: repaired {} invalid geometr{} of layer '{}' (JTS GeometryFixer); {} repaired so far",
                    path, newlyRepaired, newlyRepaired == 1 ? "y" : "ies", layerName, repaired.size());
        }
        return out;
    }

    private Geometry toJts(org.gdal.ogr.Geometry g, WKBReader reader, long fid) {
        if (g == null || g.IsEmpty()) {
            return factory.createGeometryCollection();
        }
        // by type, not by content: a CURVEPOLYGON or MULTISURFACE of straight rings (ogr2ogr -nlt CURVEPOLYGON) has
        // no arc, but its WKB type is still one JTS cannot read
        org.gdal.ogr.Geometry lin = g.HasCurveGeometry(0) != 0 ? g.GetLinearGeometry() : g.Clone();
        try {
            lin.FlattenTo2D();
            return reader.read(lin.ExportToWkb());
        } catch (ParseException e) {
            throw GeoIOException.of(path, "feature " + fid + " has a geometry JTS cannot parse (" + e.getMessage()
                    + ")", "repair the layer with ogr2ogr -makevalid", e);
        } finally {
            lin.delete();
        }
    }

    /**
     * A field's text in Unicode NFC: class names are compared as text, and one name stored in two forms (macOS and
     * some editors write decomposed accents, NFD) would become two classes that look the same.
     */
    private static String text(Feature f, int i) {
        return java.text.Normalizer.normalize(f.GetFieldAsString(i), java.text.Normalizer.Form.NFC);
    }

    private Map<String, Object> attributes(Feature f) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < fieldTypes.length; i++) {
            Object v = null;
            if (f.IsFieldSetAndNotNull(i)) {
                int t = fieldTypes[i];
                if (t == ogrConstants.OFTInteger) {
                    v = f.GetFieldAsInteger(i);
                } else if (t == ogrConstants.OFTInteger64) {
                    v = f.GetFieldAsInteger64(i);
                } else if (t == ogrConstants.OFTReal) {
                    v = f.GetFieldAsDouble(i);
                } else {
                    v = text(f, i);
                }
            }
            m.put(fieldNames.get(i), v);
        }
        return m;
    }

    private Layer layer() {
        if (dataSource == null) {
            throw GeoIOException.of(path, "vector source is closed", "open it again with VectorSource.open");
        }
        return layer;
    }

    /** Closes the OGR data source; idempotent. */
    @Override
    public synchronized void close() {
        if (dataSource != null) {
            dataSource.delete();
            dataSource = null;
        }
    }

    @Override
    public String toString() {
        return "VectorSource[" + path + ", layer '" + layerName + "'" + (crs == null ? ", no CRS" : ", " + crs) + "]";
    }
}
