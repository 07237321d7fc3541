package io.geolightning.trainer;

import ai.djl.training.dataset.Dataset;

/**
 * All the data of an experiment in one place, like Lightning's {@code LightningDataModule}. Each loader is a DJL
 * {@link Dataset} ({@code Iterable<Batch> getData(NDManager)}); {@code null} means "this stage has no data".
 *
 * <p>A {@link ai.djl.training.dataset.Batch}'s arrays belong to the batch: the {@link Trainer} closes every batch
 * right after its step, so a dataset must hand out fresh batches (DJL's {@code ArrayDataset} and the tiling
 * module's datasets do).
 */
public interface LightningDataModule {

    /** Downloads or prepares data once, before {@link #setup(Stage)}; default: nothing. */
    default void prepareData() {}

    /**
     * Builds the datasets needed for a stage (split, transforms); called once per trainer entry point.
     *
     * @param stage what is about to run
     */
    default void setup(Stage stage) {}

    /**
     * Returns the training data.
     *
     * @return the training dataset, or {@code null} for none
     */
    default Dataset trainDataLoader() {
        return null;
    }

    /**
     * Returns the validation data.
     *
     * @return the validation dataset, or {@code null} for none
     */
    default Dataset valDataLoader() {
        return null;
    }

    /**
     * Returns the test data.
     *
     * @return the test dataset, or {@code null} for none
     */
    default Dataset testDataLoader() {
        return null;
    }

    /**
     * Returns the data to predict on.
     *
     * @return the prediction dataset, or {@code null} for none
     */
    default Dataset predictDataLoader() {
        return null;
    }

    /**
     * Called once after the stage ends; default: nothing.
     *
     * @param stage the stage that ended
     */
    default void teardown(Stage stage) {}

    /**
     * Wraps plain datasets as a data module.
     *
     * @param train training data (may be null)
     * @param val validation data (may be null)
     * @return a data module returning those datasets
     */
    static LightningDataModule of(Dataset train, Dataset val) {
        return new LightningDataModule() {
            @Override
            public Dataset trainDataLoader() {
                return train;
            }

            @Override
            public Dataset valDataLoader() {
                return val;
            }
        };
    }

    /**
     * Wraps a plain test dataset as a data module.
     *
     * @param test test data
     * @return a data module whose test loader is that dataset
     */
    static LightningDataModule ofTest(Dataset test) {
        return new LightningDataModule() {
            @Override
            public Dataset testDataLoader() {
                return test;
            }
        };
    }
}
