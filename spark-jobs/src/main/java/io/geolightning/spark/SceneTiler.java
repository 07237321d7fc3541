package io.geolightning.spark;

import io.geolightning.foundation.FileTrees;
import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingResult;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.store.ChipStoreLayout;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.SidecarJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor side of the tile job: tiles ONE scene with the single-machine {@link Tiler} (so chips, labels, splits,
 * statistics and the Parquet schema are those of {@code geolightning tile}) into a staging folder private to this
 * task attempt, then moves its part files into the store under names fixed by the scene's list position
 * ({@code part-<scene>-<k>.parquet}). A retried or speculative attempt stages afresh and overwrites the same names
 * with the same content, so retries never duplicate chips. Any failure of the scene (missing, unreadable, no chips)
 * becomes a FAILED outcome with a one-line message; only a node without GDAL fails the task.
 */
final class SceneTiler {
    private static final Logger LOG = LoggerFactory.getLogger(SceneTiler.class);

    /** Folder of the stores' staging areas, ignored by readers (leading underscore). */
    static final String STAGING = ChipStoreLayout.STAGING;

    private SceneTiler() {
    }

    /**
     * @param spec the scene
     * @param store the store folder (shared by all nodes)
     * @param workers reading threads for this scene
     * @return what happened
     */
    static SceneTileOutcome tile(SceneTileSpec spec, Path store, int workers) {
        NativeLibraries.requireGdal();
        long t0 = System.nanoTime();
        Path staging = store.resolve(STAGING).resolve(String.format(Locale.ROOT, "scene-%05d", spec.index()))
                .resolve("attempt-" + attemptId());
        try {
            FileTrees.delete(staging);
            Files.createDirectories(staging);
            TilingConfig config = config(spec, staging, workers);
            TilingResult r = Tiler.run(config);
            ChipStoreMetadata m = r.metadata();
            List<String> names = new ArrayList<>();
            for (int k = 0; k < m.parts().size(); k++) {
                String name = partName(spec.index(), k);
                Files.move(staging.resolve(m.parts().get(k)), store.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                names.add(name);
            }
            ChipStoreMetadata published = new ChipStoreMetadata(m.schemaVersion(), m.task(), m.classNames(),
                    m.ignoreValue(), m.bands(), m.dtype(), m.chipWidth(), m.chipHeight(), m.nodata(),
                    m.bandStatistics(), m.rowCounts(), names, m.configHash(), m.tilingConfig(), m.inputs(), m.codec());
            double secs = seconds(t0);
            LOG.info("{}: {} chips in {} part(s) in {} s", spec.raster(), r.written(), names.size(),
                    String.format(Locale.ROOT, "%.1f", secs));
            return new SceneTileOutcome(spec.index(), spec.raster(), SceneStatus.OK, null, names,
                    SidecarJson.MAPPER.writeValueAsString(published), secs);
        } catch (IOException | RuntimeException e) {
            String msg = OneLine.naming(spec.raster(), e);
            LOG.warn("{}: FAILED: {}", spec.raster(), msg);
            return SceneTileOutcome.failed(spec.index(), spec.raster(), msg, seconds(t0));
        } finally {
            try {
                FileTrees.delete(staging);
                deleteIfEmpty(staging.getParent());
            } catch (IOException e) {
                LOG.warn("could not remove the staging folder {}: {}", staging, e.toString());
            }
        }
    }

    private static TilingConfig config(SceneTileSpec spec, Path staging, int workers) {
        SceneTileSpec.RegionBlock b = spec.block();
        if (b == null) {
            return spec.settings().toTilingConfig(GdalPath.of(spec.raster()), staging, TilingSettings.DEFAULT_SEED,
                    workers);
        }
        TilingConfig c = spec.settings().toTilingConfig(b.files().stream().map(GdalPath::of).toList(), b.grid(),
                staging, TilingSettings.DEFAULT_SEED, workers).withStackBands(b.stackBands())
                .withOriginBlock(b.window());
        return b.area() == null ? c : c.withRegion(b.area());
    }

    /** @return the name of part {@code k} of scene {@code index} */
    static String partName(int index, int k) {
        return String.format(Locale.ROOT, "part-%05d-%05d.parquet", index, k);
    }

    private static String attemptId() {
        TaskContext tc = TaskContext.get();
        return tc == null ? "driver-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId()
                : tc.stageId() + "-" + tc.partitionId() + "-" + tc.attemptNumber() + "-" + tc.taskAttemptId();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isEmpty()) {
                    Files.deleteIfExists(dir);
                }
            }
        }
    }
}
