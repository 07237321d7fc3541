package io.geolightning.models.predict;

import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.labels.LabelTask;
import java.util.List;

/**
 * Test-time augmentation: the model's probabilities averaged over the eight flips and quarter turns of each window
 * (the dihedral group of the square), each turned back before averaging, so a segmenter's pixels line up again. A
 * model that treats every pixel alone gives the same result with or without it; a model that sees context gains
 * the robustness of an ensemble, at eight times the compute.
 */
public final class TestTimeAugmentation implements InferenceModel {

    private final InferenceModel model;

    private TestTimeAugmentation(InferenceModel model) {
        this.model = model;
    }

    /**
     * @param model the model (not closed by the wrapper: its owner closes it)
     * @return the model's probabilities averaged over each square input's eight flips and quarter turns, as
     *     {@code predict --tta} and {@code evaluate --tta} use it
     */
    public static InferenceModel of(InferenceModel model) {
        return new TestTimeAugmentation(model);
    }

    @Override
    public ModelSignature signature() {
        return model.signature();
    }

    @Override
    public List<String> classNames() {
        return model.classNames();
    }

    @Override
    public BandNormalization normalization() {
        return model.normalization();
    }

    @Override
    public String source() {
        return model.source() + " (8-fold test-time augmentation)";
    }

    /** Leaves the wrapped model open: its owner closes it. */
    @Override
    public void close() {
        // the predictor's caller owns the model
    }

    @Override
    public float[] probabilities(float[] batch, int n, int height, int width) {
        if (height != width) {
            throw new ModelException("test-time augmentation needs square windows, not " + width + " x " + height);
        }
        int bands = batch.length / (n * height * width);
        boolean perPixel = model.signature().kind() != LabelTask.CLASSIFICATION;
        float[] sum = null;
        for (int t = 0; t < 8; t++) {
            float[] out = model.probabilities(transform(batch, n * bands, height, t, false), n, height, width);
            if (perPixel) {
                out = transform(out, out.length / (height * width), height, t, true);
            }
            if (sum == null) {
                sum = out;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += out[i];
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= 8f;
        }
        return sum;
    }

    /**
     * Applies (or undoes) transform {@code t} of the square's eight symmetries to {@code planes} planes of
     * {@code size x size}: {@code t & 3} quarter turns, then a left-right flip when {@code t >= 4}.
     */
    static float[] transform(float[] data, int planes, int size, int t, boolean inverse) {
        float[] out = new float[data.length];
        int turns = t & 3;
        boolean flip = t >= 4;
        int plane = size * size;
        for (int p = 0; p < planes; p++) {
            int base = p * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    // forward: source (x, y) -> turned -> flipped; the inverse maps the other way
                    int tx = x;
                    int ty = y;
                    for (int k = 0; k < turns; k++) { // one quarter turn: (x, y) -> (size-1-y, x)
                        int nx = size - 1 - ty;
                        ty = tx;
                        tx = nx;
                    }
                    if (flip) {
                        tx = size - 1 - tx;
                    }
                    if (inverse) {
                        out[base + y * size + x] = data[base + ty * size + tx];
                    } else {
                        out[base + ty * size + tx] = data[base + y * size + x];
                    }
                }
            }
        }
        return out;
    }
}
