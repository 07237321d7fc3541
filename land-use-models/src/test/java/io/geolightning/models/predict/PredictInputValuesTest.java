package io.geolightning.models.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.foundation.testing.Quadrants;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterDataType;
import io.geolightning.geo.RasterWindow;
import io.geolightning.models.tasks.SceneChips;
import io.geolightning.models.torchscript.TorchScriptArchives;
import io.geolightning.models.torchscript.TorchScriptModel;
import io.geolightning.models.torchscript.TorchScriptSpec;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.labels.LabelTask;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The values a scene prediction feeds the model, on rasters derived from the Olinda scene with GDAL: they are
 * normalised from each sample's exact value, as training normalises its chips.
 */
class PredictInputValuesTest {

    @TempDir
    Path tmp;

    /** Class 1 exactly where normalised band 2 exceeds normalised band 1 (the segmenter's rule). */
    private static TorchScriptModel segmenter(Path tmp, BandNormalization norm) throws Exception {
        Path pt = TorchScriptArchives.firstTwoBandsSegmenter(tmp.resolve("seg.pt"));
        return TorchScriptModel.load(pt, new TorchScriptSpec(LabelTask.SEGMENTATION, 6, 2, 32,
                List.of("dark", "bright"), norm, false));
    }

    /** Pixels whose class breaks the segmenter's rule computed in double from the raster's values. */
    private static int ruleMismatches(GeoRaster in, Path classes, BandNormalization norm) {
        RasterWindow src = in.readAll();
        try (GeoRaster got = GeoRaster.open(classes)) {
            byte[] cls = got.readAll().bytes();
            int mismatches = 0;
            for (int y = 0; y < in.height(); y++) {
                for (int x = 0; x < in.width(); x++) {
                    double a = (src.getDouble(0, x, y) - norm.mean()[0]) / norm.std()[0];
                    double b = (src.getDouble(1, x, y) - norm.mean()[1]) / norm.std()[1];
                    if (Math.abs(a - b) > 1e-4 && cls[y * in.width() + x] != (b > a ? 1 : 0)) {
                        mismatches++;
                    }
                }
            }
            return mismatches;
        }
    }

    /**
     * Float64 values around 1e9 (GPS times, large offsets) vary by less than a float's spacing there (64): rounded
     * to float before the mean was subtracted, they lost their signal (a third of the pixels of this scene changed
     * class, without a warning) where the training chips, normalised from doubles, kept it.
     */
    @Test
    void float64ValuesFarFromZeroAreNormalisedFromTheirExactValues() throws Exception {
        Path f64 = tmp.resolve("olinda-plus-1e9.tif");
        Quadrants.gdal("gdal_translate", "-q", "-ot", "Float64", "-scale", "0", "255", "1000000000", "1000000255",
                SceneChips.olindaRaster().toString(), f64.toString());
        BandNormalization norm = new BandNormalization(new double[] {1e9 + 80, 1e9 + 69, 1e9, 1e9, 1e9, 1e9},
                new double[] {15, 16, 1, 1, 1, 1});
        Path out = tmp.resolve("classes.tif");
        try (GeoRaster in = GeoRaster.open(f64); TorchScriptModel model = segmenter(tmp, norm)) {
            assertEquals(RasterDataType.FLOAT64, in.dataType());
            double first = in.read(new PixelWindow(0, 0, 1, 1), 1).getDouble(0, 0, 0);
            assertTrue(first > 1e9 && first <= 1e9 + 255 && first == Math.rint(first), "1e9 + a value: " + first);
            new ScenePredictor(model).predict(in, out, PredictOptions.builder().windowSize(64).overlap(16).build());
            int mismatches = ruleMismatches(in, out, norm);
            assertEquals(0, mismatches, mismatches + " of " + in.width() * in.height() + " pixels classified from"
                    + " rounded values");
            assertTrue(in.width() * in.height() > 100_000);
        }
    }
}
