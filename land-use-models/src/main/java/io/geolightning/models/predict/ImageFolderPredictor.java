package io.geolightning.models.predict;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.Progress;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.data.ChipSample;
import io.geolightning.tiling.data.ImageFiles;
import io.geolightning.tiling.labels.LabelTask;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies every image under a folder (sub-folders included, in path order) with a chip classifier: each image is
 * resized to the model's chip size, normalised with the model's statistics and given its most probable class. The
 * results are written as a CSV ({@code file,class,probability}, file relative to the folder) atomically.
 */
public final class ImageFolderPredictor {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderPredictor.class);

    /**
     * One image's class.
     *
     * @param file the image, relative to the folder
     * @param classValue the predicted class
     * @param className its name
     * @param probability its probability
     */
    public record Prediction(Path file, int classValue, String className, float probability) {
    }

    private final InferenceModel model;

    /** @param model a chip classifier */
    public ImageFolderPredictor(InferenceModel model) {
        ModelSignature sig = model.signature();
        if (sig.kind() != LabelTask.CLASSIFICATION) {
            throw new PredictOptionException("--images: classifies images with a chip classifier, but "
                    + model.source() + " is a " + sig.kind().id() + " model; predict rasters with --raster");
        }
        this.model = model;
    }

    /**
     * @param folder the images (any depth)
     * @param batchSize images per forward pass
     * @return one prediction per image, in path order
     */
    public List<Prediction> predict(Path folder, int batchSize) {
        List<Path> images;
        try {
            images = ImageFiles.under(folder);
        } catch (IOException e) {
            throw new ModelException(folder + ": cannot list the images (" + e.getMessage() + "); check the folder");
        }
        if (images.isEmpty()) {
            throw new ModelException(folder + ": holds no image (" + ImageFiles.suffixes()
                    + "); pass the folder of the images to classify");
        }
        int size = model.signature().chipSize();
        int bands = model.signature().bands();
        int plane = bands * size * size;
        BandNormalization norm = model.normalization();
        List<String> names = model.classNames();
        List<Prediction> out = new ArrayList<>(images.size());
        Progress progress = new Progress(LOG, folder.getFileName() + "", "images", images.size());
        for (int from = 0; from < images.size(); from += batchSize) {
            int n = Math.min(batchSize, images.size() - from);
            float[] batch = new float[n * plane];
            for (int i = 0; i < n; i++) {
                ChipSample sample = ImageFiles.decode(images.get(from + i), size, 0);
                if (sample.bands() != bands) {
                    throw new ModelException(images.get(from + i) + ": " + sample.bands() + " band(s) of "
                            + sample.dtype().id() + ", but " + model.source() + " takes " + bands + "; pass images"
                            + " of the bands it was trained on");
                }
                norm.apply(sample, batch, i * plane);
            }
            float[] p = model.probabilities(batch, n, size, size);
            int classes = names.size();
            int[] top = ClassScores.argmax(p, n, classes, 1);
            for (int i = 0; i < n; i++) {
                int best = top[i];
                out.add(new Prediction(folder.relativize(images.get(from + i)), best, names.get(best),
                        p[i * classes + best]));
            }
            progress.add(n);
        }
        progress.finish();
        return out;
    }

    /**
     * Writes predictions as {@code file,class,probability} (RFC 4180 quoting), atomically.
     *
     * @param predictions the predictions
     * @param csv the file to write
     */
    public static void writeCsv(List<Prediction> predictions, Path csv) {
        writeCsv(predictions, csv, true);
    }

    /**
     * {@link #writeCsv(List, Path)}, refusing to replace a file when {@code replace} is false.
     *
     * @param predictions the predictions
     * @param csv the file to write
     * @param replace false without {@code --overwrite}: a file written there meanwhile (another command's) is kept
     * @throws ModelException when the file cannot be written or, without replace, exists
     */
    public static void writeCsv(List<Prediction> predictions, Path csv, boolean replace) {
        AtomicFiles.Writer rows = os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("file,class,probability\n");
            for (Prediction p : predictions) {
                w.write(quote(p.file().toString().replace('\\', '/')) + "," + quote(p.className()) + ","
                        + String.format(Locale.ROOT, "%.6f", p.probability()) + "\n");
            }
            w.flush();
        };
        try {
            if (replace) {
                AtomicFiles.write(csv, rows);
            } else {
                AtomicFiles.writeNew(csv, rows);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ModelException(csv + ": another command wrote it while this one ran; pass --overwrite to"
                    + " replace it or choose another --out", e);
        } catch (IOException e) {
            throw new ModelException(csv + ": cannot write the predictions (" + e.getMessage() + "); check the"
                    + " folder is writable");
        }
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
