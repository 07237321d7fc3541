package io.geolightning.examples;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.Polygonizer;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.PredictionResult;
import io.geolightning.models.predict.ProbabilityOutput;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Map;

/**
 * Classifies a whole scene with a checkpoint, as a Java program: a Cloud-Optimized GeoTIFF of class values on the
 * scene's grid (its class names and colours in the {@code .aux.xml} and a QGIS {@code .qml} beside it), the class
 * probabilities, and the class regions as polygons in a GeoPackage.
 *
 * <pre>
 * PredictScene CHECKPOINT RASTER OUT.tif
 * PredictScene build/example/checkpoints/last.ckpt sample-data/olinda/L7_ETMs.tif build/example/olinda.tif
 * </pre>
 */
public final class PredictScene {

    private PredictScene() {
    }

    /** @param args CHECKPOINT RASTER OUT.tif */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: PredictScene CHECKPOINT RASTER OUT.tif");
            System.exit(2);
        }
        Path checkpoint = Path.of(args[0]);
        Path raster = Path.of(args[1]);
        Path out = Path.of(args[2]);

        PredictOptions options = PredictOptions.builder()
                .probabilities(ProbabilityOutput.UINT8_PERCENT)
                // class colours by class value or name (e.g. "URBANO"); the other classes keep the checkpoint's or
                // the default palette
                .colors(Map.of("0", new Color(0x2ca02c)))
                .polygons(Polygonizer.besideRaster(out))
                .polygonOptions(new Polygonizer.Options(true, 5000, 0))
                .overwrite(true).build();
        try (TaskInferenceModel model = TaskInferenceModel.fromCheckpoint(checkpoint);
             GeoRaster scene = GeoRaster.open(raster)) {
            PredictionResult r = new ScenePredictor(model).predict(scene, out, options);
            System.out.printf("classified %d x %d px into %s (classes %s), probabilities %s, polygons %s, %.1f s%n",
                    r.width(), r.height(), r.classes(), model.classNames(), r.probabilities(), r.polygons(),
                    r.seconds());
        }
    }
}
