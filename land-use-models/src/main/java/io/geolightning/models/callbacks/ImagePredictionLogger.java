package io.geolightning.models.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.PngBytes;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.predict.ClassPalette;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.loggers.ExperimentLogger;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lightning users' {@code ImagePredictionLogger}, built in: after every validation of a fit, the same
 * {@code count} validation chips (the first ones of the validation loader, taken once when the fit starts) are
 * predicted and drawn with their predicted and true class, or with the true and predicted mask overlaid
 * ({@link ChipGallery}); the picture goes to every experiment logger as the image {@code val_predictions} at the
 * global step (TensorBoard's Images tab) and, when a folder is given, to {@code <folder>/epoch=E-step=S.png} (the run
 * report's gallery). The module must be a {@link LandUseTask}.
 */
public final class ImagePredictionLogger implements Callback {

    /** The image's tag in the experiment loggers. */
    public static final String TAG = "val_predictions";
    private static final Logger LOG = LoggerFactory.getLogger(ImagePredictionLogger.class);

    private final Dataset validation;
    private final int count;
    private final List<Integer> bands;
    private final Path folder;
    private final List<float[]> chips = new ArrayList<>();
    private final List<int[]> truth = new ArrayList<>();
    private long[] chipShape;

    /**
     * @param validation the validation data (its first {@code count} samples are drawn)
     * @param count how many chips (at least 1)
     * @param bands the chip bands to show, 1-based: three for RGB or one for grey; empty = the first three (or the
     *     only one)
     * @param folder where the PNGs go, or null for the loggers only
     */
    public ImagePredictionLogger(Dataset validation, int count, List<Integer> bands, Path folder) {
        if (count < 1) {
            throw new ModelException("image predictions: " + count + " chips; draw at least 1 (or leave the callback"
                    + " out)");
        }
        if (!bands.isEmpty() && bands.size() != 1 && bands.size() != 3) {
            throw new ModelException("image predictions: bands " + bands + "; give three bands (red, green, blue) or"
                    + " one (grey)");
        }
        this.validation = validation;
        this.count = count;
        this.bands = List.copyOf(bands);
        this.folder = folder;
    }

    @Override
    public void onFitStart(Trainer trainer, LightningModule module) {
        if (!(module instanceof LandUseTask)) {
            throw new ModelException("image predictions draw a LandUseTask's chips, not a "
                    + module.getClass().getSimpleName());
        }
        if (validation == null || !chips.isEmpty()) {
            return;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            java.util.Iterator<Batch> it = validation.getData(manager).iterator();
            try {
                while (chips.size() < count && it.hasNext()) {
                    try (Batch b = it.next()) {
                        take(b);
                    }
                }
            } finally {
                closeQuietly(it); // a loader's prefetching stops with its iterator
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new ModelException("image predictions: cannot read the validation chips (" + e.getMessage() + ")", e);
        }
        if (chipShape != null) {
            displayBands((int) chipShape[0]); // a band the chips lack is refused before training, not after an epoch
        }
    }

    private static void closeQuietly(Object iterator) {
        if (iterator instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the validation iterator: {}", e.toString());
            }
        }
    }

    private void take(Batch b) {
        NDArray x = b.getData().head();
        NDArray y = b.getLabels().head().toType(DataType.INT32, false);
        long[] shape = x.getShape().getShape();
        chipShape = new long[] {shape[1], shape[2], shape[3]};
        int per = (int) (shape[1] * shape[2] * shape[3]);
        float[] all = x.toFloatArray();
        int[] labels = y.toIntArray();
        int perLabel = labels.length / (int) shape[0];
        for (int i = 0; i < shape[0] && chips.size() < count; i++) {
            chips.add(java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per));
            truth.add(java.util.Arrays.copyOfRange(labels, i * perLabel, (i + 1) * perLabel));
        }
    }

    @Override
    public void onValidationEnd(Trainer trainer, LightningModule module) {
        if (chips.isEmpty() || !(module instanceof LandUseTask task) || trainer.stage() != Stage.FIT) {
            return; // validations of a fit only: a later Trainer.validate would draw the last epoch again
        }
        int n = chips.size();
        int c = (int) chipShape[0];
        int h = (int) chipShape[1];
        int w = (int) chipShape[2];
        float[] flat = new float[n * c * h * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(chips.get(i), 0, flat, i * c * h * w, c * h * w);
        }
        List<int[]> predicted = new ArrayList<>();
        float[] confidence;
        try (NDManager m = module.getManager().newSubManager()) {
            NDArray probs = task.probabilities(m.create(flat, new Shape(n, c, h, w)));
            int[] argmax = probs.argMax(1).toType(DataType.INT32, false).toIntArray();
            float[] top = probs.max(new int[] {1}).toFloatArray();
            int per = argmax.length / n;
            for (int i = 0; i < n; i++) {
                predicted.add(java.util.Arrays.copyOfRange(argmax, i * per, (i + 1) * per));
            }
            confidence = per == 1 ? top : null;
        }
        List<String> names = task.settings().classNames();
        Map<Integer, Color> colors = ClassPalette.of(names, ClassPalette.merge(task.settings().classColors(),
                Map.of()), 255);
        BufferedImage image = ChipGallery.render(chips, displayBands(c), h, w, truth, predicted, confidence, names,
                colors, task.settings().ignoreIndex());
        byte[] png = png(image);
        for (ExperimentLogger l : trainer.loggers()) {
            l.logImage(TAG, png, image.getWidth(), image.getHeight(), trainer.globalStep());
        }
        if (folder != null) {
            Path file = folder.resolve("epoch=" + trainer.currentEpoch() + "-step=" + trainer.globalStep() + ".png");
            try {
                Files.createDirectories(folder);
                AtomicFiles.write(file, os -> os.write(png));
            } catch (IOException e) {
                LOG.warn("{}: cannot write the validation predictions ({})", file, e.getMessage());
            }
        }
    }

    private int[] displayBands(int chipBands) {
        if (bands.isEmpty()) {
            return chipBands >= 3 ? new int[] {0, 1, 2} : new int[] {0};
        }
        int[] out = new int[bands.size()];
        for (int i = 0; i < out.length; i++) {
            int b = bands.get(i);
            if (b < 1 || b > chipBands) {
                throw new ModelException("image predictions: band " + b + " is not one of the chips' bands 1.."
                        + chipBands + "; pick bands that exist");
            }
            out[i] = b - 1;
        }
        return out;
    }

    private static byte[] png(BufferedImage image) {
        try {
            return PngBytes.of(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
