package io.geolightning.tiling.data;

import io.geolightning.tiling.stats.BandStatistics;
import java.util.List;

/**
 * Lightning's data-module life cycle for the JVM: {@link #prepareData()} once (download, tile, write to disk),
 * {@link #setup(Stage)} per stage, then the loaders. Exposes what the model side needs: class names, band count,
 * chip size and the normalisation statistics.
 */
public interface DataModule {
    /** Does the expensive one-time work (e.g. tiling into a chip store); skipped when its output is current. */
    void prepareData();

    /** Makes the loaders of a stage ready. */
    void setup(Stage stage);

    /** @return the training loader (shuffled, augmented as configured); needs setup(FIT) */
    ChipLoader trainDataLoader();

    /** @return the validation loader (ordered, not augmented); needs setup(FIT) or setup(VALIDATE) */
    ChipLoader valDataLoader();

    /** @return the test loader (ordered, not augmented); needs setup(TEST) */
    ChipLoader testDataLoader();

    /** @return the prediction loader (ordered, no labels); needs setup(PREDICT) */
    ChipLoader predictDataLoader();

    /** @return class names indexed by class id */
    List<String> classNames();

    /** @return number of input bands */
    int bandCount();

    /** @return chip (or image) side in pixels: {width, height} */
    int[] chipSize();

    /** @return statistics of the training split used for normalisation */
    BandStatistics bandStatistics();
}
