package io.geolightning.spark;

import io.geolightning.foundation.FileTrees;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.TargetGrid;
import io.geolightning.tiling.Region;
import io.geolightning.tiling.RegionRaster;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.store.ChipStoreLayout;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.SidecarJson;
import io.geolightning.tiling.store.StoreTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed {@code tile} job: a list of scenes with their label sources and tiling settings becomes ONE
 * partitioned Parquet chip store, readable by tiling's {@code ChipStoreReader} and by Spark
 * ({@code spark.read.parquet("store/part-*.parquet")}).
 *
 * <p>One scene per task: each task tiles its scene with the single-machine Tiler (GDAL opened inside the task) and
 * moves the scene's part files ({@code part-<scene>-<k>.parquet}, written by tiling's own chip-store writer, hence the
 * same schema) into the store. The driver then merges the scenes' sidecars into {@code chips.json} (classes, row
 * counts per split, training band statistics merged over the scenes, part list, per-scene status and settings),
 * removes parts that are not listed and the staging folder. A scene that cannot be tiled (missing, unreadable, no
 * chip, or chips unlike the other scenes') is reported FAILED and left out; the others complete. Until the sidecar is
 * written the folder holds no sidecar, so no reader mistakes a store in progress for a finished one.
 */
public final class TileJob {
    private static final Logger LOG = LoggerFactory.getLogger(TileJob.class);

    private TileJob() {
    }

    /**
     * @param scenes the scene list (CSV, JSON or Parquet; column {@code raster} plus optional tiling columns)
     * @param store the chip-store folder to write (on a file system every node sees)
     * @param defaults tiling settings for cells the list leaves empty
     * @param workersPerTask reading threads per task (Spark runs one task per core; default 1)
     * @param overwrite replace a chip store (finished or left unfinished) already at {@code store}
     */
    public record Config(Path scenes, Path store, TilingSettings defaults, int workersPerTask, boolean overwrite) {
        /** Validates. */
        public Config {
            Objects.requireNonNull(scenes, "scenes");
            Objects.requireNonNull(store, "store");
            defaults = defaults == null ? TilingSettings.defaults() : defaults;
            if (workersPerTask < 1) {
                workersPerTask = 1;
            }
        }
    }

    /**
     * @param files the region's rasters (GDAL paths, globs expanded)
     * @param grid the grid they are read on (null: one raster on its own grid)
     * @param area the box or AOI chips must meet, or null
     * @param stackBands the files are single-band files stacked as the bands of one raster on {@code grid}
     * @param store the chip-store folder to write (on a file system every node sees)
     * @param settings how to tile
     * @param blockSize block side in pixels of the region's grid, one task per block
     * @param workersPerTask reading threads per task
     * @param overwrite replace a chip store already at {@code store}
     */
    public record RegionConfig(List<String> files, TargetGrid grid, Region area, boolean stackBands, Path store,
                               TilingSettings settings, int blockSize, int workersPerTask, boolean overwrite) {
        /** Validates. */
        public RegionConfig {
            files = List.copyOf(files);
            Objects.requireNonNull(store, "store");
            settings = settings == null ? TilingSettings.defaults() : settings;
            if (blockSize < 1) {
                throw new JobUsageException("--block-size " + blockSize + ": must be positive; pass e.g. 4096");
            }
            workersPerTask = Math.max(1, workersPerTask);
        }
    }

    /**
     * @param store the store folder
     * @param metadata its sidecar
     * @param scenes every scene's outcome in list order
     * @param seconds wall time of the job
     */
    public record Result(Path store, ChipStoreMetadata metadata, List<SceneTileOutcome> scenes, double seconds) {
        /** @return scenes that failed */
        public List<SceneTileOutcome> failed() {
            return scenes.stream().filter(s -> s.status() == SceneStatus.FAILED).toList();
        }
    }

    /** Canonical scene-list columns of the tile job. */
    static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>();
        c.add("raster");
        c.addAll(TileSettings.COLUMNS);
        COLUMNS = List.copyOf(c);
    }

    /**
     * Runs the job.
     *
     * @param spark the session (local or a cluster)
     * @param config what to tile
     * @return the outcome; at least one scene succeeded
     * @throws SparkJobException for a bad list or setting (before any work), a node without GDAL, or when no scene
     *     could be tiled (nothing is published then)
     */
    public static Result run(SparkSession spark, Config config) {
        long t0 = System.nanoTime();
        Path store = config.store().toAbsolutePath().normalize();
        checkStore(config.store(), store, config.overwrite());
        SceneList list = SceneList.read(spark, config.scenes(), COLUMNS, aliases(), List.of("raster"));
        List<SceneTileSpec> specs = plan(list, config, store);
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("job", "spark tile");
        description.put("sceneList", config.scenes().toAbsolutePath().normalize().toString());
        return execute(spark, store, specs, config.workersPerTask(), description, t0, config.scenes().getFileName()
                + ": none of the " + specs.size() + " scene(s) could be tiled");
    }

    /**
     * Tiles ONE region split into blocks of its pixel grid, one task per block: every task places and splits the
     * whole region's chips (so splits and spatial blocks are region-wide) and writes those whose top-left pixel lies
     * in its block, so the store holds exactly the chips of the single-machine {@code geolightning tile} of the
     * region.
     *
     * @param spark the session
     * @param config the region and how to tile it
     * @return the outcome, one entry per block (a block without chips is OK with no part)
     * @throws SparkJobException for a bad setting or region (before any work), or when every block failed
     */
    public static Result run(SparkSession spark, RegionConfig config) {
        long t0 = System.nanoTime();
        Path store = config.store().toAbsolutePath().normalize();
        checkStore(config.store(), store, config.overwrite());
        List<GdalPath> files = config.files().stream().map(GdalPath::of).toList();
        try {
            config.settings().toTilingConfig(files, config.grid(), store, TilingSettings.DEFAULT_SEED,
                    config.workersPerTask()); // checks every setting before any work
        } catch (TilingException ex) {
            String named = ex.setting() == null || ex.value() == null ? OneLine.of(ex.getMessage())
                    : "--" + ex.setting() + " '" + ex.value() + "': " + ex.problem();
            throw new JobUsageException(named, ex);
        }
        NativeLibraries.requireGdal();
        RegionRaster.Kind kind = config.stackBands() ? RegionRaster.Kind.STACK
                : config.grid() == null && files.size() == 1 ? RegionRaster.Kind.SINGLE : RegionRaster.Kind.MOSAIC;
        RegionRaster region = new RegionRaster(config.files(), kind, config.grid(), null);
        int width;
        int height;
        try (RegionRaster.Opened in = region.open()) {
            width = in.raster().width();
            height = in.raster().height();
        } catch (RuntimeException e) {
            throw new JobUsageException(OneLine.of(e.getMessage()), e);
        }
        List<SceneTileSpec> specs = new ArrayList<>();
        for (PixelWindow w : RegionPredictJob.split(width, height, config.blockSize())) {
            String name = "block x" + w.x() + "_y" + w.y();
            specs.add(new SceneTileSpec(specs.size(), name, name + " (" + w.width() + " x " + w.height() + " px)",
                    config.settings(), new SceneTileSpec.RegionBlock(config.files(), config.grid(), config.area(),
                    config.stackBands(), w)));
        }
        LOG.info("tile: a {} x {} px region of {} raster(s) in {} block(s)", width, height, files.size(),
                specs.size());
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("job", "spark tile");
        description.put("rasters", config.files());
        description.put("blockSize", config.blockSize());
        return execute(spark, store, specs, config.workersPerTask(), description, t0, "none of the " + specs.size()
                + " block(s) of the region could be tiled");
    }

    private static void checkStore(Path given, Path store, boolean overwrite) {
        if (new ChipStoreLayout(store).singleFile()) {
            throw new JobUsageException(given + ": the Spark tile job writes a folder of Parquet parts, not"
                    + " one .parquet file; pass a folder, e.g. " + store.resolveSibling("chips"));
        }
        if (Files.exists(store) && !Files.isDirectory(store)) {
            throw new JobUsageException(given + ": exists and is not a folder; pass a folder for the store");
        }
        StoreTarget.check(store, overwrite);
    }

    private static Result execute(SparkSession spark, Path store, List<SceneTileSpec> specs, int workers,
                                  Map<String, Object> description, long t0, String nothing) {
        Path sidecar = new ChipStoreLayout(store).sidecar();
        // the store is "in progress" until the merged sidecar appears; a replaced store's sidecar is kept aside, to
        // be put back with its parts when no scene can be tiled
        Path previous = store.resolve(SceneTiler.STAGING).resolve("previous-" + sidecar.getFileName());
        try {
            Files.createDirectories(store);
            Files.deleteIfExists(previous);
            if (Files.exists(sidecar)) {
                Files.createDirectories(previous.getParent());
                Files.move(sidecar, previous, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new SparkJobException(store + ": cannot prepare the chip-store folder (" + e.getMessage()
                    + "); choose a writable location", e);
        }
        String storeText = store.toString();
        String unit = specs.get(0).block() == null ? "scenes" : "blocks";
        List<SceneTileOutcome> outcomes;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (SceneProgress progress = SceneProgress.attach(spark.sparkContext(), "tile", unit, specs.size(),
                "geolightning tile: " + specs.size() + " " + unit + " into " + store)) {
            outcomes = jsc.parallelize(specs, specs.size())
                    .map(spec -> SceneTiler.tile(spec, Path.of(storeText), workers))
                    .collect();
        } catch (Exception e) { // SparkException is checked but thrown undeclared from Scala
            throw JobFailures.translate("tile job", e);
        }
        ChipStoreMerge.Result merged = ChipStoreMerge.merge(outcomes, description);
        try {
            if (merged.merged() == null) {
                ChipStoreMetadata before = SidecarJson.readIfExists(previous);
                ChipStoreMerge.removePartsExcept(store, before == null ? List.of() : before.parts());
                if (before != null) {
                    Files.move(previous, sidecar, StandardCopyOption.ATOMIC_MOVE);
                }
                FileTrees.delete(store.resolve(SceneTiler.STAGING));
                SceneTileOutcome first = merged.outcomes().get(0);
                throw new SparkJobException(nothing + ", nothing was written" + (before == null ? ""
                        : " (the chip store already there is kept)") + "; first error: " + first.error());
            }
            ChipStoreMerge.publish(store, merged.merged());
            FileTrees.delete(store.resolve(SceneTiler.STAGING));
        } catch (IOException e) {
            throw new SparkJobException(store + ": cannot finish the chip store (" + e.getMessage()
                    + "); check free space and permissions", e);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Result r = new Result(store, merged.merged(), merged.outcomes(), secs);
        LOG.info("tile: {} chips from {} of {} {} into {} in {} s", merged.merged().rows("total"),
                specs.size() - r.failed().size(), specs.size(), unit, store, String.format(Locale.ROOT, "%.1f", secs));
        return r;
    }

    private static Map<String, String> aliases() {
        Map<String, String> a = new HashMap<>(TileSettings.ALIASES);
        a.put("scene", "raster");
        a.put("image", "raster");
        a.put("path", "raster");
        return a;
    }

    /** Builds the tasks, checking every row's settings the way the single-machine CLI would, before any work. */
    private static List<SceneTileSpec> plan(SceneList list, Config config, Path store) {
        List<SceneTileSpec> specs = new ArrayList<>();
        Map<GdalPath, SceneList.Entry> seen = new HashMap<>();
        TilingConfig first = null;
        SceneList.Entry firstEntry = null;
        for (SceneList.Entry e : list.entries()) {
            GdalPath raster = e.input("raster");
            if (raster == null) {
                throw new JobUsageException(e.where() + ": no raster; give every row the path of its scene");
            }
            SceneList.Entry before = seen.putIfAbsent(raster, e);
            if (before != null) {
                throw new JobUsageException(e.where() + ": repeats the raster of row " + before.row() + " ("
                        + raster.fileName() + "); list each scene once");
            }
            TilingSettings s = TileSettings.overriddenBy(config.defaults(), e);
            TilingConfig tc;
            try {
                tc = s.toTilingConfig(raster, store, TilingSettings.DEFAULT_SEED, config.workersPerTask());
            } catch (TilingException ex) {
                String named = ex.setting() == null || ex.value() == null // else a bad cell: its column
                        ? OneLine.of(ex.getMessage()) : "column " + ex.setting() + " '" + ex.value() + "': " + ex.problem();
                throw new JobUsageException(e.where() + " (" + raster.fileName() + "): " + named, ex);
            } catch (RuntimeException ex) {
                throw new JobUsageException(e.where() + " (" + raster.fileName() + "): "
                        + OneLine.of(ex.getMessage()), ex);
            }
            if (first == null) {
                first = tc;
                firstEntry = e;
            } else if (tc.task() != first.task() || tc.chipSize() != first.chipSize()) {
                throw new JobUsageException(e.where() + ": " + tc.task().id() + " chips of " + tc.chipSize()
                        + " px, but row " + firstEntry.row() + " asks for " + first.task().id() + " chips of "
                        + first.chipSize() + " px; one store holds one kind of chip, run one job per kind");
            }
            specs.add(new SceneTileSpec(specs.size(), raster.text(), e.where(), s, null));
        }
        return specs;
    }
}
