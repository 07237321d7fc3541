package io.geolightning.models.predict;

/** The most probable classes in a probability array laid out as {@link InferenceModel#probabilities} returns it. */
public final class ClassScores {

    private ClassScores() {
    }

    /**
     * @param probabilities {@code n * classes * perSample} values: sample, then class, then pixel
     * @param n samples
     * @param classes classes
     * @param perSample values per sample and class: 1 for a classifier, height x width for a segmenter
     * @return the most probable class of each sample (and pixel), {@code n * perSample} values; the lowest class wins
     *     a tie
     */
    public static int[] argmax(float[] probabilities, int n, int classes, int perSample) {
        int[] out = new int[n * perSample];
        for (int i = 0; i < n; i++) {
            int base = i * classes * perSample;
            for (int px = 0; px < perSample; px++) {
                int best = 0;
                float top = probabilities[base + px];
                for (int c = 1; c < classes; c++) {
                    float v = probabilities[base + c * perSample + px];
                    if (v > top) {
                        top = v;
                        best = c;
                    }
                }
                out[i * perSample + px] = best;
            }
        }
        return out;
    }
}
