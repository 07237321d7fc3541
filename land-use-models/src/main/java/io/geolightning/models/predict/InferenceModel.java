package io.geolightning.models.predict;

import io.geolightning.tiling.data.BandNormalization;
import java.util.List;

/**
 * A trained network ready to classify windows of a scene: a restored {@link TaskInferenceModel task} or a
 * {@link io.geolightning.models.torchscript.TorchScriptModel TorchScript} export. Not thread-safe.
 *
 * <p>Input: {@code n} windows, each {@code bands x height x width} float32 in band-major (CHW) order, already
 * normalised with {@link #normalization()}. Output: class probabilities, {@code n x classes} for a chip classifier
 * or {@code n x classes x height x width} for a segmenter ({@link ModelSignature#kind()}).
 */
public interface InferenceModel extends AutoCloseable {

    /** @return what the network takes and returns: kind, bands, classes, chip size */
    ModelSignature signature();

    /** @return one name per class; index = class value in the output raster */
    List<String> classNames();

    /** @return the per-band normalisation the network was trained with */
    BandNormalization normalization();

    /**
     * @return the band mean/std of the data the network was trained on, which a raster's scale is judged against:
     *     {@link #normalization()} unless that was declared (a run's {@code model.normalization})
     */
    default BandNormalization scaleReference() {
        return normalization();
    }

    /**
     * @return the colours the model's classes were given at training ({@code #rrggbb} by class name), which
     *     predictions use unless told otherwise; empty when none were
     */
    default java.util.Map<String, String> classColors() {
        return java.util.Map.of();
    }

    /** @return where the model came from (a checkpoint or .pt file name), for messages and metadata */
    String source();

    /**
     * @param batch {@code n * bands * height * width} normalised values
     * @param n number of windows
     * @param height window rows
     * @param width window columns
     * @return probabilities, {@code n * classes} or {@code n * classes * height * width} values
     */
    float[] probabilities(float[] batch, int n, int height, int width);

    /** Releases native memory. */
    @Override
    void close();
}
