package io.geolightning.app.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.geolightning.geo.TargetGrid;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.data.LoaderConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code data} section: where the chips come from and how they are batched. Three sources, exactly one of them:
 * <ul>
 *   <li>an existing chip store ({@code chips}), e.g. written by {@code geolightning tile};</li>
 *   <li>a scene and its labels ({@code raster} + {@code labels} + {@code labelField}), tiled into {@code chips}
 *       (default {@code <runs>/<name>/chips}) once and reused while the inputs and tiling settings are unchanged; or
 *       a region of several rasters ({@code rasters}: a list of files, globs, folders or lists, read as one mosaic on
 *       {@code grid}); or single-band files stacked as the bands of one raster ({@code bandsFrom}: [B02.tif, B03.tif,
 *       B04.tif, B08.tif], on {@code grid}, default the first file's);</li>
 *   <li>pre-chipped images in class folders ({@code imageFolder}, e.g. AID), split per class at random.</li>
 * </ul>
 * Relative paths are resolved against the working directory.
 *
 * The tiling keys ({@code labels}, {@code labelField}, {@code chipSize}, {@code split}, ...) are those of
 * {@link TilingSettings}, written flat in the section and held here whole as {@link #tiling()}; their defaults live
 * in {@link TilingSettings}.
 *
 * @param chips chip store to read, or to write when tiling; several stores (a list) are read as one dataset: same
 *              bands, chip size and classes, statistics pooled (e.g. the part folders of several Spark tile jobs)
 * @param raster scene to tile
 * @param rasters the rasters of a region to tile: files, GDAL paths, globs, folders or list files
 * @param bandsFrom single-band files to stack as the bands of the raster to tile, in band order
 * @param grid the grid a region is read on ({@code {crs: EPSG:32619, resolution: 10, resampling: bilinear}}); unset
 *             values, or the whole key, default to the first raster's grid
 * @param tiling how the scene is tiled (the section's tiling keys; {@code seed} also seeds the loaders)
 * @param imageFolder folder of class folders of images
 * @param resize resize images to this square side (image folders; default 0 = keep)
 * @param batchSize samples per batch (default 32)
 * @param workers decoding threads of the loaders (default 2)
 * @param augment how training chips are augmented: {@code true} (flips and 90 degree rotations), {@code false} (the
 *                default) or a mapping with photometric changes too ({@link AugmentSection})
 * @param streaming {@code auto} (default: stream chip stores larger than a quarter of the Java heap), {@code true}
 *                  (always stream row groups from disk through a shuffle buffer) or {@code false} (read into memory)
 * @param shuffleBuffer samples a streaming loader shuffles among (default 4096)
 */
public record DataSection(
        @JsonFormat(with = {JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED}) List<String> chips,
        String raster, List<String> rasters, List<String> bandsFrom, TargetGrid grid, TilingSettings tiling,
        String imageFolder, Integer resize, Integer batchSize, Integer workers, AugmentSection augment,
        String streaming, Integer shuffleBuffer) {

    /** The component that holds the tiling keys; in YAML they are written flat in the section. */
    public static final String TILING = "tiling";

    /** Fills defaults; an unset stride becomes the chip size, so the resolved configuration shows it. */
    public DataSection {
        tiling = tiling == null ? TilingSettings.defaults() : tiling;
        chips = chips == null ? List.of() : chips.stream().filter(c -> c != null && !c.isBlank()).toList();
        java.util.Set<java.nio.file.Path> seen = new java.util.HashSet<>();
        for (String c : chips) {
            if (!seen.add(java.nio.file.Path.of(c).toAbsolutePath().normalize())) {
                throw new ConfigException("data.chips names " + c + " twice; name each store once (twice would read"
                        + " its chips twice)");
            }
        }
        rasters = rasters == null ? List.of() : List.copyOf(rasters);
        bandsFrom = bandsFrom == null ? List.of() : List.copyOf(bandsFrom);
        if (!bandsFrom.isEmpty() && (raster != null && !raster.isBlank() || !rasters.isEmpty())) {
            throw new ConfigException("data.bandsFrom and data." + (rasters.isEmpty() ? "raster" : "rasters") + ": pass"
                    + " one of them; bandsFrom stacks single-band files, raster(s) read whole rasters");
        }
        tiling = tiling.stride() != null ? tiling : tiling.toBuilder().stride(tiling.chipSize()).build();
        resize = resize == null ? 0 : resize;
        batchSize = batchSize == null ? 32 : batchSize;
        workers = workers == null ? 2 : workers;
        augment = augment == null ? AugmentSection.off() : augment;
        streaming = streaming == null ? "auto" : streaming.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("auto", "true", "false").contains(streaming)) {
            throw new ConfigException("data.streaming '" + streaming + "': must be auto, true or false");
        }
        shuffleBuffer = shuffleBuffer == null ? LoaderConfig.DEFAULT_SHUFFLE_BUFFER : shuffleBuffer;
        atLeast("shuffleBuffer", shuffleBuffer, 1, "");
        boolean otherSource = raster != null && !raster.isBlank() || !rasters.isEmpty() || !bandsFrom.isEmpty()
                || imageFolder != null && !imageFolder.isBlank();
        if (chips.size() > 1 && otherSource) {
            throw new ConfigException("data.chips: " + chips.size() + " stores are read, not written; tile each scene"
                    + " into its own store first, or pass one store to tile into");
        }
        if (grid != null && grid.crs() != null) {
            try {
                grid.parsedCrs(); // as tile --crs: a CRS GDAL does not know is a usage error, found before any work
            } catch (io.geolightning.geo.GeoIOException e) {
                throw new ConfigException("data.grid.crs", "data.grid.crs '" + grid.crs() + "': " + e.getMessage(), e);
            }
        }
        atLeast("batchSize", batchSize, 2, " (batch norm trains on the statistics of a batch: one sample has none)");
        atLeast("workers", workers, 1, " (chips are always decoded on worker threads; PyTorch's num_workers=0, loading"
                + " in the training thread, is closest to 1)");
        atLeast("resize", resize, 0, " (0 keeps the images' size)");
        try {
            tiling.check();
        } catch (TilingException e) {
            if (e.setting() == null) {
                throw e;
            }
            throw new ConfigException("data." + e.setting(), "data." + e.setting() + " "
                    + (e.value() instanceof String v ? "'" + v + "'"
                    : e.value()) + ": " + e.problem(), e);
        }
    }

    private static void atLeast(String key, int value, int min, String note) {
        if (value < min) {
            throw new ConfigException("data." + key + " " + value + ": must be at least " + min + note);
        }
    }

    /** @return a section with every default and no source (a run must name one) */
    public static DataSection defaults() {
        return new DataSection(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** @return the split and shuffle seed, or null for the run's seed */
    public Long seed() {
        return tiling.seed();
    }

    /** @return true when this section tiles a scene or a region ({@code raster}, {@code rasters} or {@code bandsFrom}) */
    public boolean tilesScene() {
        return raster != null && !raster.isBlank() || !rasters.isEmpty() || !bandsFrom.isEmpty();
    }

    /** @return what {@code raster} and {@code rasters} name, in that order, or the {@code bandsFrom} files */
    public List<String> rasterSpecs() {
        if (!bandsFrom.isEmpty()) {
            return bandsFrom;
        }
        List<String> all = new ArrayList<>();
        if (raster != null && !raster.isBlank()) {
            all.add(raster);
        }
        all.addAll(rasters);
        return all;
    }

    /**
     * The keys this section's source does not read, left out of the resolved configuration a run writes and prints
     * (so its {@code config.yaml} and report show what was used): an existing chip store reads none of the raster,
     * grid, image-folder or tiling keys but {@code seed}; an image folder none of the raster, grid and tiling keys but
     * {@code val}, {@code test} and {@code seed}; a scene to tile none of the image-folder keys. Without a source
     * nothing is left out.
     *
     * @return the unused keys of {@code data}
     */
    public Set<String> unusedKeys() {
        Set<String> unused = new LinkedHashSet<>();
        if (tilesScene()) {
            unused.addAll(List.of("imageFolder", "resize"));
        } else if (readsImageFolder() || !chips.isEmpty()) {
            unused.addAll(List.of("raster", "rasters", "bandsFrom", "grid"));
            unused.addAll(RunConfigLoader.validKeys(TilingSettings.class));
            unused.remove("seed");
            if (readsImageFolder()) {
                unused.removeAll(List.of("val", "test"));
                unused.addAll(List.of("streaming", "shuffleBuffer"));
            } else {
                unused.addAll(List.of("imageFolder", "resize"));
            }
        }
        return unused;
    }

    /** @return how the loaders read the chip store */
    public LoaderConfig.Streaming streamingMode() {
        return switch (streaming) {
            case "true" -> LoaderConfig.Streaming.ON;
            case "false" -> LoaderConfig.Streaming.OFF;
            default -> LoaderConfig.Streaming.AUTO;
        };
    }

    /** @return the one store to read or tile into, or null when {@code chips} is unset */
    public String chipStore() {
        return chips.isEmpty() ? null : chips.get(0);
    }

    /** @return true when this section reads class folders of images */
    public boolean readsImageFolder() {
        return imageFolder != null && !imageFolder.isBlank();
    }
}
