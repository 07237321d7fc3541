package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterWindow;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.labels.SceneLabels;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipRow;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.locationtech.jts.geom.Geometry;

/**
 * The {@link Tiler}'s work on one chip, run on its worker threads: reads the chip's pixels (one GDAL handle per
 * scene and thread), measures nodata, labels it (class by area, or a mask rasterised from the labels, whose pixels
 * without image data get the ignore value), drops it as nodata, unlabelled or a discarded negative, and otherwise makes
 * its store row and, for a training chip, its band statistics partial. Times each stage.
 */
final class ChipProcessor {

    /** What became of a chip. */
    enum Outcome { WRITTEN, NODATA, UNLABELLED, NEGATIVE }

    /** A processed chip: its row and statistics partial when written, else nulls. */
    record Processed(Outcome outcome, ChipRow row, BandStatisticsAccumulator.ChipPartial partial) {
    }

    /** An opened scene: its path, the tiling thread's handle, its CRS as stored and its labels (null without). */
    record Scene(GdalPath path, GeoRaster raster, String crs, SceneLabels labels) {
    }

    /** Thread-seconds spent per stage, logged at the end of a run to show where the time goes. */
    static final class StageClock {
        final LongAdder read = new LongAdder();
        final LongAdder scan = new LongAdder();
        final LongAdder label = new LongAdder();
        final LongAdder write = new LongAdder();

        String summary() {
            return String.format(Locale.ROOT, "read %.2f s, nodata/stats %.2f s, labels %.2f s, Parquet %.2f s"
                    + " (thread-seconds)", read.sum() / 1e9, scan.sum() / 1e9, label.sum() / 1e9, write.sum() / 1e9);
        }
    }

    private final TilingConfig config;
    private final BandStatisticsAccumulator stats;
    private final ConcurrentLinkedQueue<GeoRaster> handles;
    private final ThreadLocal<Map<GdalPath, GeoRaster>> local = ThreadLocal.withInitial(HashMap::new);
    private final StageClock clock = new StageClock();

    /**
     * @param config the tiling
     * @param stats makes the training chips' statistics partials
     * @param handles collects the per-thread GDAL handles this opens, for the Tiler to close
     */
    ChipProcessor(TilingConfig config, BandStatisticsAccumulator stats, ConcurrentLinkedQueue<GeoRaster> handles) {
        this.config = config;
        this.stats = stats;
        this.handles = handles;
    }

    /** @return the stage times so far */
    StageClock clock() {
        return clock;
    }

    /**
     * @param scene the chip's scene
     * @param chip the chip
     * @param split its split
     * @param index its position among the kept chips (seeds the negative filter)
     * @return the outcome, with the row and statistics partial when written
     */
    Processed process(Scene scene, Chip chip, Split split, long index) {
        long t0 = System.nanoTime();
        GeoRaster raster = local.get().computeIfAbsent(scene.path(), p -> {
            GeoRaster r = Tiler.open(p);
            handles.add(r);
            return r;
        });
        RasterWindow w;
        try {
            w = raster.read(chip.window(), raster.dataBands());
        } catch (GeoIOException e) {
            throw new TilingException(e.getMessage(), e);
        }
        long t1 = System.nanoTime();
        clock.read.add(t1 - t0);
        byte[] pixels = w.dataType().bytes() == 1 ? w.bytes() : w.asBytes(); // uint8: the window's own array
        int ppb = chip.width() * chip.height();
        ChipDataType dtype = ChipDataType.parse(w.dataType().name());
        boolean[] valid = w.isFullyCovered() && !w.hasMask() ? null : w.validMask(); // null: nodata values alone
        double nodataFraction = valid == null
                ? NodataScan.fraction(pixels, dtype, w.bandCount(), ppb, nodataOf(w)) : RasterWindow.invalidShare(valid);
        long t2 = System.nanoTime();
        clock.scan.add(t2 - t1);
        if (nodataFraction > config.maxNodataFraction()) {
            return new Processed(Outcome.NODATA, null, null);
        }
        Integer label = null;
        byte[] mask = null;
        boolean negative = false;
        if (config.task() == LabelTask.CLASSIFICATION) {
            Geometry footprint = raster.footprint(chip.window());
            Optional<Integer> c = scene.labels().classify(chip, footprint);
            if (c.isEmpty()) {
                return new Processed(Outcome.UNLABELLED, null, null);
            }
            label = c.get();
            negative = label.equals(scene.labels().labels().backgroundId());
        } else if (config.task() == LabelTask.SEGMENTATION) {
            mask = scene.labels().mask(raster, chip);
            if (nodataFraction > 0) { // pixels the image has no data for teach nothing and are not scored
                ignoreNodata(mask, valid != null ? valid : w.validMask(),
                        scene.labels().labels().config().maskIgnoreValue());
            }
            negative = scene.labels().isNegative(mask);
        }
        long t3 = System.nanoTime();
        clock.label.add(t3 - t2);
        if (negative && config.negativeSurvivalProbability() < 1) {
            double u = new SplittableRandom(config.filterSeed() * 0x9E3779B97F4A7C15L + index).nextDouble();
            if (u >= config.negativeSurvivalProbability()) {
                return new Processed(Outcome.NEGATIVE, null, null);
            }
        }
        ChipRow row = new ChipRow(chip.id(), Tiler.sceneKey(scene.path()), scene.crs(), chip.x(), chip.y(),
                chip.width(), chip.height(), chip.minx(), chip.miny(), chip.maxx(), chip.maxy(), split, label, mask,
                w.bandCount(), dtype, pixels);
        BandStatisticsAccumulator.ChipPartial partial = split == Split.TRAIN ? stats.summarize(pixels, ppb, valid)
                : null;
        clock.scan.add(System.nanoTime() - t3);
        return new Processed(Outcome.WRITTEN, row, partial);
    }

    private static void ignoreNodata(byte[] mask, boolean[] valid, int ignore) {
        for (int p = 0; p < mask.length; p++) {
            if (!valid[p]) {
                mask[p] = (byte) ignore;
            }
        }
    }

    private static Double[] nodataOf(RasterWindow w) {
        Double[] nd = new Double[w.bandCount()];
        for (int b = 0; b < nd.length; b++) {
            var v = w.nodata(b);
            nd[b] = v.isPresent() ? v.getAsDouble() : null;
        }
        return nd;
    }
}
