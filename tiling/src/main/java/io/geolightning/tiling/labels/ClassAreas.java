package io.geolightning.tiling.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * The area each class covers inside one chip, from the label polygons that meet it, added in the layer's order: the
 * pixels each class holds in the chip's segmentation mask, measured exactly. The polygons' areas inside the chip add
 * up, except where polygons overlap: a polygon added later covers the earlier ones there, as it does in a mask burnt by
 * gdal_rasterize (so the overlap of two polygons of one class counts once, and the overlap of two classes counts for
 * the later class only). Most chips have no overlap, and their areas are never overlaid: only a chip where two
 * polygons' interiors meet is.
 */
final class ClassAreas {
    private record Part(int cls, Geometry geometry, double area) {
    }

    private final Geometry footprint;
    private final Envelope box;
    private final List<Part> parts = new ArrayList<>();

    /** @param footprint the chip's footprint in the labels' CRS */
    ClassAreas(Geometry footprint) {
        this.footprint = footprint;
        this.box = footprint.getEnvelopeInternal();
    }

    /** Adds a polygon of class {@code cls} whose area inside the chip is {@code area}; call in the layer's order. */
    void add(int cls, Geometry polygon, double area) {
        parts.add(new Part(cls, polygon, area));
    }

    /** Adds an area of class {@code cls} that overlaps nothing else (a label raster's pixels). */
    void add(int cls, double area) {
        parts.add(new Part(cls, null, area));
    }

    /** @return class id -> area inside the chip, each overlap counted once, for the polygon added last */
    Map<Integer, Double> areas() {
        Map<Integer, Double> out = new HashMap<>();
        if (!overlaps()) {
            parts.forEach(p -> out.merge(p.cls(), p.area(), Double::sum));
            return out;
        }
        Geometry covered = null; // the chip's part covered by the polygons after the one at hand
        for (int i = parts.size() - 1; i >= 0; i--) {
            Part p = parts.get(i);
            if (p.geometry() == null) {
                out.merge(p.cls(), p.area(), Double::sum);
                continue;
            }
            Geometry inside = OverlayNGRobust.overlay(p.geometry(), footprint, OverlayNG.INTERSECTION);
            double visible = covered == null ? inside.getArea()
                    : OverlayNGRobust.overlay(inside, covered, OverlayNG.DIFFERENCE).getArea();
            out.merge(p.cls(), visible, Double::sum);
            covered = covered == null ? inside : OverlayNGRobust.overlay(covered, inside, OverlayNG.UNION);
        }
        return out;
    }

    /** Whether two polygons' interiors meet inside the chip (a sweep over their boxes, then their relation). */
    private boolean overlaps() {
        List<Part> polygons = new ArrayList<>();
        for (Part p : parts) {
            if (p.geometry() != null) {
                polygons.add(p);
            }
        }
        if (polygons.size() < 2) {
            return false;
        }
        List<Envelope> boxes = new ArrayList<>();
        for (Part p : polygons) {
            boxes.add(p.geometry().getEnvelopeInternal().intersection(box));
        }
        Integer[] order = new Integer[polygons.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> boxes.get(i).getMinX()));
        for (int a = 0; a < order.length; a++) {
            Envelope ea = boxes.get(order[a]);
            for (int b = a + 1; b < order.length && boxes.get(order[b]).getMinX() < ea.getMaxX(); b++) {
                Envelope eb = boxes.get(order[b]);
                if (eb.getMinY() < ea.getMaxY() && ea.getMinY() < eb.getMaxY()
                        && polygons.get(order[a]).geometry().relate(polygons.get(order[b]).geometry(), "T********")) {
                    return true;
                }
            }
        }
        return false;
    }
}
