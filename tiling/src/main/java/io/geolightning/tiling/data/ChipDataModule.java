package io.geolightning.tiling.data;

import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.trainer.LightningDataModule;
import io.geolightning.trainer.Stage;
import java.util.List;

/**
 * A Lightning data module of chips, as TorchGeo's {@code GeoDataModule} extends Lightning's: the trainer's
 * {@link LightningDataModule} life cycle ({@link #prepareData()} once - download, tile, write to disk - then
 * {@link #setup(Stage)} per stage, then the loaders, each {@link ChipBatches} (in memory or streamed), {@code null} when its split holds no
 * sample), plus what the model side needs: class names, band count, chip size and the normalisation statistics.
 */
public interface ChipDataModule extends LightningDataModule {

    /** @return the training loader (shuffled, augmented as configured); needs setup(FIT) */
    @Override
    ChipBatches trainDataLoader();

    /** @return the validation loader (ordered, not augmented), or null when there is no validation sample */
    @Override
    ChipBatches valDataLoader();

    /** @return the test loader (ordered, not augmented), or null when there is no test sample; needs setup(TEST) */
    @Override
    ChipBatches testDataLoader();

    /** @return the prediction loader (ordered, no labels), or null when there is nothing to predict */
    @Override
    ChipBatches predictDataLoader();

    /** @return class names indexed by class id */
    List<String> classNames();

    /** @return number of input bands */
    int bandCount();

    /** @return chip (or image) side in pixels: {width, height} */
    int[] chipSize();

    /** @return statistics of the training split used for normalisation */
    BandStatistics bandStatistics();

    /**
     * Normalises every loader's samples with {@code normalization} instead of the training split's band statistics:
     * a run's declared {@code model.normalization} (the scaling pretrained weights expect), which the checkpoint
     * stores and prediction applies, so that training sees what prediction does. Nodata stays the data's.
     *
     * @param normalization one mean and std per band, or null for the band statistics
     */
    void normalizeWith(BandNormalization normalization);

    /**
     * @param split a split
     * @return samples of the split (0 when it has none)
     */
    long sampleCount(Split split);

    /**
     * @param split a split
     * @return whether the data module holds at least one sample of it
     */
    default boolean hasSamples(Split split) {
        return sampleCount(split) > 0;
    }
}
