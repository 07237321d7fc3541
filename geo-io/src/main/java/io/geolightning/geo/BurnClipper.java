package io.geolightning.geo;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.operation.overlayng.RingClipper;

/**
 * Cuts large polygons down to the part near a rasterization grid before GDAL burns them: a label polygon of tens of
 * thousands of vertices (a land-cover class polygonized from a raster, with thousands of holes) is otherwise
 * serialised and scanned whole for every chip it touches. Each ring is clipped on its own to a box around the grid
 * (JTS's {@link RingClipper}, Sutherland-Hodgman against the box's four sides), which keeps the winding number, and
 * so GDAL's even-odd fill, of every point inside the box; the box reaches {@value #MARGIN_PIXELS} pixels beyond the
 * grid so that the edges the clipping adds along its sides touch no pixel of the grid, with or without
 * {@code ALL_TOUCHED}. Rings outside the box are dropped, rings inside it kept as they are; lines, points and small
 * polygons are burnt whole.
 */
final class BurnClipper {

    /** Pixels between the grid and the clipping box. */
    static final int MARGIN_PIXELS = 2;
    /** Polygons with fewer vertices are burnt whole: clipping them would cost about what it saves. */
    static final int MIN_POINTS = 64;

    private final Envelope box;
    private final RingClipper clipper;

    /**
     * @param grid the grid the geometries are burnt onto
     */
    BurnClipper(RasterGrid grid) {
        GeoTransform gt = grid.geoTransform();
        Envelope e = new Envelope(gt.pixelToMap(0, 0));
        e.expandToInclude(gt.pixelToMap(grid.width(), 0));
        e.expandToInclude(gt.pixelToMap(0, grid.height()));
        e.expandToInclude(gt.pixelToMap(grid.width(), grid.height()));
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
    Geometry clip(Geometry g) {
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
