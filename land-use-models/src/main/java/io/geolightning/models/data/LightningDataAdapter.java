package io.geolightning.models.data;

import ai.djl.training.dataset.Dataset;
import io.geolightning.tiling.data.ChipLoader;
import io.geolightning.tiling.data.DataModule;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.splits.Split;
import io.geolightning.trainer.LightningDataModule;
import io.geolightning.trainer.Stage;

/**
 * Adapts a tiling {@link DataModule} (chip stores, image folders) to the trainer's {@link LightningDataModule}. The
 * life cycle maps one to one ({@code prepareData}, {@code setup(stage)}, the four loaders); a split that holds no
 * sample is reported as "no data" ({@code null}), which is what the trainer expects when, say, a store has no
 * validation chips.
 */
public final class LightningDataAdapter implements LightningDataModule {

    private final DataModule data;

    /** @param data the tiling data module to expose to the trainer */
    public LightningDataAdapter(DataModule data) {
        this.data = data;
    }

    /** @return the wrapped data module (class names, band count, chip size, statistics) */
    public DataModule data() {
        return data;
    }

    @Override
    public void prepareData() {
        data.prepareData();
    }

    @Override
    public void setup(Stage stage) {
        data.setup(toTiling(stage));
    }

    @Override
    public Dataset trainDataLoader() {
        return hasSamples(Split.TRAIN) ? data.trainDataLoader() : null;
    }

    @Override
    public Dataset valDataLoader() {
        return hasSamples(Split.VAL) ? data.valDataLoader() : null;
    }

    @Override
    public Dataset testDataLoader() {
        return hasSamples(Split.TEST) ? data.testDataLoader() : null;
    }

    @Override
    public Dataset predictDataLoader() {
        ChipLoader l = data.predictDataLoader();
        return l == null || l.size() == 0 ? null : l;
    }

    /**
     * @param split a split
     * @return whether the data module holds at least one sample of it
     */
    public boolean hasSamples(Split split) {
        if (data instanceof SatelliteDataModule s) {
            return s.metadata().rows(split.id()) > 0;
        }
        if (data instanceof ImageFolderDataModule f) {
            return !f.entries(split).isEmpty();
        }
        ChipLoader l = switch (split) {
            case TRAIN -> data.trainDataLoader();
            case VAL -> data.valDataLoader();
            case TEST -> data.testDataLoader();
            case PREDICT -> data.predictDataLoader();
        };
        return l != null && l.size() > 0;
    }

    /**
     * @param split a split
     * @return samples of the split (0 when it has none)
     */
    public long sampleCount(Split split) {
        if (data instanceof SatelliteDataModule s) {
            return s.metadata().rows(split.id());
        }
        if (data instanceof ImageFolderDataModule f) {
            return f.entries(split).size();
        }
        return hasSamples(split) ? -1 : 0;
    }

    /**
     * @param stage a trainer stage
     * @return the tiling module's stage of the same name
     */
    public static io.geolightning.tiling.data.Stage toTiling(Stage stage) {
        return switch (stage) {
            case FIT -> io.geolightning.tiling.data.Stage.FIT;
            case VALIDATE -> io.geolightning.tiling.data.Stage.VALIDATE;
            case TEST -> io.geolightning.tiling.data.Stage.TEST;
            case PREDICT -> io.geolightning.tiling.data.Stage.PREDICT;
        };
    }
}
