package io.geolightning.models.predict;

/** The per-pixel weight of a window's prediction, by {@link Blending} mode. */
final class BlendWeights {

    /** Weight outside the central part in CENTRAL_CROP mode: tiny, so it matters only where no centre covers. */
    private static final float OUTSIDE = 1e-4f;
    /** Smallest weight of the tapered ramp (never 0, so every pixel a window covers gets a prediction). */
    private static final float FLOOR = 1e-3f;

    private BlendWeights() {
    }

    /**
     * @param mode blending mode
     * @param size window side
     * @param overlap overlap of neighbouring windows
     * @return {@code size x size} weights, row-major
     */
    static float[] window(Blending mode, int size, int overlap) {
        float[] axis = axis(mode, size, overlap);
        float[] w = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                w[y * size + x] = axis[y] * axis[x];
            }
        }
        return w;
    }

    static float[] axis(Blending mode, int size, int overlap) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            int fromEdge = Math.min(i, size - 1 - i);
            a[i] = switch (mode) {
                case UNIFORM -> 1f;
                case CENTRAL_CROP -> fromEdge >= overlap / 2 ? 1f : OUTSIDE;
                case TAPERED -> {
                    if (overlap == 0 || fromEdge >= overlap) {
                        yield 1f;
                    }
                    double t = (fromEdge + 0.5) / overlap;
                    yield (float) Math.max(FLOOR, 0.5 - 0.5 * Math.cos(Math.PI * t));
                }
            };
        }
        return a;
    }
}
