package io.geolightning.geo;

import org.gdal.osr.CoordinateTransformation;
import org.gdal.osr.SpatialReference;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.util.GeometryTransformer;

/**
 * Transforms JTS geometries and envelopes between two CRSs with PROJ (through OSR), x = easting/longitude and
 * y = northing/latitude on both sides. When the CRSs are equivalent it is an identity and copies nothing.
 * Thread-safe (transform calls are synchronized).
 */
public final class CrsTransform {
    /** Points per envelope edge used when transforming envelopes. */
    public static final int ENVELOPE_DENSIFY_POINTS = 21;

    private final Crs from;
    private final Crs to;
    private final CoordinateTransformation transformation; // null for identity

    private CrsTransform(Crs from, Crs to, CoordinateTransformation transformation) {
        this.from = from;
        this.to = to;
        this.transformation = transformation;
    }

    /** The transform from {@code from} to {@code to}. */
    public static CrsTransform of(Crs from, Crs to) {
        Gdal.quietThread();
        if (from.isEquivalent(to)) {
            return new CrsTransform(from, to, null);
        }
        SpatialReference a = from.spatialReference();
        SpatialReference b = to.spatialReference();
        try {
            CoordinateTransformation ct = CoordinateTransformation.CreateCoordinateTransformation(a, b);
            if (ct == null) {
                throw new IllegalStateException(Gdal.lastError("no transformation"));
            }
            return new CrsTransform(from, to, ct);
        } catch (RuntimeException e) {
            throw new GeoIOException("CRS transform " + from + " -> " + to + ": PROJ cannot build it ("
                    + Gdal.lastError(e, "no operation") + "); check both CRS definitions and the PROJ database", e);
        } finally {
            a.delete();
            b.delete();
        }
    }

    /** Source CRS. */
    public Crs from() {
        return from;
    }

    /** Target CRS. */
    public Crs to() {
        return to;
    }

    /** True when the CRSs are equivalent and nothing moves. */
    public boolean isIdentity() {
        return transformation == null;
    }

    /** The reverse transform. */
    public CrsTransform inverse() {
        return isIdentity() ? new CrsTransform(to, from, null) : of(to, from);
    }

    /** Transforms one coordinate (x/lon, y/lat). */
    public synchronized Coordinate transform(Coordinate c) {
        if (isIdentity()) {
            return c.copy();
        }
        double[][] p = {{c.x, c.y}};
        transformPoints(p);
        return new Coordinate(p[0][0], p[0][1]);
    }

    /** A transformed copy of {@code geometry} (the same instance when this is an identity). */
    public synchronized Geometry transform(Geometry geometry) {
        if (isIdentity() || geometry.isEmpty()) {
            return geometry;
        }
        Geometry out = new GeometryTransformer() {
            @Override
            protected CoordinateSequence transformCoordinates(CoordinateSequence coords, Geometry parent) {
                CoordinateSequence copy = coords.copy();
                int n = copy.size();
                if (n == 0) {
                    return copy;
                }
                double[][] pts = new double[n][2];
                for (int i = 0; i < n; i++) {
                    pts[i][0] = copy.getX(i);
                    pts[i][1] = copy.getY(i);
                }
                transformPoints(pts);
                for (int i = 0; i < n; i++) {
                    copy.setOrdinate(i, CoordinateSequence.X, pts[i][0]);
                    copy.setOrdinate(i, CoordinateSequence.Y, pts[i][1]);
                }
                return copy;
            }
        }.transform(geometry);
        out.setSRID(geometry.getSRID());
        out.setUserData(geometry.getUserData());
        return out;
    }

    /**
     * The envelope, in the target CRS, of {@code envelope}'s area: edges are densified
     * ({@value #ENVELOPE_DENSIFY_POINTS} points each) so a curved projected outline is fully covered.
     */
    public synchronized Envelope transform(Envelope envelope) {
        if (isIdentity() || envelope.isNull()) {
            return new Envelope(envelope);
        }
        double[] out = new double[4];
        try {
            transformation.TransformBounds(out, envelope.getMinX(), envelope.getMinY(), envelope.getMaxX(),
                    envelope.getMaxY(), ENVELOPE_DENSIFY_POINTS);
        } catch (RuntimeException e) {
            throw failure(envelope.toString(), e);
        }
        for (double v : out) {
            if (!Double.isFinite(v)) {
                throw failure(envelope.toString(), null);
            }
        }
        return new Envelope(out[0], out[2], out[1], out[3]);
    }

    /**
     * Whether a box in a geographic source CRS looks written latitude first: its x values are valid latitudes, and the
     * box with its axes swapped (longitudes first, as GIS software writes coordinates) meets {@code target}.
     *
     * @param box a box in the source CRS
     * @param target a box in the target CRS
     * @return false when the source CRS is not geographic, the box's x are not latitudes, or PROJ cannot place it
     */
    public boolean swappedMeets(Envelope box, Envelope target) {
        if (!from.isGeographic() || box.isNull() || box.getMinX() < -90 || box.getMaxX() > 90) {
            return false;
        }
        try {
            return transform(new Envelope(box.getMinY(), box.getMaxY(), box.getMinX(), box.getMaxX()))
                    .intersects(target);
        } catch (GeoIOException e) {
            return false; // not a box PROJ can place: no hint
        }
    }

    private void transformPoints(double[][] pts) {
        try {
            transformation.TransformPoints(pts);
        } catch (RuntimeException e) {
            throw failure("(" + pts[0][0] + ", " + pts[0][1] + ")...", e);
        }
        for (double[] p : pts) {
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                throw failure("(" + p[0] + ", " + p[1] + ")", null);
            }
        }
    }

    private GeoIOException failure(String what, RuntimeException e) {
        return new GeoIOException("coordinates " + what + ": cannot be transformed from " + from + " to " + to + " ("
                + Gdal.lastError(e, "outside the area of use") + "); check that the data's declared CRS is right", e);
    }

    @Override
    public String toString() {
        return "CrsTransform[" + from + " -> " + to + "]";
    }
}
