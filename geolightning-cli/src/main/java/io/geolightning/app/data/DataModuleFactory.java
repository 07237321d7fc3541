package io.geolightning.app.data;

import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.DataSection;
import io.geolightning.foundation.GeoLightningException;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.RasterCatalog;
import io.geolightning.geo.TargetGrid;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.data.ChipDataModule;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.store.ChipStoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a {@link DataSection} into a tiling data module: a {@link SatelliteDataModule} over an existing chip store or
 * over a scene tiled into one, or an {@link ImageFolderDataModule}. The section's values were checked when it was read
 * ({@link DataSection}); what is left are the sources: none, or two at once, is a {@link ConfigException}.
 */
public final class DataModuleFactory {

    private DataModuleFactory() {
    }

    /**
     * @param data the data section
     * @param defaultStore chip store used when tiling and {@code data.chips} is not set
     * @param seed the seed when {@code data.seed} is not set
     * @return the data module (nothing is read or tiled yet)
     */
    public static ChipDataModule create(DataSection data, Path defaultStore, long seed) {
        long s = data.seed() != null ? data.seed() : seed;
        int sources = (data.tilesScene() ? 1 : 0) + (data.readsImageFolder() ? 1 : 0);
        if (sources > 1) {
            throw new ConfigException("data: both 'raster' and 'imageFolder' are set; use one source per run");
        }
        LoaderConfig loader = loader(data, s);
        if (data.readsImageFolder()) {
            if (!data.chips().isEmpty()) {
                throw new ConfigException("data: 'chips' and 'imageFolder' are both set; an image folder is read"
                        + " directly, remove 'chips'");
            }
            SplitRatios ratios;
            try {
                ratios = data.tiling().ratios();
            } catch (TilingException e) { // checked at binding only for a split that uses them
                throw new ConfigException(dataKey(e), "data." + e.setting() + " " + e.value() + ": " + e.problem(), e);
            }
            return new ImageFolderDataModule(new ImageFolderDataModule.Config(Path.of(data.imageFolder()),
                    ratios, s, data.resize(), 512, loader));
        }
        if (data.tilesScene()) {
            Path store = data.chipStore() != null ? Path.of(data.chipStore()) : defaultStore;
            return new SatelliteDataModule(SatelliteDataModule.Config.tile(tilingConfig(data, store, s), loader));
        }
        if (data.chips().isEmpty()) {
            throw new ConfigException("data: no source; set 'chips' (a chip store from 'geolightning tile'), 'raster'"
                    + " + 'labels' + 'labelField' (tile a scene) or 'imageFolder' (class folders of images)");
        }
        return new SatelliteDataModule(SatelliteDataModule.Config.stores(data.chips().stream().map(Path::of).toList(),
                loader));
    }

    /**
     * Refuses a {@code data.chips} store that is not there, in the run configuration's words (the library's message
     * names its Java API), before a run makes its folder; a run that tiles a scene (data.raster) makes its store.
     *
     * @param data the data section
     * @throws GeoLightningException naming the key, the store and the tile command that makes one
     */
    public static void requireStores(DataSection data) {
        if (!data.tilesScene() && !data.readsImageFolder()) { // a run that tiles writes its store
            data.chips().forEach(DataModuleFactory::requireStore);
        }
    }

    private static void requireStore(String store) {
        Path path = Path.of(store);
        if (!Files.exists(new ChipStoreLayout(path).root())) {
            throw new GeoLightningException(GeoLightningException.Kind.FAILURE, "data.chips: " + store
                    + ": no chip store here" + (path.isAbsolute() ? "" : " (working directory: "
                    + Path.of("").toAbsolutePath() + ")") + "; tile one there first (geolightning tile ... --out "
                    + store + ") or set data.chips to an existing store");
        }
    }

    /**
     * @param data the data section (raster and tiling keys)
     * @param store where the chips go
     * @param seed split seed when {@code data.seed} is not set
     * @return the tiling configuration
     */
    public static TilingConfig tilingConfig(DataSection data, Path store, long seed) {
        if (!data.tilesScene()) {
            throw new ConfigException("data: 'raster' is not set; pass the scene to tile (or 'rasters' for a region,"
                    + " 'bandsFrom' for a stack of band files)");
        }
        List<GdalPath> files;
        try {
            files = RasterCatalog.expand(data.rasterSpecs()).files();
        } catch (GeoIOException e) {
            throw new ConfigException("data." + (data.bandsFrom().isEmpty() ? "rasters" : "bandsFrom") + ": "
                    + e.getMessage(), e);
        }
        boolean stack = !data.bandsFrom().isEmpty();
        TargetGrid grid = data.grid() != null ? data.grid()
                : files.size() > 1 || stack ? TargetGrid.ofFirstRaster() : null;
        try {
            return data.tiling().toTilingConfig(files, grid, store, seed, data.workers()).withStackBands(stack);
        } catch (TilingException e) {
            throw new ConfigException(dataKey(e), e.setting() != null && e.value() == null
                    ? "data." + e.setting() + " is not set: " + e.problem() : "data: " + e.getMessage(), e);
        }
    }

    /** @return the {@code data} key of the tiling setting an error is about (written flat in the section), or null */
    private static String dataKey(TilingException e) {
        return e.setting() == null ? null : "data." + e.setting();
    }

    /**
     * @param data the data section
     * @param seed shuffle/augmentation seed
     * @return the training loader configuration (evaluation loaders derive from it)
     */
    public static LoaderConfig loader(DataSection data, long seed) {
        return LoaderConfig.builder().batchSize(data.batchSize()).shuffle(true).seed(seed).workers(data.workers())
                .augmentation(data.augment().toAugmentation())
                .streaming(data.streamingMode()).shuffleBuffer(data.shuffleBuffer()).build();
    }
}
