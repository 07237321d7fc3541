package io.geolightning.models.predict;

import io.geolightning.geo.Crs;
import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.RasterizeOptions;
import io.geolightning.geo.Rasterizer;
import io.geolightning.geo.VectorFeature;
import io.geolightning.tiling.Region;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * The polygons of an area of interest on a raster's grid: which windows meet them (the others are not run) and which
 * pixels lie inside them (GDAL's rasterisation, pixel centres; the others become nodata).
 */
final class AreaMask {
    private final GeoRaster raster;
    private final Crs crs;
    private final PreparedGeometry prepared;
    private final List<VectorFeature> polygons;

    private AreaMask(GeoRaster raster, Crs crs, Geometry polygons) {
        this.raster = raster;
        this.crs = crs;
        this.prepared = PreparedGeometryFactory.prepare(polygons);
        this.polygons = List.of(new VectorFeature(0, polygons, Map.of()));
    }

    /**
     * @param raster the raster being predicted
     * @param area the area (its polygons, any CRS)
     * @return the mask, or null when the area has no polygons (a box: the raster is already cut to it)
     */
    static AreaMask of(GeoRaster raster, Region area) {
        if (area == null || area.aoi() == null) {
            return null;
        }
        Crs rasterCrs = raster.requireCrs();
        Geometry g = area.aoiGeometry();
        if (area.parsedCrs() != null) {
            g = CrsTransform.of(area.parsedCrs(), rasterCrs).transform(g);
        }
        return new AreaMask(raster, rasterCrs, g);
    }

    /** @return true when the window's footprint meets the polygons */
    boolean meets(PixelWindow window) {
        return prepared.intersects(raster.footprint(window));
    }

    /**
     * @param window pixels of the raster
     * @return per pixel (row-major), whether its centre lies in the polygons
     */
    boolean[] inside(PixelWindow window) {
        RasterWindow burnt = Rasterizer.rasterize(polygons, crs, RasterizeOptions.builder().burnValue(1).background(0)
                .build(), raster, window);
        byte[] b = burnt.bytes();
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }
}
