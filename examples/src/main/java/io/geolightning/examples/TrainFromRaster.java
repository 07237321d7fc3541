package io.geolightning.examples;

import io.geolightning.models.nn.Architecture;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.data.Augmentation;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.trainer.Seeding;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.Mode;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.loggers.CsvLogger;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains a chip classifier from a raster and a layer of labelled polygons, as a Java program: tiles the raster into
 * 16 px chips labelled by the polygons' {@code FIELD} (spatial split: blocks of 4 x 4 chips go to train, val or test
 * together), trains a small CNN with flips and rotations, keeps the best checkpoint by validation loss, stops early,
 * logs metrics.csv, and scores the best checkpoint on the test split.
 *
 * <pre>
 * TrainFromRaster RASTER LABELS FIELD OUT_DIR [EPOCHS]
 * TrainFromRaster sample-data/olinda/L7_ETMs.tif sample-data/olinda/olinda1.shp TIPO build/example 5
 * </pre>
 * Writes {@code OUT_DIR/chips} (the chip store), {@code OUT_DIR/olinda/version_N/metrics.csv} and
 * {@code OUT_DIR/checkpoints/*.ckpt}; prints the best checkpoint's path and test metrics.
 */
public final class TrainFromRaster {

    private TrainFromRaster() {
    }

    /** @param args RASTER LABELS FIELD OUT_DIR [EPOCHS] */
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: TrainFromRaster RASTER LABELS FIELD OUT_DIR [EPOCHS]");
            System.exit(2);
        }
        Path raster = Path.of(args[0]);
        Path labels = Path.of(args[1]);
        String field = args[2];
        Path out = Path.of(args[3]);
        int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 5;

        TilingConfig tiling = TilingConfig.builder().scenes(raster).labels(LabelConfig.classification(labels, field))
                .chipSize(16).stride(8)
                .split(SplitConfig.spatial(BlockGrid.chips(4), new SplitRatios(0.6, 0.2, 0.2), 42))
                .store(out.resolve("chips")).build();
        LoaderConfig loader = LoaderConfig.builder().batchSize(32).seed(42)
                .augmentation(Augmentation.flipsAndRotations()).build();
        SatelliteDataModule data = new SatelliteDataModule(SatelliteDataModule.Config.tile(tiling, loader));

        ModelCheckpoint best = ModelCheckpoint.builder().dirpath(out.resolve("checkpoints")).monitor("val_loss")
                .mode(Mode.MIN).saveLast(true).build();
        EarlyStopping early = EarlyStopping.builder("val_loss").patience(3).build();
        Seeding.seedEverything(42); // the task draws its initial weights when it is built, before the trainer seeds
        try (LandUseTask task = LandUseTask.create(TaskSettings.forData(Architecture.CNN, data));
             Trainer trainer = Trainer.builder().maxEpochs(epochs).seed(42).callbacks(best, early)
                     .loggers(new CsvLogger(out, "olinda")).build()) {
            trainer.fit(task, data);
            System.out.println("best checkpoint: " + best.bestModelPath());
            try (LandUseTask trained = LandUseTask.load(best.bestModelPath())) {
                Map<String, Double> test = trainer.test(trained, data);
                System.out.printf("test accuracy %.4f, mIoU %.4f, macro F1 %.4f%n", test.get("test_acc"),
                        test.get("test_miou"), test.get("test_f1"));
            }
        }
    }
}
