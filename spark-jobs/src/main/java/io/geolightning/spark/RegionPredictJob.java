package io.geolightning.spark;

import io.geolightning.foundation.FileTrees;
import io.geolightning.foundation.TempFiles;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterFormat;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.torchscript.ModelFiles;
import io.geolightning.tiling.Region;
import io.geolightning.tiling.RegionRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed prediction of one region into ONE class raster: the region (a raster, a mosaic of a catalog on a
 * grid, or a band stack, cut to a box: a {@link RegionRaster}) is split into blocks of {@code blockSize} x
 * {@code blockSize} pixels of its grid, one Spark task per block. Each task classifies its block exactly as the
 * single-machine {@code predict} classifies those pixels of the whole region (same windows, blending and batches) into
 * a block GeoTIFF in a hidden folder beside the output; the driver then assembles the blocks into the class COG
 * ({@link ScenePredictor#assemble}), so the result is pixel for pixel the single-machine prediction. The block folder
 * is removed whether the job succeeds or fails; the output appears only when complete.
 */
public final class RegionPredictJob {
    private static final Logger LOG = LoggerFactory.getLogger(RegionPredictJob.class);

    /** Default block side, pixels of the region's grid. */
    public static final int DEFAULT_BLOCK = 4096;

    private RegionPredictJob() {
    }

    /**
     * @param checkpoint the .ckpt (on a file system every node sees)
     * @param region the raster to classify (its files readable from every node)
     * @param area the area of interest whose polygons mask the output (the region is already cut to its box), or null
     * @param out the class raster to write (local or shared file system)
     * @param blockSize block side in pixels
     * @param settings window, overlap, batch, blending, format, overwrite
     * @param torchThreads PyTorch intra-op threads per executor JVM (0 = PyTorch's default)
     */
    public record Config(Path checkpoint, RegionRaster region, Region area, Path out, int blockSize,
                         PredictSettings settings, int torchThreads) {
        /** Validates. */
        public Config {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(out, "out");
            settings = settings == null ? PredictSettings.defaults() : settings;
            if (blockSize < 1) {
                throw new JobUsageException("--block-size " + blockSize + ": must be positive; pass e.g. "
                        + DEFAULT_BLOCK);
            }
        }
    }

    /**
     * @param out the class raster written
     * @param width its width
     * @param height its height
     * @param blocks blocks predicted
     * @param windows model windows run by all blocks
     * @param seconds wall time of the job
     */
    public record Result(Path out, int width, int height, int blocks, long windows, double seconds) {
    }

    /**
     * Runs the job.
     *
     * @param spark the session
     * @param config what to predict
     * @return what was written
     * @throws SparkJobException one line: a missing checkpoint, an existing output without overwrite, an output that
     *     is not a local path, an unreadable region, or a block that failed on every attempt
     */
    public static Result run(SparkSession spark, Config config) {
        long t0 = System.nanoTime();
        Path checkpoint = PredictJob.requireCheckpoint(config.checkpoint());
        Path out = checkOutput(config.out(), checkpoint, config.region().files(),
                config.settings().overwrite());
        Path polygons = config.settings().polygonsFor(out);
        if (polygons != null && Files.exists(polygons) && !config.settings().overwrite()) {
            throw new SparkJobException("--polygons: " + polygons + " exists; pass --overwrite to replace it or choose"
                    + " another --out");
        }
        NativeLibraries.requireGdal();
        int width;
        int height;
        try (RegionRaster.Opened in = config.region().open()) {
            width = in.raster().width();
            height = in.raster().height();
        }
        List<PixelWindow> windows = split(width, height, config.blockSize());
        Path folder = out.resolveSibling("." + out.getFileName() + ".blocks-" + UUID.randomUUID().toString()
                .substring(0, 8));
        List<RegionBlockTask.Block> blocks = new ArrayList<>();
        for (PixelWindow w : windows) {
            blocks.add(new RegionBlockTask.Block(blocks.size(), w, folder.resolve("x" + w.x() + "_y" + w.y()
                    + ".tif").toString()));
        }
        // tasks write GeoTIFF blocks and may replace their own (a retried task); the output's format comes last
        PredictSettings set = config.settings();
        PredictSettings blockSettings = new PredictSettings(set.windowSize(), set.overlap(), set.batchSize(),
                set.blending(), RasterFormat.GTIFF, true, set.tta(), null);
        RegionRaster region = config.region();
        Region area = config.area();
        String ckpt = checkpoint.toString();
        int threads = config.torchThreads();
        LOG.info("predict: {} x {} px region in {} block(s) of {} px with {}", width, height, blocks.size(),
                config.blockSize(), checkpoint.getFileName());
        long modelWindows = 0;
        try {
            Files.createDirectories(folder);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<RegionBlockTask.Done> done;
            try (SceneProgress progress = SceneProgress.attach(spark.sparkContext(), "predict", "blocks",
                    blocks.size(), "geolightning predict: " + blocks.size() + " blocks of a " + width + " x " + height
                            + " region with " + checkpoint.getFileName())) {
                done = jsc.parallelize(blocks, blocks.size())
                        .mapPartitions(it -> RegionBlockTask.run(it, region, Path.of(ckpt),
                                blockSettings.toOptions(area), threads))
                        .collect();
            } catch (Exception e) { // SparkException is checked but thrown undeclared from Scala
                throw JobFailures.translate("predict job", e);
            }
            for (RegionBlockTask.Done d : done) {
                modelWindows += d.windows();
            }
            Map<PixelWindow, Path> files = new LinkedHashMap<>();
            blocks.forEach(b -> files.put(b.window(), Path.of(b.output())));
            try (InferenceModel model = ModelFiles.open(checkpoint, null);
                 RegionRaster.Opened in = region.open()) {
                new ScenePredictor(model).assemble(in.raster(), files, out, config.settings().toOptions(null, out));
            }
        } catch (IOException e) {
            throw new SparkJobException(folder + ": cannot create the block folder (" + e.getMessage() + "); check"
                    + " that " + out.getParent() + " is writable", e);
        } finally {
            removeFolder(folder);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        LOG.info("predict: wrote {} ({} x {} px, {} blocks) in {} s", out, width, height, blocks.size(),
                String.format(Locale.ROOT, "%.1f", secs));
        return new Result(out, width, height, blocks.size(), modelWindows, secs);
    }

    /** @return the blocks of a {@code width x height} grid, row by row, {@code size} pixels a side (less at edges) */
    static List<PixelWindow> split(int width, int height, int size) {
        List<PixelWindow> out = new ArrayList<>();
        for (int y = 0; y < height; y += size) {
            for (int x = 0; x < width; x += size) {
                out.add(new PixelWindow(x, y, Math.min(size, width - x), Math.min(size, height - y)));
            }
        }
        return out;
    }

    private static Path checkOutput(Path out, Path checkpoint, List<String> inputs, boolean overwrite) {
        if (GdalPath.isVirtual(out.toString())) {
            throw new JobUsageException("--out " + out + ": a GDAL virtual path; the class raster is written to a local"
                    + " file (or a shared file system), so give a local path");
        }
        Path abs = out.toAbsolutePath().normalize();
        if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
            throw new JobUsageException("--out " + out + ": the folder " + abs.getParent() + " does not exist; create"
                    + " it first or choose another path");
        }
        if (Files.isDirectory(abs)) {
            throw new JobUsageException("--out " + out + ": is a folder; pass a file path such as "
                    + out.resolve("classes.tif"));
        }
        PredictJob.notTheCheckpoint("--out", out, checkpoint);
        for (String f : inputs) {
            if (!GdalPath.isVirtual(f) && Path.of(f).toAbsolutePath().normalize().equals(abs)) {
                throw new JobUsageException("--out " + out + ": is a file given to --raster; writing it would replace"
                        + " that input; choose another --out path");
            }
        }
        if (Files.exists(abs) && !overwrite) {
            throw new SparkJobException("--out " + out + ": output exists; pass --overwrite to replace it or choose"
                    + " another path");
        }
        TempFiles.removeStale(abs);
        return abs;
    }

    private static void removeFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try {
            FileTrees.delete(folder);
        } catch (IOException e) {
            LOG.warn("could not remove the block folder {}: {}", folder, e.toString());
        }
    }
}
