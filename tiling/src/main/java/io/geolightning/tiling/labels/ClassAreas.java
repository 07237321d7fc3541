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
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * The area each class covers inside one chip, from the label polygons that meet it: the polygons' areas inside the
 * chip add up, except where polygons of one class overlap (a feature drawn twice, nested or overlapping polygons),
 * whose area counts once, as in the class's pixels of a segmentation mask. Most chips have no such overlap, and their
 * areas are never unioned: only a class with two polygons whose interiors meet inside the chip is.
 */
final class ClassAreas {
    private record Part(Geometry geometry, double area) {
    }

    private final Geometry footprint;
    private final Envelope box;
    private final Map<Integer, List<Part>> parts = new HashMap<>();

    /** @param footprint the chip's footprint in the labels' CRS */
    ClassAreas(Geometry footprint) {
        this.footprint = footprint;
        this.box = footprint.getEnvelopeInternal();
    }

    /** Adds a polygon of class {@code cls} whose area inside the chip is {@code area}. */
    void add(int cls, Geometry polygon, double area) {
        parts.computeIfAbsent(cls, k -> new ArrayList<>()).add(new Part(polygon, area));
    }

    /** Adds an area of class {@code cls} that overlaps nothing else of its class (a label raster's pixels). */
    void add(int cls, double area) {
        parts.computeIfAbsent(cls, k -> new ArrayList<>()).add(new Part(null, area));
    }

    /** @return class id -> area inside the chip, each overlap within a class counted once */
    Map<Integer, Double> areas() {
        Map<Integer, Double> out = new HashMap<>();
        parts.forEach((cls, list) -> out.put(cls, overlaps(list) ? union(list) : sum(list)));
        return out;
    }

    private static double sum(List<Part> list) {
        double a = 0;
        for (Part p : list) {
            a += p.area();
        }
        return a;
    }

    /** Whether two polygons' interiors meet inside the chip (a sweep over their boxes, then their relation). */
    private boolean overlaps(List<Part> list) {
        List<Part> polygons = new ArrayList<>();
        for (Part p : list) {
            if (p.geometry() != null) {
                polygons.add(p);
            }
        }
        if (polygons.size() < 2) {
            return false;
        }
        List<Envelope> boxes = new ArrayList<>();
        for (Part p : polygons) {
            Envelope e = p.geometry().getEnvelopeInternal().intersection(box);
            boxes.add(e);
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

    private double union(List<Part> list) {
        List<Geometry> inside = new ArrayList<>();
        double other = 0;
        for (Part p : list) {
            if (p.geometry() == null) {
                other += p.area();
            } else {
                inside.add(OverlayNGRobust.overlay(p.geometry(), footprint, OverlayNG.INTERSECTION));
            }
        }
        return other + UnaryUnionOp.union(inside).getArea();
    }
}
