package io.geolightning.models.predict;

import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.StreamingRasterWriter;
import java.util.Arrays;

/**
 * Writes the finished rows of a {@link StripAccumulator} to the class (and probability) rasters: the rows and columns
 * of the block being predicted, nodata outside an area's polygons, probabilities as fractions or whole percent.
 */
final class StripRows {

    private StripRows() {
    }

    /**
     * Finishes the strip's first {@code rows} rows and writes the ones inside the block, nodata outside the area's
     * polygons.
     */
    static void write(StripAccumulator strip, int rows, PixelWindow block, AreaMask mask,
                      StreamingRasterWriter classes, StreamingRasterWriter probs, ProbabilityOutput kind,
                      int classCount) {
        int width = block.width();
        byte[] classOut = new byte[rows * width];
        float[] probOut = probs == null ? null : new float[classCount * rows * width];
        strip.finish(rows, (byte) ScenePredictor.NODATA, classOut, probOut);
        int first = Math.max(strip.top(), block.y());
        int last = Math.min(strip.top() + rows, block.endY());
        if (last <= first) {
            return;
        }
        int n = (last - first) * width;
        int skip = (first - strip.top()) * width;
        PixelWindow target = new PixelWindow(0, first - block.y(), width, last - first);
        byte[] cls = n == classOut.length ? classOut : Arrays.copyOfRange(classOut, skip, skip + n);
        float[] kept = probOut;
        if (probOut != null && n != classOut.length) {
            kept = new float[classCount * n];
            for (int c = 0; c < classCount; c++) {
                System.arraycopy(probOut, c * rows * width + skip, kept, c * n, n);
            }
        }
        if (mask != null) {
            boolean[] inside = mask.inside(new PixelWindow(block.x(), first, width, last - first));
            for (int i = 0; i < n; i++) {
                if (!inside[i]) {
                    cls[i] = (byte) ScenePredictor.NODATA;
                    for (int c = 0; kept != null && c < classCount; c++) {
                        kept[c * n + i] = Float.NaN;
                    }
                }
            }
        }
        classes.writeWindow(target, cls);
        if (probs == null) {
            return;
        }
        if (kind == ProbabilityOutput.UINT8_PERCENT) {
            byte[] pct = new byte[kept.length];
            for (int i = 0; i < pct.length; i++) {
                float p = kept[i];
                pct[i] = Float.isNaN(p) ? (byte) ScenePredictor.NODATA : (byte) Math.round(Math.min(1f, Math.max(0f, p)) * 100);
            }
            probs.writeWindow(target, pct);
        } else {
            probs.writeWindow(target, kept);
        }
    }
}
