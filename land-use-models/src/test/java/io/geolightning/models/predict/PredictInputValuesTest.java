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

    /**
     * Infinite samples (a band ratio's x/0) are no data, as NaN is: they reach the model as 0, the normalised mean,
     * and a pixel infinite in every band is nodata in the output; fed as they were, they made whole windows NaN,
     * painted class 0 (a quarter of the scene here), under a warning about the raster's scale.
     */
    @Test
    void infiniteSamplesArePredictedAsNaNSamplesAre() throws Exception {
        BandNormalization norm = new BandNormalization(new double[] {80, 69, 60, 60, 60, 60},
                new double[] {15, 16, 20, 20, 20, 20});
        Path[] classes = new Path[2];
        String[] values = {"nan", "inf"};
        for (int i = 0; i < 2; i++) {
            Path raster = tmp.resolve(values[i] + ".tif");
            String scene = SceneChips.olindaRaster().toString();
            Quadrants.gdal("/usr/bin/python3", "/usr/bin/gdal_calc.py", "--quiet", "-A", scene, "--A_band=1", "-B",
                    scene, "--allBands=B", "--type=Float32", "--outfile=" + raster, "--calc=numpy.where((A < 60)"
                    + " | (B % 7 == 0), numpy." + values[i] + ", B).astype(numpy.float32)");
            classes[i] = tmp.resolve(values[i] + "-classes.tif");
            try (GeoRaster in = GeoRaster.open(raster); TorchScriptModel model = segmenter(tmp, norm)) {
                PredictionResult r = new ScenePredictor(model).predict(in, classes[i], PredictOptions.builder()
                        .windowSize(64).overlap(16).build());
                assertTrue(r.warnings().isEmpty(), values[i] + ": " + r.warnings());
            }
        }
        try (GeoRaster nan = GeoRaster.open(classes[0]); GeoRaster inf = GeoRaster.open(classes[1])) {
            byte[] a = nan.readAll().bytes();
            byte[] b = inf.readAll().bytes();
            int differ = 0;
            int nodata = 0;
            for (int i = 0; i < a.length; i++) {
                differ += a[i] != b[i] ? 1 : 0;
                nodata += (b[i] & 0xFF) == ScenePredictor.NODATA ? 1 : 0;
            }
            assertEquals(0, differ, differ + " of " + a.length + " pixels differ");
            assertTrue(nodata > 1000, "pixels infinite in every band are nodata: " + nodata);
        }
    }
}
