package io.geolightning.tiling;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples {@code count} chips of {@code size x size} pixels uniformly over a raster or a pixel window of it (TorchGeo's
 * RandomGeoSampler), aligned to whole pixels, reproducibly from a seed. An optional predicate (e.g. "overlaps a
 * label") rejects candidates; sampling gives up after 50 tries per chip and logs how many it found.
 *
 * @param size chip side in pixels
 * @param count chips to draw
 * @param seed random seed
 */
public record RandomChipSampler(int size, int count, long seed) {
    private static final Logger LOG = LoggerFactory.getLogger(RandomChipSampler.class);

    /** Validates. */
    public RandomChipSampler {
        if (size < 1 || count < 1) {
            throw new TilingException("random sampler: size " + size + " / count " + count + ": both must be at least 1");
        }
    }

    /** Samples over the whole raster. */
    public List<Chip> sample(GeoRaster raster) {
        return sample(raster, raster.extent(), c -> true);
    }

    /** Samples over {@code area}, keeping candidates {@code accept} approves (duplicates are redrawn). */
    public List<Chip> sample(GeoRaster raster, PixelWindow area, Predicate<Chip> accept) {
        String name = raster.path().fileName();
        if (size > area.width() || size > area.height()) {
            throw new TilingException(name + ": chip size " + size + "x" + size + " is larger than the sampled area ("
                    + area.width() + "x" + area.height() + " pixels); use a chip size of at most "
                    + Math.min(area.width(), area.height()));
        }
        SplittableRandom r = new SplittableRandom(seed);
        String stem = ChipGrid.stem(raster.path());
        List<Chip> out = new ArrayList<>(count);
        Set<Long> seen = new HashSet<>();
        int rangeX = area.width() - size + 1;
        int rangeY = area.height() - size + 1;
        long tries = 0;
        long maxTries = 50L * count;
        while (out.size() < count && tries < maxTries) {
            tries++;
            int x = area.x() + r.nextInt(rangeX);
            int y = area.y() + r.nextInt(rangeY);
            if (!seen.add(((long) x << 32) | y)) {
                continue;
            }
            PixelWindow w = new PixelWindow(x, y, size, size);
            Chip c = new Chip(stem + "_x" + x + "_y" + y, raster.path(), w, raster.footprint(w).getEnvelopeInternal());
            if (accept.test(c)) {
                out.add(c);
            }
        }
        if (out.size() < count) {
            LOG.warn("{}: random sampler found {} of {} chips after {} tries (area too small or labels too sparse)",
                    name, out.size(), count, tries);
        }
        return out;
    }
}
