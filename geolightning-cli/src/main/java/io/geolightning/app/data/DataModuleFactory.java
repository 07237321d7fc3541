package io.geolightning.app.data;

import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.DataSection;
import io.geolightning.tiling.EdgeMode;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.data.Augmentation;
import io.geolightning.tiling.data.DataModule;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.ClassificationRule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns a {@link DataSection} into a tiling data module: a {@link SatelliteDataModule} over an existing chip store or
 * over a scene tiled into one, or an {@link ImageFolderDataModule}. Values that cannot be understood (an unknown mode,
 * split or edge, ratios out of range, a malformed block size, no source at all) are {@link ConfigException}s naming the
 * key and the accepted values.
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
    public static DataModule create(DataSection data, Path defaultStore, long seed) {
        long s = data.seed() != null ? data.seed() : seed;
        int sources = (data.tilesScene() ? 1 : 0) + (data.readsImageFolder() ? 1 : 0);
        if (sources > 1) {
            throw new ConfigException("data: both 'raster' and 'imageFolder' are set; use one source per run");
        }
        LoaderConfig loader = loader(data, s);
        if (data.readsImageFolder()) {
            if (data.chips() != null) {
                throw new ConfigException("data: 'chips' and 'imageFolder' are both set; an image folder is read"
                        + " directly, remove 'chips'");
            }
            return new ImageFolderDataModule(new ImageFolderDataModule.Config(Path.of(data.imageFolder()),
                    ratios(data), s, data.resize(), 512, loader));
        }
        if (data.tilesScene()) {
            Path store = data.chips() != null ? Path.of(data.chips()) : defaultStore;
            return new SatelliteDataModule(SatelliteDataModule.Config.tile(tilingConfig(data, store, s), loader));
        }
        if (data.chips() == null) {
            throw new ConfigException("data: no source; set 'chips' (a chip store from 'geolightning tile'), 'raster'"
                    + " + 'labels' + 'labelField' (tile a scene) or 'imageFolder' (class folders of images)");
        }
        return new SatelliteDataModule(SatelliteDataModule.Config.store(Path.of(data.chips()), loader));
    }

    /**
     * @param data the data section (raster, labels and tiling keys)
     * @param store where the chips go
     * @param seed split seed
     * @return the tiling configuration
     */
    public static TilingConfig tilingConfig(DataSection data, Path store, long seed) {
        if (!data.tilesScene()) {
            throw new ConfigException("data: 'raster' is not set; pass the scene to tile");
        }
        LabelTask task = mode(data.mode());
        if (data.labels() == null || data.labels().isBlank()) {
            throw new ConfigException("data: 'labels' is not set; pass the vector file with the label polygons");
        }
        if (task == LabelTask.CLASSIFICATION && (data.labelField() == null || data.labelField().isBlank())) {
            throw new ConfigException("data: 'labelField' is not set; classification needs the attribute holding the"
                    + " class, e.g. labelField: TIPO");
        }
        if (data.chipSize() < 1 || data.stride() < 1) {
            throw new ConfigException("data: chipSize " + data.chipSize() + " / stride " + data.stride()
                    + ": both must be positive pixel counts, e.g. chipSize: 64");
        }
        if (!(data.minCoverage() >= 0 && data.minCoverage() <= 1)) {
            throw new ConfigException("data: minCoverage " + data.minCoverage() + ": must be between 0 and 1");
        }
        if (!(data.maxNodata() >= 0 && data.maxNodata() <= 1)) {
            throw new ConfigException("data: maxNodata " + data.maxNodata() + ": must be between 0 and 1");
        }
        LabelConfig labels = new LabelConfig(Path.of(data.labels()), blankToNull(data.layer()),
                blankToNull(data.labelField()), data.classes(), data.background(), data.ignoreValue(),
                ClassificationRule.minCoverage(data.minCoverage()), data.allTouched(), task);
        return TilingConfig.builder()
                .scenes(Path.of(data.raster()))
                .labels(labels)
                .chipSize(data.chipSize())
                .stride(data.stride())
                .edge(edge(data.edge()))
                .maxNodataFraction(data.maxNodata())
                .split(split(data, seed))
                .store(store)
                .workers(Math.max(1, data.workers()))
                .build();
    }

    /**
     * @param data the data section
     * @param seed shuffle/augmentation seed
     * @return the training loader configuration (evaluation loaders derive from it)
     */
    public static LoaderConfig loader(DataSection data, long seed) {
        if (data.batchSize() < 1 || data.workers() < 1) {
            throw new ConfigException("data: batchSize " + data.batchSize() + " / workers " + data.workers()
                    + ": both must be at least 1");
        }
        return LoaderConfig.builder().batchSize(data.batchSize()).shuffle(true).seed(seed).workers(data.workers())
                .augmentation(data.augment() ? Augmentation.flipsAndRotations() : Augmentation.none()).build();
    }

    /**
     * @param mode {@code classification} or {@code segmentation}
     * @return the label task
     */
    public static LabelTask mode(String mode) {
        return switch (mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT)) {
            case "classification" -> LabelTask.CLASSIFICATION;
            case "segmentation" -> LabelTask.SEGMENTATION;
            default -> throw new ConfigException("mode '" + mode + "': unknown; use classification or segmentation");
        };
    }

    /**
     * @param data split kind, ratios and block size
     * @param seed split seed
     * @return the split configuration
     */
    public static SplitConfig split(DataSection data, long seed) {
        String kind = data.split().trim().toLowerCase(Locale.ROOT);
        if (kind.equals("none")) {
            return SplitConfig.allTrain();
        }
        SplitRatios ratios = ratios(data);
        return switch (kind) {
            case "spatial" -> SplitConfig.spatial(block(data.block()), ratios, seed);
            case "random" -> SplitConfig.random(ratios, seed);
            default -> throw new ConfigException("split '" + data.split() + "': unknown; use spatial, random or none");
        };
    }

    private static SplitRatios ratios(DataSection data) {
        double val = data.val();
        double test = data.test();
        if (!(val >= 0 && test >= 0 && val + test < 1)) {
            throw new ConfigException("split fractions val " + val + " / test " + test + ": each must be >= 0 and"
                    + " together below 1, e.g. val 0.2, test 0.1");
        }
        return new SplitRatios(1 - val - test, val, test);
    }

    /**
     * @param text {@code 4} (chips) or {@code 5000m} (map units of the raster CRS)
     * @return the block grid
     */
    public static BlockGrid block(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("m")) {
                double units = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (units > 0 && Double.isFinite(units)) {
                    return BlockGrid.mapUnits(units);
                }
            } else {
                String n = t.endsWith("chips") ? t.substring(0, t.length() - 5).trim() : t;
                int chips = Integer.parseInt(n);
                if (chips > 0) {
                    return BlockGrid.chips(chips);
                }
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        throw new ConfigException("block '" + text + "': not a block size; write a whole number of chips (e.g. 4) or"
                + " map units with an m suffix (e.g. 5000m)");
    }

    /**
     * @param text {@code drop}, {@code shift} or {@code pad}
     * @return the edge mode
     */
    public static EdgeMode edge(String text) {
        try {
            return EdgeMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("edge '" + text + "': unknown; use drop, shift or pad");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
