package io.geolightning.tiling.labels;

import io.geolightning.geo.BoxClipper;
import io.geolightning.geo.Crs;
import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterGrid;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.RasterizeOptions;
import io.geolightning.geo.Rasterizer;
import io.geolightning.geo.VectorFeature;
import io.geolightning.tiling.Chip;
import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * A {@link LabelSet} reprojected into one raster's CRS and indexed (STR-tree), answering per chip: its class
 * (classification) or its mask (segmentation, burnt by geo-io's {@link Rasterizer}); raster labels are read on the
 * raster's grid instead ({@link RasterLabelSource}). Thread-safe after construction; close it when the scene is done.
 */
public final class SceneLabels implements AutoCloseable {
    private final LabelSet labels;
    private final Crs rasterCrs;
    private final STRtree index = new STRtree();
    private final RasterizeOptions rasterize;
    private final GeometryFactory factory = new GeometryFactory();
    private final RasterLabelSource rasterSource;

    /**
     * @return a hint when labels declared in longitude/latitude have coordinates no longitude or latitude can have
     *     (a GeoJSON file written in a projected CRS without a "crs" member is read as WGS 84), else ""
     */
    private static String notDegrees(LabelSet labels) {
        Envelope e = labels.extent();
        if (!labels.crs().isGeographic() || e.isNull()
                || (e.getMinX() >= -360 && e.getMaxX() <= 360 && e.getMinY() >= -90 && e.getMaxY() <= 90)) {
            return "";
        }
        return "its coordinates are not longitudes and latitudes, so the file does not declare the CRS it was written"
                + " in (GeoJSON without a \"crs\" member is read as WGS 84): rewrite it with ogr2ogr -s_srs EPSG:<its"
                + " code> -t_srs EPSG:4326, or ";
    }

    /** @return the hint when the labels' degrees are latitudes first, and swapped would fall on the raster */
    private static String swapped(LabelSet labels, CrsTransform toRaster, Envelope rasterBounds) {
        return toRaster.swappedMeets(labels.extent(), rasterBounds) ? "its coordinates look like latitude, longitude"
                + " pairs, which swapped fall on the raster (GIS files hold x, the longitude, first): swap X and Y in"
                + " the file (QGIS: Swap X and Y coordinates), or " : "";
    }

    /**
     * Reprojects the labels into {@code raster}'s CRS.
     *
     * @throws TilingException when the raster has no CRS or the labels do not overlap it (naming both extents and CRSs)
     */
    public SceneLabels(LabelSet labels, GeoRaster raster) {
        this.labels = labels;
        String rasterName = raster.path().fileName();
        this.rasterCrs = raster.crs().orElseThrow(() -> new TilingException(rasterName + ": raster has no CRS, so "
                + labels.sourceName() + " cannot be placed on it; " + raster.missingCrsFix()));
        if (!raster.hasGeoTransform()) { // its pixel grid would be taken for map coordinates
            throw new TilingException(rasterName + ": raster has no geotransform (pixel-to-map coordinates), so "
                    + labels.sourceName() + " cannot be placed on it; " + raster.missingGeoTransformFix());
        }
        CrsTransform t = CrsTransform.of(labels.crs(), rasterCrs);
        Envelope rasterBounds = raster.bounds();
        Envelope labelsInRaster;
        try {
            labelsInRaster = t.transform(labels.extent());
        } catch (GeoIOException e) {
            labelsInRaster = new Envelope();
        }
        if (!labelsInRaster.intersects(rasterBounds)) {
            throw new TilingException(labels.sourceName() + ": labels do not overlap raster " + rasterName
                    + " (labels extent " + fmt(labels.extent()) + " in " + labels.crs() + " = " + fmt(labelsInRaster)
                    + " in " + rasterCrs + "; raster extent " + fmt(rasterBounds) + " in " + rasterCrs
                    + "); " + notDegrees(labels) + swapped(labels, t, rasterBounds) + "pass labels of the same area or"
                    + " fix the CRS declared by one of the files");
        }
        List<VectorFeature> all = labels.features();
        for (int rank = 0; rank < all.size(); rank++) {
            VectorFeature f = all.get(rank);
            if (f.geometry().isEmpty() || !f.geometry().getEnvelopeInternal().intersects(labels.extent())) {
                continue;
            }
            Geometry g;
            try {
                g = t.transform(f.geometry());
            } catch (GeoIOException e) {
                continue; // outside the raster CRS's area of use: cannot fall on the raster
            }
            if (g.getEnvelopeInternal().intersects(rasterBounds)) {
                index.insert(g.getEnvelopeInternal(), new Ranked(rank, f.withGeometry(g)));
            }
        }
        index.build();
        LabelConfig c = labels.config();
        if (c.task() == LabelTask.SEGMENTATION) {
            RasterizeOptions.Builder b = RasterizeOptions.builder()
                    .background(labels.backgroundId())
                    .allTouched(c.allTouched());
            if (c.attribute() == null) {
                b.burnValue((double) labels.classNames().size() - 1);
            } else {
                b.classMap(c.attribute(), labels.valueClassMap());
            }
            if (c.ignoreValue() != null) {
                b.ignoreValue(c.ignoreValue());
            }
            rasterize = b.build();
        } else {
            rasterize = null;
        }
        rasterSource = labels.isRaster() ? RasterLabelSource.onGrid(labels, raster) : null;
    }

    /** @return the labels */
    public LabelSet labels() {
        return labels;
    }

    /** @return the rasterize options used for masks (segmentation), or null */
    public RasterizeOptions rasterizeOptions() {
        return rasterize;
    }

    /** A feature in the raster CRS and its position in the layer's reading order. */
    private record Ranked(int rank, VectorFeature feature) {
    }

    /**
     * Features (in the raster CRS) whose bounding box meets {@code env}, in the order the layer was read: the order
     * in which GDAL's rasterizer burns a layer, so a later feature covers an earlier one where they overlap (an FID
     * is not that order: a GeoJSON feature's {@code id} becomes its FID).
     */
    @SuppressWarnings("unchecked")
    public List<VectorFeature> candidates(Envelope env) {
        List<Ranked> found = new ArrayList<>((List<Ranked>) index.query(env));
        found.sort(java.util.Comparator.comparingInt(Ranked::rank));
        return found.stream().map(Ranked::feature).toList();
    }

    /** True when some label polygon intersects the chip. */
    public boolean overlaps(Chip chip) {
        if (rasterSource != null) {
            int ignore = labels.config().maskIgnoreValue();
            for (byte b : rasterSource.mask(chip.window())) {
                if ((b & 0xFF) != ignore) {
                    return true;
                }
            }
            return false;
        }
        Geometry box = factory.toGeometry(chip.bounds());
        for (VectorFeature f : candidates(chip.bounds())) {
            if (f.geometry().intersects(box)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The chip's class by the rule: the class with the largest intersection area, if it covers at least
     * minCoverage of the chip; else the background class; else empty (skip the chip).
     */
    public Optional<Integer> classify(Chip chip, Geometry footprint) {
        double chipArea = footprint.getArea();
        ClassAreas classes = new ClassAreas(footprint);
        if (rasterSource != null) { // pixels stand for area: a chip's class by the pixels of each class
            byte[] m = rasterSource.mask(chip.window());
            int ignore = labels.config().maskIgnoreValue();
            long[] pixels = new long[256];
            for (byte b : m) {
                pixels[b & 0xFF]++;
            }
            for (int c = 0; c < pixels.length; c++) {
                if (pixels[c] > 0 && c != ignore) {
                    classes.add(c, chipArea * pixels[c] / m.length);
                }
            }
        }
        // a north-up chip's footprint is its box: a polygon inside the box is inside the chip, and the rings of one
        // crossing it are clipped without an overlay; a rotated chip's box holds more than the chip
        boolean rectangle = footprint.isRectangle();
        for (VectorFeature f : candidates(footprint.getEnvelopeInternal())) {
            Integer cls = labels.classOf(f);
            if (cls == null) {
                continue;
            }
            Geometry g = f.geometry();
            double a;
            if (rectangle && footprint.getEnvelopeInternal().contains(g.getEnvelopeInternal())) {
                a = g.getArea();
            } else if (g instanceof Polygonal && rectangle) {
                a = BoxClipper.areaInside(g, footprint.getEnvelopeInternal());
            } else if (!g.intersects(footprint)) {
                continue;
            } else {
                a = OverlayNGRobust.overlay(g, footprint, OverlayNG.INTERSECTION).getArea();
            }
            if (a > 0) {
                classes.add(cls, g, a);
            }
        }
        Map<Integer, Double> area = classes.areas();
        Integer best = null;
        double bestArea = 0;
        for (var e : area.entrySet()) {
            if (e.getValue() > bestArea || (e.getValue() == bestArea && best != null && e.getKey() < best)) {
                best = e.getKey();
                bestArea = e.getValue();
            }
        }
        if (best != null && bestArea > 0 && bestArea >= labels.config().rule().minCoverage() * chipArea) {
            return Optional.of(best);
        }
        return Optional.ofNullable(labels.backgroundId());
    }

    /** The chip's mask (height x width class ids, one byte each) burnt by geo-io's Rasterizer. */
    public byte[] mask(GeoRaster raster, Chip chip) {
        if (rasterSource != null) {
            return rasterSource.mask(chip.window());
        }
        List<VectorFeature> feats = candidates(chip.bounds()); // layer order decides overlaps, as in GDAL
        try {
            RasterWindow m = Rasterizer.rasterize(feats, rasterCrs, rasterize,
                    RasterGrid.of(raster, chip.window()));
            return m.bytes();
        } catch (GeoIOException e) {
            throw new TilingException(e.getMessage(), e);
        }
    }

    /** @return true when the mask holds no foreground pixel (only background or ignore) */
    public boolean isNegative(byte[] mask) {
        int bg = labels.backgroundId() == null ? -1 : labels.backgroundId();
        Integer ignore = labels.config().ignoreValue();
        for (byte b : mask) {
            int v = b & 0xFF;
            if (v != bg && (ignore == null || v != ignore)) {
                return false;
            }
        }
        return true;
    }

    static String fmt(Envelope e) {
        if (e.isNull()) {
            return "[empty]";
        }
        return String.format(Locale.ROOT, "[%.6g, %.6g, %.6g, %.6g]", e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
    }

    @Override
    public void close() {
        if (rasterSource != null) {
            rasterSource.close();
        }
    }

    @Override
    public String toString() {
        return "SceneLabels[" + labels.sourceName() + " -> " + rasterCrs + ", classes "
                + labels.classNames().stream().collect(Collectors.joining(",")) + "]";
    }
}
