package io.geolightning.tiling;

import io.geolightning.geo.Crs;
import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.tiling.labels.SceneLabels;
import io.geolightning.tiling.splits.ItemSequence;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * The candidate chips of a tiling run, scene after scene in the configuration's order: a scene's grid chips row by
 * row from the top-left ({@link GridChips}, made on demand, so a huge raster costs no memory per chip), or its
 * randomly sampled chips (a list of the requested count). Candidate {@code i} is the same chip every time it is asked
 * for. Immutable.
 */
final class ChipCandidates {
    private final List<ItemSequence<Chip>> scenes;
    private final long[] starts;
    private final long size;

    private ChipCandidates(List<ItemSequence<Chip>> scenes) {
        this.scenes = List.copyOf(scenes);
        this.starts = new long[scenes.size()];
        long n = 0;
        for (int i = 0; i < scenes.size(); i++) {
            starts[i] = n;
            n += scenes.get(i).size();
        }
        this.size = n;
    }

    /**
     * Places the chips of every scene (inside the configured region, if any) on a grid or at random.
     *
     * @param rasters the scenes, in the configuration's order
     * @param labels each scene's labels (null entries when unlabelled): random sampling may keep only chips touching
     *               a label polygon
     */
    static ChipCandidates place(TilingConfig config, List<GeoRaster> rasters, List<SceneLabels> labels) {
        List<ItemSequence<Chip>> out = new ArrayList<>();
        for (int i = 0; i < rasters.size(); i++) {
            GeoRaster r = rasters.get(i);
            SceneLabels l = labels.get(i);
            PixelWindow area = config.region() == null ? r.extent()
                    : ChipGrid.regionWindow(r, config.region().envelope(), config.region().parsedCrs());
            if (config.randomCount() > 0) {
                RandomChipSampler sampler = new RandomChipSampler(config.chipSize(), config.randomCount(),
                        config.samplingSeed() + i);
                out.add(ItemSequence.of(sampler.sample(r, area, c -> !config.requireLabelOverlap() || l == null
                        || l.overlaps(c))));
            } else if (config.region() != null && config.region().aoi() != null) {
                // every chip that meets the polygons, those crossing their box's edge too
                ChipGrid grid = new ChipGrid(config.chipSize(), config.stride(), config.edge());
                out.add(ItemSequence.of(inside(grid.chips(r, grid.meeting(area, r.extent())), r, config.region())));
            } else {
                out.add(new ChipGrid(config.chipSize(), config.stride(), config.edge()).layout(r, area));
            }
        }
        return of(out);
    }

    /** @return the chips that meet the region's area of interest (its polygons in the raster's CRS) */
    private static List<Chip> inside(List<Chip> chips, GeoRaster r, Region region) {
        Crs rasterCrs = r.crs().orElse(null);
        Geometry aoi = region.aoiGeometry();
        if (region.crs() != null && rasterCrs != null) {
            aoi = CrsTransform.of(region.parsedCrs(), rasterCrs).transform(aoi);
        }
        PreparedGeometry p = PreparedGeometryFactory.prepare(aoi);
        return chips.stream().filter(c -> p.intersects(r.footprint(c.window()))).toList();
    }

    /** The candidates of scenes already placed, in order. */
    static ChipCandidates of(List<ItemSequence<Chip>> scenes) {
        return new ChipCandidates(scenes);
    }

    /** @return the number of candidates */
    long size() {
        return size;
    }

    /** @return each scene's chips, in order */
    List<ItemSequence<Chip>> scenes() {
        return scenes;
    }

    /** @return candidate {@code index}, 0 &lt;= index &lt; {@link #size()} */
    Chip get(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(Long.toString(index));
        }
        int s = scenes.size() - 1;
        while (starts[s] > index) {
            s--;
        }
        return scenes.get(s).get(index - starts[s]);
    }
}
