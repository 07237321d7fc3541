package io.geolightning.tiling;

import io.geolightning.geo.Crs;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import java.util.List;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a spatial split's block size in metres ({@code --block 5000m}) into map units of the scenes' CRS: the same
 * ground distance in a CRS in metres, US survey feet or degrees (where a degree of longitude spans less ground than one
 * of latitude, so blocks are narrower east-west, by the cosine of the latitude).
 */
final class BlockUnits {
    private static final Logger LOG = LoggerFactory.getLogger(BlockUnits.class);

    private BlockUnits() {
    }

    /**
     * @param split the split as configured
     * @param rasters the scenes the tiler reads (one CRS unit for all of them)
     * @return the split with its block grid in map units
     * @throws TilingException when the scenes' CRSs have no unit or different units
     */
    static SplitConfig inMapUnits(SplitConfig split, List<GeoRaster> rasters) {
        BlockGrid grid = split.grid();
        if (grid == null || !grid.inMetres()) {
            return split;
        }
        double perUnit = 1;
        Crs crs = null;
        String block = "block " + grid.sizeText() + "m";
        for (GeoRaster r : rasters) {
            Crs c = r.crs().orElse(null);
            OptionalDouble m = c == null ? OptionalDouble.empty() : c.metresPerUnit();
            if (m.isEmpty()) {
                throw new TilingException(block + ": the CRS of " + r.path().fileName() + " has no unit to measure"
                        + " metres in; give the block in chips (e.g. 4)");
            }
            if (crs != null && Math.abs(m.getAsDouble() - perUnit) > 1e-9 * perUnit) {
                throw new TilingException(block + ": " + r.path().fileName() + " (" + c.name() + ") and the first"
                        + " scene (" + crs.name() + ") measure in different units; give the block in chips (e.g. 4)"
                        + " or tile each CRS on its own");
            }
            perUnit = m.getAsDouble();
            crs = c;
        }
        BlockGrid units = grid.inMapUnits(perUnit);
        if (perUnit != 1) {
            LOG.info("spatial blocks of {} m = {} {} of {} ({} m a unit{})", grid.sizeText(), units.sizeText(),
                    crs.isGeographic() ? "degrees" : "map units", crs.name(), perUnit,
                    crs.isGeographic() ? " along a meridian; narrower east-west" : "");
        }
        return new SplitConfig(split.kind(), units, split.ratios(), split.seed(), split.strict());
    }
}
