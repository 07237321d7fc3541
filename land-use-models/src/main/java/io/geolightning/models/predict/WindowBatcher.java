package io.geolightning.models.predict;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterWindow;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.data.BandNormalization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads prediction windows from the raster, normalises them with the model's band statistics (nodata samples become
 * 0, the normalised mean, as in training), runs them through the model in batches and adds the class probabilities
 * to the {@link StripAccumulator}. Windows with no valid pixel are skipped (counted, never run).
 */
final class WindowBatcher {
    private final InferenceModel model;
    private final GeoRaster in;
    private final int[] bands;
    private final int size;
    private final boolean classifier;
    private final int capacity;
    private final StripAccumulator strip;
    private final float[] weight;
    private final AreaMask mask;
    private final BandNormalization norm;
    /** The training data's statistics, where the model's normalisation was declared (else null: {@link #norm}). */
    private final BandNormalization reference;
    private final float[] batch;
    private final InputScale scale;
    private final List<int[]> positions = new ArrayList<>();
    private final List<boolean[]> masks = new ArrayList<>();
    private long skipped;

    /**
     * @param model the model
     * @param in the raster windows are read from
     * @param bands 1-based bands fed to the model, in model order
     * @param size window side
     * @param classifier one probability vector per window (else one per pixel)
     * @param capacity windows per forward pass
     * @param strip where probabilities are added
     * @param weight per-pixel blend weight of a window
     * @param mask the area's polygons (windows that miss them are skipped), or null
     */
    WindowBatcher(InferenceModel model, GeoRaster in, int[] bands, int size, boolean classifier, int capacity,
                  StripAccumulator strip, float[] weight, AreaMask mask) {
        this.model = model;
        this.in = in;
        this.bands = bands;
        this.size = size;
        this.classifier = classifier;
        this.capacity = capacity;
        this.strip = strip;
        this.weight = weight;
        this.mask = mask;
        this.norm = model.normalization();
        this.reference = model.scaleReference().equals(norm) ? null : model.scaleReference();
        this.batch = new float[capacity * bands.length * size * size];
        this.scale = new InputScale(bands);
    }

    /** @return the scale of the values read so far against the training data's */
    InputScale scale() {
        return scale;
    }

    /** @return windows skipped because every pixel was nodata or the window missed the area */
    long skipped() {
        return skipped;
    }

    /**
     * Reads the window at (x, y) and queues it; runs the batch when full.
     *
     * @param x window column in the raster
     * @param y window row in the raster
     */
    void add(int x, int y) {
        PixelWindow window = new PixelWindow(x, y, size, size);
        if (mask != null && !mask.meets(window)) {
            skipped++;
            return;
        }
        RasterWindow w = in.read(window, bands);
        boolean[] valid = w.validMask();
        boolean any = false;
        for (boolean v : valid) {
            if (v) {
                any = true;
                break;
            }
        }
        if (!any) {
            skipped++;
            return;
        }
        int plane = size * size;
        int offset = positions.size() * bands.length * plane;
        double[] raw = w.toDoubleArray(); // normalised from exact values, as training does (not float-rounded)
        for (int b = 0; b < bands.length; b++) {
            boolean[] bandValid = w.validMask(b);
            for (int i = 0; i < plane; i++) {
                if (bandValid[i]) {
                    float z = norm.apply(b, raw[b * plane + i]);
                    batch[offset + b * plane + i] = z;
                    scale.add(b, reference == null ? z : reference.apply(b, raw[b * plane + i]));
                } else {
                    batch[offset + b * plane + i] = 0f;
                }
            }
        }
        positions.add(new int[] {x, y});
        masks.add(valid);
        if (positions.size() == capacity) {
            flush();
        }
    }

    /** Runs the queued windows and adds their probabilities to the strip, in the order they were added. */
    void flush() {
        int n = positions.size();
        if (n == 0) {
            return;
        }
        float[] input = n == capacity ? batch : Arrays.copyOf(batch, n * bands.length * size * size);
        float[] probs = model.probabilities(input, n, size, size);
        int classes = model.signature().classes();
        int per = classifier ? classes : classes * size * size;
        if (probs.length != (long) n * per) {
            throw new ModelException(model.source() + ": returned " + probs.length + " values for " + n
                    + " windows of " + size + " px, expected " + (long) n * per + " (" + classes + " classes, "
                    + (classifier ? "one per window" : "per pixel") + "); check the model's classes and kind");
        }
        for (int i = 0; i < n; i++) {
            int[] p = positions.get(i);
            strip.add(p[0], p[1], size, in.height(), masks.get(i), weight, probs, i * per, !classifier);
        }
        positions.clear();
        masks.clear();
    }
}
