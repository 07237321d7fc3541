package io.geolightning.app.cli;

import io.geolightning.foundation.TempFolders;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.predict.ModelSignature;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.data.ChipBatches;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.trainer.Stage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code geolightning evaluate} scores besides a chip store: a folder of class folders of images, labelled in the
 * model's class order and normalised with its statistics; and a raster with its labels, cut into a temporary chip
 * store of the model's chip size (stride = chip size, every chip in one split, classes forced to the model's) that
 * is deleted afterwards.
 */
final class EvaluationSources {

    private EvaluationSources() {
    }

    /**
     * @param n a model's normalisation
     * @return it as band statistics (only the mean and the divisor are used)
     */
    static BandStatistics statistics(BandNormalization n) {
        int b = n.bands();
        long[] count = new long[b];
        Arrays.fill(count, 1);
        return new BandStatistics(count, n.mean(), n.std(), new double[b], new double[b]);
    }

    /**
     * @param folder the class folders
     * @param model the model (its classes, chip size, bands and normalisation)
     * @param batchSize images per batch
     * @return a loader over every image
     */
    static ChipBatches imageFolder(Path folder, InferenceModel model, int batchSize) {
        ModelSignature sig = model.signature();
        if (sig.kind() != LabelTask.CLASSIFICATION) {
            throw new CliException("--images " + folder + ": image folders hold images of one class each, but the"
                    + " model is a " + sig.kind().id() + " model; score it on --chips or --raster");
        }
        ImageFolderDataModule data = new ImageFolderDataModule(ImageFolderDataModule.Config.of(folder)
                .withResize(sig.chipSize()).withLoader(LoaderConfig.builder().batchSize(batchSize).build())
                .forModel(model.classNames(), statistics(model.normalization())));
        data.setup(Stage.TEST);
        if (data.sampleCount(Split.TEST) == 0) {
            throw new CliException("--images " + folder + ": no image to score");
        }
        return data.testDataLoader();
    }

    /** A raster cut into a temporary chip store; closing deletes it. @param store the store */
    record TiledRaster(Path store) implements AutoCloseable {
        @Override
        public void close() {
            TempFolders.delete(store.getParent());
        }
    }

    /**
     * @param raster the raster
     * @param labels polygons or a label raster
     * @param layer the layer of {@code labels}, or null for the first
     * @param field the attribute naming the class, or null
     * @param ignoreValue the label value that is not scored, or null
     * @param ignoreUnknown whether labels of classes the model does not know are ignored (else an error)
     * @param model the model (chip size, task, classes, bands)
     * @return the temporary store (its train split holds every chip)
     */
    static TiledRaster tile(Path raster, Path labels, String layer, String field, Integer ignoreValue,
                            boolean ignoreUnknown, InferenceModel model) {
        ModelSignature sig = model.signature();
        try (GeoRaster in = GeoRaster.open(GdalPath.of(raster.toString()))) {
            int bands = in.dataBands().length; // the chips leave alpha bands out, as tile does
            if (bands != sig.bands()) {
                throw new CliException(raster + ": has " + bands + " bands" + (bands < in.bandCount() ? " (and "
                        + (in.bandCount() - bands) + " alpha)" : "") + " but the model expects " + sig.bands()
                        + "; score it on imagery of the kind it was trained on");
            }
            if (in.width() < sig.chipSize() || in.height() < sig.chipSize()) {
                throw new CliException(raster + ": " + in.width() + "x" + in.height() + " pixels, smaller than the"
                        + " model's " + sig.chipSize() + "x" + sig.chipSize() + " chips; score it on a raster of at"
                        + " least that size");
            }
        }
        List<String> names = model.classNames();
        // a segmenter's background: the class tile named so, else its class 0 (tile --background NAME puts it first)
        LabelConfig lc = (sig.kind() == LabelTask.SEGMENTATION ? LabelConfig.segmentation(labels, field)
                .withBackground(names.contains("background") ? "background" : names.get(0))
                : LabelConfig.classification(labels, field)).withClassNames(names)
                .withIgnoreValue(ignoreValue).withIgnoreUnknown(ignoreUnknown).withLayer(layer);
        Path dir = scratchFolder("the chips");
        Path store = dir.resolve("chips");
        try {
            Tiler.run(TilingConfig.builder().scenes(GdalPath.of(raster.toString())).labels(lc)
                    .chipSize(sig.chipSize()).stride(sig.chipSize()).split(SplitConfig.allTrain()).store(store)
                    .build());
        } catch (RuntimeException e) {
            TempFolders.delete(dir);
            throw e;
        }
        return new TiledRaster(store);
    }

    /**
     * @param what what the folder is for, as the message names it
     * @return a new folder in {@code java.io.tmpdir}, deleted with {@link TempFolders#delete} (and on SIGINT/SIGTERM)
     * @throws CliException one line naming the temporary folder and the fix when it cannot be made (a full /tmp)
     */
    static Path scratchFolder(String what) {
        try {
            return TempFolders.create("geolightning-evaluate-");
        } catch (IOException e) {
            String tmp = System.getProperty("java.io.tmpdir");
            throw new CliException(tmp + ": cannot create a temporary folder for " + what + " (" + e.getMessage()
                    + "); free space there or point JAVA_OPTS=-Djava.io.tmpdir=DIR at another folder");
        }
    }
}
