package io.geolightning.geo;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.Area;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.operation.overlayng.RingClipper;

/**
 * Polygons cut to an axis-aligned box, ring by ring, for work that only needs what lies inside it: burning (the
 * polygons near a rasterization grid, {@link #clip}) and measuring (the area inside a chip, {@link #areaInside}).
 *
 * <p>Burning: large polygons are cut down to the part near a rasterization grid before GDAL burns them: a label
 * polygon of tens of thousands of vertices (a land-cover class polygonized from a raster, with thousands of holes) is
 * otherwise serialised and scanned whole for every chip it touches. Each ring is clipped on its own to a box around
 * the grid (JTS's {@link RingClipper}, Sutherland-Hodgman against the box's four sides), which keeps the winding
 * number, and so GDAL's even-odd fill, of every point inside the box; the box reaches {@value #MARGIN_PIXELS} pixels
 * beyond the grid so that the edges the clipping adds along its sides touch no pixel of the grid, with or without
 * {@code ALL_TOUCHED}. Rings outside the box are dropped, rings inside it kept as they are; lines, points and small
 * polygons are burnt whole.
 */
public final class BoxClipper {

    /** Pixels between the grid and the clipping box. */
    static final int MARGIN_PIXELS = 2;
    /** Polygons with fewer vertices are burnt whole: clipping them would cost about what it saves. */
    static final int MIN_POINTS = 64;

    private final Envelope box;
    private final RingClipper clipper;

    /**
     * @param grid the grid the geometries are burnt onto
     */
    public BoxClipper(RasterGrid grid) {
        GeoTransform gt = grid.geoTransform();
        Envelope e = Rasterizer.gridEnvelope(grid);
        // a pixel's extent along x and y in map units, rotation included
        Coordinate o = gt.pixelToMap(0, 0);
        Coordinate dx = gt.pixelToMap(1, 0);
        Coordinate dy = gt.pixelToMap(0, 1);
        double pixel = Math.abs(dx.x - o.x) + Math.abs(dy.x - o.x) + Math.abs(dx.y - o.y) + Math.abs(dy.y - o.y);
        e.expandBy(MARGIN_PIXELS * pixel);
        this.box = e;
        this.clipper = new RingClipper(e);
    }

    /**
     * @param g a geometry in the grid's CRS
     * @return the geometry to burn in its place: {@code g} itself, or its polygons clipped to the box (possibly empty)
     */
    public Geometry clip(Geometry g) {
        if (!(g instanceof Polygonal) || g.getNumPoints() < MIN_POINTS || box.covers(g.getEnvelopeInternal())) {
            return g;
        }
        GeometryFactory f = g.getFactory();
        List<Polygon> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Polygon p = (Polygon) g.getGeometryN(i);
            LinearRing shell = ring(p.getExteriorRing(), f);
            if (shell == null) {
                continue; // outside the box, or collapsed onto its side: covers no pixel of the grid
            }
            List<LinearRing> holes = new ArrayList<>();
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                LinearRing hole = ring(p.getInteriorRingN(h), f);
                if (hole != null) {
                    holes.add(hole);
                }
            }
            parts.add(f.createPolygon(shell, holes.toArray(LinearRing[]::new)));
        }
        return parts.size() == 1 ? parts.get(0) : f.createMultiPolygon(parts.toArray(Polygon[]::new));
    }

    /**
     * The area of a valid polygon or multipolygon inside an axis-aligned box, from its rings clipped to the box (each
     * ring's part inside the box, holes subtracted): what {@code g.intersection(box).getArea()} gives, without the
     * overlay's noding, so a polygon of many vertices and holes costs about one pass over the rings near the box.
     *
     * @param g a valid polygonal geometry (other geometries have no area: 0)
     * @param box the box
     * @return the area of {@code g} inside {@code box}
     */
    public static double areaInside(Geometry g, Envelope box) {
        if (!(g instanceof Polygonal) || box.disjoint(g.getEnvelopeInternal())) {
            return 0;
        }
        if (box.covers(g.getEnvelopeInternal())) {
            return g.getArea();
        }
        RingClipper clipper = new RingClipper(box);
        double area = 0;
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Polygon p = (Polygon) g.getGeometryN(i);
            area += ringArea(p.getExteriorRing(), box, clipper);
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                area -= ringArea(p.getInteriorRingN(h), box, clipper);
            }
        }
        return Math.max(0, area);
    }

    private static double ringArea(LinearRing r, Envelope box, RingClipper clipper) {
        Envelope env = r.getEnvelopeInternal();
        if (box.disjoint(env)) {
            return 0;
        }
        Coordinate[] pts = box.covers(env) ? r.getCoordinates() : clipper.clip(r.getCoordinates());
        return pts.length < 4 ? 0 : Area.ofRing(pts);
    }

    private LinearRing ring(LinearRing r, GeometryFactory f) {
        Envelope env = r.getEnvelopeInternal();
        if (box.covers(env)) {
            return r;
        }
        if (box.disjoint(env)) {
            return null; // winds around no point of the box
        }
        Coordinate[] pts = clipper.clip(r.getCoordinates());
        return pts.length >= 4 ? f.createLinearRing(pts) : null;
    }
}
