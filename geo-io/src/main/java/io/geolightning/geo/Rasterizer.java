package io.geolightning.geo;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.Vector;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.Driver;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.FieldDefn;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Burns vector features into a single-band mask on a raster grid with GDAL's rasterizer
 * ({@code gdal.RasterizeLayer} into an in-memory MEM dataset from an in-memory OGR layer). Geometries are reprojected
 * into the grid's CRS first. Stateless and thread-safe.
 */
public final class Rasterizer {
    private static final Logger LOG = LoggerFactory.getLogger(Rasterizer.class);
    private static final String BURN_FIELD = "burn";

    private Rasterizer() {
    }

    /** Rasterizes the source's features over {@code window} of {@code raster}'s grid; the mask's window() is it. */
    public static RasterWindow rasterize(VectorSource source, RasterizeOptions options, GeoRaster raster,
                                         PixelWindow window) {
        RasterWindow mask = rasterize(source, options, RasterGrid.of(raster, window));
        return mask.toBuilder().window(window).data(mask.data()).build();
    }

    /** Rasterizes the source's features over the whole of {@code raster}'s grid. */
    public static RasterWindow rasterize(VectorSource source, RasterizeOptions options, GeoRaster raster) {
        return rasterize(source, options, raster, raster.extent());
    }

    /**
     * Rasterizes the source's features onto {@code grid}. Only features whose bounding box meets the grid are read.
     *
     * @throws GeoIOException when the layer is empty, has no CRS, lacks the label field, or a value cannot be burnt
     */
    public static RasterWindow rasterize(VectorSource source, RasterizeOptions options, RasterGrid grid) {
        source.requireNonEmpty();
        if (options.attribute() != null) {
            source.requireField(options.attribute());
        }
        Crs layerCrs = source.requireCrs();
        Envelope gridBox = gridEnvelope(grid);
        Envelope inLayer;
        CrsTransform toGrid = CrsTransform.of(layerCrs, grid.crs());
        try {
            inLayer = toGrid.inverse().transform(gridBox);
        } catch (GeoIOException e) {
            inLayer = null; // grid not representable in the layer CRS: read everything, reprojection decides
        }
        List<VectorFeature> features = inLayer == null ? source.features() : source.features(inLayer);
        return burn(source.path().toString(), features, toGrid, options, grid);
    }

    /** Rasterizes {@code features} (geometries in {@code featuresCrs}) onto {@code grid}. */
    public static RasterWindow rasterize(List<VectorFeature> features, Crs featuresCrs, RasterizeOptions options,
                                         RasterGrid grid) {
        if (featuresCrs == null) {
            throw new GeoIOException("features: no CRS given; pass the CRS of the feature geometries");
        }
        if (options.attribute() != null && !features.isEmpty()
                && !features.get(0).attributes().containsKey(options.attribute())) {
            throw new GeoIOException("features: no field '" + options.attribute() + "' (fields: "
                    + String.join(", ", features.get(0).attributes().keySet())
                    + "); pass one of these fields as the label attribute");
        }
        return burn("features", features, CrsTransform.of(featuresCrs, grid.crs()), options, grid);
    }

    /** Rasterizes {@code features} over {@code window} of {@code raster}'s grid; the mask's window() is it. */
    public static RasterWindow rasterize(List<VectorFeature> features, Crs featuresCrs, RasterizeOptions options,
                                         GeoRaster raster, PixelWindow window) {
        RasterWindow mask = rasterize(features, featuresCrs, options, RasterGrid.of(raster, window));
        return mask.toBuilder().window(window).data(mask.data()).build();
    }

    /** @return the map envelope of the grid's four corners (rotation included) */
    static Envelope gridEnvelope(RasterGrid grid) {
        GeoTransform gt = grid.geoTransform();
        Envelope e = new Envelope(gt.pixelToMap(0, 0));
        e.expandToInclude(gt.pixelToMap(grid.width(), 0));
        e.expandToInclude(gt.pixelToMap(0, grid.height()));
        e.expandToInclude(gt.pixelToMap(grid.width(), grid.height()));
        return e;
    }

    private static RasterWindow burn(String sourceName, List<VectorFeature> features, CrsTransform toGrid,
                                     RasterizeOptions options, RasterGrid grid) {
        Gdal.quietThread();
        List<VectorFeature> normal = new ArrayList<>();
        List<VectorFeature> ignored = new ArrayList<>();
        List<Double> normalValues = new ArrayList<>();
        List<Double> ignoredValues = new ArrayList<>();
        TreeSet<String> unmapped = new TreeSet<>();
        for (VectorFeature f : features) {
            Double v = valueOf(sourceName, f, options, unmapped);
            if (v == null) {
                continue;
            }
            boolean ignore = options.ignoreValue() != null && v.doubleValue() == options.ignoreValue();
            (ignore ? ignored : normal).add(f);
            (ignore ? ignoredValues : normalValues).add(v);
        }
        if (!unmapped.isEmpty()) {
            throw new GeoIOException(sourceName + ": values of field '" + options.attribute() + "' missing from the"
                    + " class map: " + abbreviate(unmapped) + " (map keys: " + String.join(", ", options.classMap().keySet())
                    + "); add them to the class map" + (options.ignoreValue() == null ? "" : " or map them to "
                    + options.ignoreValue()));
        }
        RasterDataType type = options.dataType();
        Driver mem = gdal.GetDriverByName("MEM");
        Dataset ds = mem.Create("", grid.width(), grid.height(), 1, type.gdalType());
        DataSource vds = null;
        SpatialReference srs = grid.crs().spatialReference();
        try {
            ds.SetGeoTransform(grid.geoTransform().toGdal());
            ds.SetSpatialRef(srs);
            Band band = ds.GetRasterBand(1);
            band.Fill(options.background());
            vds = ogr.GetDriverByName("Memory").CreateDataSource("rasterize");
            Layer layer = vds.CreateLayer("features", srs, ogrConstants.wkbUnknown);
            layer.CreateField(new FieldDefn(BURN_FIELD, ogrConstants.OFTReal));
            Envelope gridBox = gridEnvelope(grid);
            BoxClipper clipper = new BoxClipper(grid);
            int burnt = addAll(layer, normal, normalValues, toGrid, gridBox, clipper)
                    + addAll(layer, ignored, ignoredValues, toGrid, gridBox, clipper);
            if (burnt > 0) {
                Vector<String> opts = new Vector<>();
                opts.add("ATTRIBUTE=" + BURN_FIELD);
                if (options.allTouched()) {
                    opts.add("ALL_TOUCHED=TRUE");
                }
                int rc = gdal.RasterizeLayer(ds, new int[] {1}, layer, null, opts);
                if (rc != gdalconstConstants.CE_None) {
                    throw new IllegalStateException(Gdal.lastError("rasterize failed"));
                }
            }
            LOG.debug("{}: burnt {} features ({} ignore) into {}x{}", sourceName, burnt, ignored.size(),
                    grid.width(), grid.height());
            RasterWindowBuilder b = RasterWindow.builder(type, 1, grid.width(), grid.height())
                    .geoTransform(grid.geoTransform()).crs(grid.crs());
            Object data = SampleArrays.allocate(type, grid.width() * grid.height());
            readBand(band, grid, type, data);
            return b.data(data).build();
        } catch (RuntimeException e) {
            if (e instanceof GeoIOException g) {
                throw g;
            }
            throw new GeoIOException(sourceName + ": GDAL could not rasterize the features ("
                    + Gdal.lastError(e, "unknown error") + "); check the geometries (ogr2ogr -makevalid)", e);
        } finally {
            if (vds != null) {
                vds.delete();
            }
            ds.delete();
            srs.delete();
        }
    }

    private static int addAll(Layer layer, List<VectorFeature> features, List<Double> values, CrsTransform toGrid,
                              Envelope gridBox, BoxClipper clipper) {
        WKBWriter writer = new WKBWriter(2);
        int n = 0;
        for (int i = 0; i < features.size(); i++) {
            Geometry g = features.get(i).geometry();
            if (g.isEmpty()) {
                continue;
            }
            Geometry projected = toGrid.transform(g);
            if (!projected.getEnvelopeInternal().intersects(gridBox)) {
                continue; // cannot touch the grid
            }
            projected = clipper.clip(projected);
            if (projected.isEmpty()) {
                continue;
            }
            org.gdal.ogr.Geometry og = ogr.CreateGeometryFromWkb(writer.write(projected));
            Feature f = new Feature(layer.GetLayerDefn());
            try {
                f.SetGeometryDirectly(og);
                f.SetField(BURN_FIELD, values.get(i));
                layer.CreateFeature(f);
                n++;
            } finally {
                f.delete();
            }
        }
        return n;
    }

    private static void readBand(Band band, RasterGrid grid, RasterDataType type, Object data) {
        int w = grid.width();
        int h = grid.height();
        int t = type.gdalType();
        int rc = switch (type) {
            case UINT8, INT8 -> band.ReadRaster(0, 0, w, h, w, h, t, (byte[]) data);
            case UINT16, INT16 -> band.ReadRaster(0, 0, w, h, w, h, t, (short[]) data);
            case UINT32, INT32 -> band.ReadRaster(0, 0, w, h, w, h, t, (int[]) data);
            case FLOAT32 -> band.ReadRaster(0, 0, w, h, w, h, t, (float[]) data);
            case FLOAT64 -> band.ReadRaster(0, 0, w, h, w, h, t, (double[]) data);
        };
        if (rc != gdalconstConstants.CE_None) {
            throw new IllegalStateException(Gdal.lastError("reading the mask failed"));
        }
    }

    /** The value to burn for {@code f}, or null to skip it; unmapped class-map values are collected. */
    private static Double valueOf(String sourceName, VectorFeature f, RasterizeOptions o, TreeSet<String> unmapped) {
        if (o.burnValue() != null) {
            return o.burnValue();
        }
        Object raw = f.attribute(o.attribute());
        String text = VectorFeature.labelText(raw);
        if (text == null) { // unset or blank
            if (o.ignoreValue() != null) {
                return o.ignoreValue().doubleValue();
            }
            throw new GeoIOException(sourceName + ": feature " + f.fid() + " has no value in field '" + o.attribute()
                    + "'; fill it, or set an ignoreValue so unlabelled features are burnt as ignore");
        }
        if (o.classMap() != null) {
            Integer c = o.classMap().get(text);
            if (c != null) {
                return c.doubleValue();
            }
            if (o.ignoreValue() != null && text.equals(String.valueOf(o.ignoreValue()))) {
                return o.ignoreValue().doubleValue();
            }
            unmapped.add(text);
            return null;
        }
        double v;
        if (raw instanceof Number n) {
            v = n.doubleValue();
        } else {
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new GeoIOException(sourceName + ": field '" + o.attribute() + "' holds text ('" + text
                        + "' in feature " + f.fid() + "); pass a class map such as {\"" + text + "\": 1}");
            }
        }
        if (!o.dataType().canHold(v)) {
            throw new GeoIOException(sourceName + ": feature " + f.fid() + " has " + o.attribute() + " = " + text
                    + ", which does not fit the mask type " + o.dataType() + "; use a class map or a wider dataType");
        }
        return v;
    }

    private static String abbreviate(TreeSet<String> values) {
        List<String> l = new ArrayList<>(values);
        String s = String.join(", ", l.subList(0, Math.min(10, l.size())));
        return l.size() > 10 ? s + ", ... (" + l.size() + " in all)" : s;
    }
}
