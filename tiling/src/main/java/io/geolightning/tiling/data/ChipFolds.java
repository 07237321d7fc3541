package io.geolightning.tiling.data;

import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SpatialItem;
import io.geolightning.tiling.splits.SpatialKFold;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitResult;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreMetadata;
import java.util.ArrayList;
import java.util.List;

/** k-fold spatial-block cross-validation over chips held in memory ({@link SatelliteDataModule#crossValidationFolds}). */
public final class ChipFolds {

    private ChipFolds() {
    }

    /**
     * One fold of spatial-block cross-validation.
     *
     * @param index fold number, 0-based
     * @param train training loader (configured like the data module's training loader), normalised with this fold's
     *              statistics
     * @param val validation loader of the fold's held-out blocks
     * @param statistics band statistics of the fold's training chips
     */
    public record Fold(int index, ChipLoader train, ChipLoader val, BandStatistics statistics) {
    }

    /**
     * @param samples the chips' pixels and labels
     * @param chips the same chips' positions, in the same order
     * @param metadata the store's sidecar (bands, data type, nodata, task)
     * @param loader the training loader configuration (validation loaders drop shuffle, augmentation and dropLast)
     * @param grid the blocks dealt to folds
     * @param k number of folds
     * @param seed the dealing seed
     * @return the folds
     */
    static List<Fold> spatial(List<ChipSample> samples, List<ChipRow> chips, ChipStoreMetadata metadata,
            LoaderConfig loader, BlockGrid grid, int k, long seed) {
        List<Indexed> items = new ArrayList<>();
        for (int i = 0; i < chips.size(); i++) {
            items.add(new Indexed(i, chips.get(i)));
        }
        List<Fold> out = new ArrayList<>();
        List<SplitResult<Indexed>> folds = new SpatialKFold(grid, k, seed).folds(items);
        LoaderConfig evalConfig = loader.toBuilder().shuffle(false).dropLast(false).augmentation(Augmentation.none())
                .build();
        for (int f = 0; f < folds.size(); f++) {
            List<ChipSample> train = folds.get(f).get(Split.TRAIN).stream().map(it -> samples.get(it.index())).toList();
            List<ChipSample> val = folds.get(f).get(Split.VAL).stream().map(it -> samples.get(it.index())).toList();
            BandStatisticsAccumulator acc = new BandStatisticsAccumulator(metadata.bands(),
                    ChipDataType.parse(metadata.dtype()), metadata.nodataArray());
            train.forEach(t -> acc.add(t.pixels(), t.width() * t.height()));
            BandStatistics st = acc.result();
            BandNormalization norm = BandNormalization.of(st, metadata.nodataArray());
            out.add(new Fold(f, new ChipLoader(new ListChipSource(train), norm, loader, metadata.task()),
                    new ChipLoader(new ListChipSource(val), norm, evalConfig, metadata.task()), st));
        }
        return out;
    }

    /** A chip with its position in the loaded list, so folds can map back to samples. */
    private record Indexed(int index, ChipRow row) implements SpatialItem {
        public String sceneKey() {
            return row.scene();
        }

        public int x() {
            return row.x();
        }

        public int y() {
            return row.y();
        }

        public int width() {
            return row.width();
        }

        public int height() {
            return row.height();
        }

        public double minx() {
            return row.minx();
        }

        public double miny() {
            return row.miny();
        }

        public double maxx() {
            return row.maxx();
        }

        public double maxy() {
            return row.maxy();
        }
    }
}
