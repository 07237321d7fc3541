package io.geolightning.tiling;

import io.geolightning.foundation.Progress;
import io.geolightning.geo.Crs;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterCatalog;
import io.geolightning.geo.RasterMosaic;
import io.geolightning.geo.RasterStructure;
import io.geolightning.geo.TargetGrid;
import io.geolightning.tiling.ChipProcessor.Outcome;
import io.geolightning.tiling.ChipProcessor.Processed;
import io.geolightning.tiling.ChipProcessor.Scene;
import io.geolightning.tiling.ChipProcessor.StageClock;
import io.geolightning.tiling.labels.LabelSet;
import io.geolightning.tiling.labels.SceneLabels;
import io.geolightning.tiling.splits.ItemSplits;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreSchema;
import io.geolightning.tiling.store.ChipStoreWriter;
import io.geolightning.tiling.store.InputFingerprint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tiles scenes into a Parquet chip store: places chips (grid or random) and assigns splits without listing them (a
 * grid's chips are made as they are read and split one at a time, so memory does not grow with a raster's size), has
 * worker threads read, label and filter each chip ({@link ChipProcessor}: labels reprojected to the raster CRS,
 * nodata and negatives dropped), and writes the rows in chip order together with the training split's band
 * statistics. Logs the progress of each long step with its rate and an ETA.
 */
public final class Tiler {
    private static final Logger LOG = LoggerFactory.getLogger(Tiler.class);

    private Tiler() {
    }

    /** Runs the tiling and publishes the store; nothing is published when it fails. */
    public static TilingResult run(TilingConfig config) {
        long t0 = System.nanoTime();
        List<Scene> scenes = new ArrayList<>();
        ConcurrentLinkedQueue<GeoRaster> handles = new ConcurrentLinkedQueue<>();
        RasterMosaic mosaic = null;
        try {
            LabelSet labels = config.labels() == null ? null : LabelSet.load(config.labels());
            mosaic = config.grid() == null && !config.stackBands() ? null : mosaic(config);
            for (GdalPath p : mosaic == null ? config.scenes() : List.of(mosaic.path())) {
                GeoRaster r = open(p);
                handles.add(r);
                Crs crs = r.crs().orElse(null);
                String crsText = crs == null ? "" : crs.epsg().isPresent() ? "EPSG:" + crs.epsg().getAsInt() : crs.wkt();
                scenes.add(new Scene(p, r, crsText, labels == null ? null : new SceneLabels(labels, r)));
            }
            GeoRaster first = scenes.get(0).raster();
            for (Scene s : scenes) {
                int n = s.raster().dataBands().length;
                if (n != first.dataBands().length || s.raster().dataType() != first.dataType()) {
                    throw new TilingException(s.path().fileName() + ": " + n + " bands of " + s.raster().dataType()
                            + " but " + first.path().fileName() + " has " + first.dataBands().length + " of "
                            + first.dataType() + "; tile scenes of one sensor together");
                }
                if (n < s.raster().bandCount()) {
                    LOG.info("{}: {} of its {} bands are alpha (transparency): read as no data, not as chip bands",
                            s.path().fileName(), s.raster().bandCount() - n, s.raster().bandCount());
                }
            }
            return tile(config, scenes, labels, handles, t0);
        } finally {
            scenes.stream().map(Scene::labels).filter(java.util.Objects::nonNull).forEach(SceneLabels::close);
            handles.forEach(GeoRaster::close);
            if (mosaic != null) {
                mosaic.close();
            }
        }
    }

    /** The scenes as one raster on the config's grid: chips are cut from the region's grid, across file seams. */
    private static RasterMosaic mosaic(TilingConfig config) {
        try {
            TargetGrid grid = config.grid() == null ? TargetGrid.ofFirstRaster() : config.grid();
            RasterMosaic m = config.stackBands() ? RasterMosaic.stack(RasterCatalog.of(config.scenes()), grid)
                    : RasterMosaic.build(RasterCatalog.of(config.scenes()), grid);
            LOG.info("tiling a region of {} raster(s) on {} at {} ({} warped)", config.scenes().size(), m.crs().name(),
                    m.resolution(), m.warpedCount());
            return m;
        } catch (GeoIOException e) {
            throw new TilingException(e.getMessage(), e);
        }
    }

    /**
     * @return the scene column of a chip: the raster's path, or for a region's mosaic (a VRT in GDAL's memory, a path
     *     no other process can open and that changes from run to run) its name, {@code <first raster>-region.vrt}
     */
    static String sceneKey(GdalPath scene) {
        return scene.text().startsWith("/vsimem/") ? scene.fileName() : scene.toString();
    }

    /** Opens a scene (a paletted image is refused: its values are colour indices, see RasterStructure). */
    static GeoRaster open(GdalPath p) {
        GeoRaster r = null;
        try {
            r = GeoRaster.open(p);
            RasterStructure.requireNoPalette(r);
            return r;
        } catch (GeoIOException e) {
            if (r != null) {
                r.close();
            }
            throw new TilingException(e.getMessage(), e);
        }
    }

    private static TilingResult tile(TilingConfig config, List<Scene> scenes, LabelSet labels,
                                     ConcurrentLinkedQueue<GeoRaster> handles, long t0) {
        // 1. place chips (on demand: a huge raster's chips are made as they are read)
        Map<GdalPath, Scene> byPath = new HashMap<>();
        scenes.forEach(s -> byPath.put(s.path(), s));
        ChipCandidates candidates = ChipCandidates.place(config, scenes.stream().map(Scene::raster).toList(),
                scenes.stream().map(Scene::labels).toList());
        if (candidates.size() == 0) {
            throw new TilingException(scenes.get(0).path().fileName() + ": no chip fits the "
                    + (config.region() == null ? "raster" : "region") + " with chip size " + config.chipSize()
                    + "; use a smaller chip size or a larger region");
        }
        LOG.info("tiling {} scene(s): {} candidate chips of {} px; splitting them ({})", scenes.size(),
                candidates.size(), config.chipSize(), config.split().kind());
        // 2. splits
        KeptChips todo = KeptChips.of(candidates, ItemSplits.plan(BlockUnits.inMapUnits(config.split(),
                scenes.stream().map(Scene::raster).toList()), candidates.scenes()),
                config.originBlock());
        long droppedBySplit = todo.dropped();
        LOG.info("tiling {} scene(s): {} candidate chips of {} px, {} after the split", scenes.size(),
                candidates.size(), config.chipSize(), todo.size());

        // 3. read, label, filter, write in order
        GeoRaster first = scenes.get(0).raster();
        int[] dataBands = first.dataBands();
        int bands = dataBands.length;
        ChipDataType dtype = ChipDataType.parse(first.dataType().name());
        Double[] nodata = new Double[bands];
        for (int b = 0; b < bands; b++) {
            var nd = first.nodata(dataBands[b]);
            nodata[b] = nd.isPresent() ? nd.getAsDouble() : null;
        }
        BandStatisticsAccumulator stats = new BandStatisticsAccumulator(bands, dtype, nodata);
        AtomicLongArray counts = new AtomicLongArray(Outcome.values().length);
        ExecutorService pool = Executors.newFixedThreadPool(config.workers(), daemon());
        Progress progress = new Progress(LOG, "tiling", "candidate chips", todo.size());
        ChipProcessor processor = new ChipProcessor(config, stats, handles);
        ChipWork work = k -> {
            Processed p = processor.process(byPath.get(k.chip().scene()), k.chip(), k.split(), k.index());
            counts.incrementAndGet(p.outcome().ordinal());
            return p;
        };
        try (ChipStoreWriter writer = ChipStoreWriter.open(config.store(), config.storeOptions())) {
            // band statistics: train chips' partials added in chip order, identical to a recomputation over the store
            if (writer.layout().singleFile()) {
                orderedIntoOneFile(todo, work, writer, pool, config.workers() * 4, progress, processor.clock(), stats);
            } else {
                parallelParts(todo, work, writer, pool, config.workers(), progress, processor.clock(), stats);
            }
            progress.finish();
            long written = counts.get(Outcome.WRITTEN.ordinal());
            long[] c = new long[counts.length()];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts.get(i);
            }
            if (written == 0 && config.originBlock() == null) { // a block of a region may hold no chip
                throw nothingWritten(config, scenes, todo.size(), c);
            }
            ChipStoreMetadata meta = writer.commit(metadata(config, labels, bands, dtype, nodata,
                    stats.isEmpty() ? null : stats.result()));
            double secs = (System.nanoTime() - t0) / 1e9;
            LOG.info("tiled {} chips into {} in {} s ({} chips/s); skipped {} nodata, {} unlabelled, {} negatives, {}"
                            + " straddling splits", written, config.store(), String.format("%.1f", secs),
                    Math.round(written / secs), c[Outcome.NODATA.ordinal()], c[Outcome.UNLABELLED.ordinal()],
                    c[Outcome.NEGATIVE.ordinal()], droppedBySplit);
            LOG.info("tiling time: {}", processor.clock().summary());
            return new TilingResult(meta, candidates.size(), written, c[Outcome.NODATA.ordinal()],
                    c[Outcome.UNLABELLED.ordinal()], c[Outcome.NEGATIVE.ordinal()], droppedBySplit, secs);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads, labels and filters one kept chip. */
    private interface ChipWork {
        Processed run(KeptChips.Kept chip);
    }

    /** Writes a processed chip's row (when kept) through {@code sink} and returns its statistics partial, or null. */
    private static BandStatisticsAccumulator.ChipPartial keep(Processed p, Consumer<ChipRow> sink, StageClock clock) {
        if (p.outcome() != Outcome.WRITTEN) {
            return null;
        }
        long t = System.nanoTime();
        sink.accept(p.row());
        clock.write.add(System.nanoTime() - t);
        return p.partial();
    }

    /** Single-file store: workers process ahead (bounded window), one thread writes rows in chip order. */
    private static void orderedIntoOneFile(KeptChips todo, ChipWork work, ChipStoreWriter writer, ExecutorService pool,
                                           int window, Progress progress, StageClock clock,
                                           BandStatisticsAccumulator stats) {
        ArrayDeque<Future<Processed>> pending = new ArrayDeque<>();
        Iterator<KeptChips.Kept> chips = todo.from(0);
        while (chips.hasNext() || !pending.isEmpty()) {
            while (chips.hasNext() && pending.size() < window) {
                KeptChips.Kept k = chips.next();
                pending.add(pool.submit(() -> work.run(k)));
            }
            BandStatisticsAccumulator.ChipPartial partial = keep(get(pending.poll()), writer::write, clock);
            if (partial != null) {
                stats.add(partial);
            }
            progress.step();
        }
    }

    /**
     * Folder store: the kept chips are cut into contiguous ranges, one Parquet part each, processed and written
     * concurrently (the Parquet encoding and compression run in parallel too); parts keep chip order.
     */
    private static void parallelParts(KeptChips todo, ChipWork work, ChipStoreWriter writer, ExecutorService pool,
                                      int workers, Progress progress, StageClock clock,
                                      BandStatisticsAccumulator stats) {
        long n = todo.size();
        long perPart = writer.options().rowsPerPart();
        long ranges = Math.max(1, Math.min(n, Math.max(workers * 2L, (n + perPart - 1) / perPart)));
        List<Future<List<BandStatisticsAccumulator.ChipPartial>>> futures = new ArrayList<>();
        for (long r = 0; r < ranges; r++) {
            long from = r * n / ranges;
            long to = (r + 1) * n / ranges;
            ChipStoreWriter.Part part = writer.openPart();
            futures.add(pool.submit(() -> {
                List<BandStatisticsAccumulator.ChipPartial> partials = new ArrayList<>();
                try (part) {
                    Iterator<KeptChips.Kept> chips = todo.from(from);
                    for (long i = from; i < to; i++) {
                        BandStatisticsAccumulator.ChipPartial p = keep(work.run(chips.next()), part::write, clock);
                        if (p != null) {
                            partials.add(p);
                        }
                        progress.step();
                    }
                }
                return partials;
            }));
        }
        for (Future<List<BandStatisticsAccumulator.ChipPartial>> f : futures) {
            get(f).forEach(stats::add); // ranges in order: chip order
        }
    }

    private static TilingException nothingWritten(TilingConfig config, List<Scene> scenes, long n, long[] counts) {
        String names = String.join(", ", scenes.stream().map(s -> s.path().fileName()).toList());
        if (counts[Outcome.NODATA.ordinal()] == n) {
            return new TilingException(names + ": all " + n + " chips are more than "
                    + Math.round(config.maxNodataFraction() * 100) + "% nodata (the raster holds no valid pixels"
                    + " there); check the raster and its nodata value, or raise --max-nodata (data.maxNodata)");
        }
        return new TilingException(names + ": no chip survived the filters (" + counts[Outcome.NODATA.ordinal()]
                + " nodata, " + counts[Outcome.UNLABELLED.ordinal()] + " without a class, "
                + counts[Outcome.NEGATIVE.ordinal()] + " negatives dropped, of " + n + "); check that the labels"
                + " cover the scene, or add a background class / lower minCoverage");
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TilingException("tiling interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new TilingException("tiling failed: " + e.getCause(), e.getCause());
        }
    }

    private static ChipStoreMetadata metadata(TilingConfig config, LabelSet labels, int bands, ChipDataType dtype,
                                              Double[] nodata, BandStatistics stats) {
        List<InputFingerprint> inputs = new ArrayList<>();
        config.scenes().forEach(p -> inputs.add(InputFingerprint.of(p)));
        if (config.labels() != null) {
            inputs.addAll(InputFingerprint.ofVector(config.labels().vector()));
        }
        return new ChipStoreMetadata(ChipStoreSchema.VERSION, config.task(),
                labels == null ? List.of() : labels.classNames(),
                config.labels() == null ? null : config.labels().ignoreValue(), bands, dtype.id(), config.chipSize(),
                config.chipSize(), Arrays.asList(nodata), stats, null, null, configHash(config), config.describe(),
                inputs, null);
    }

    /** SHA-256 of the configuration's description and the store schema version. */
    public static String configHash(TilingConfig config) {
        try {
            byte[] json = io.geolightning.tiling.store.SidecarJson.MAPPER.writeValueAsBytes(config.describe());
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("v" + ChipStoreSchema.VERSION).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(json));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tiler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
