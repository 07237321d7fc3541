package io.geolightning.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.trainer.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java API example, line for line (paths moved into a temporary folder), so it cannot rot. */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void tileTrainPredictOlindaThroughTheJavaApi() throws Exception {
        Path root = Path.of(System.getProperty("geolightning.root"));
        Path scene = root.resolve("sample-data/olinda/L7_ETMs.tif");
        Path labels = root.resolve("sample-data/olinda/olinda1.shp");
        Path chips = tmp.resolve("chips");
        Path out = tmp.resolve("classified.tif");

        // --- README example starts here ---
        var data = new SatelliteDataModule(SatelliteDataModule.Config.tile(TilingConfig.builder().scenes(scene)
                .labels(LabelConfig.classification(labels, "TIPO")).chipSize(16).store(chips).build(),
                LoaderConfig.builder().batchSize(32).build()));
        var task = LandUseTask.create(TaskSettings.forData(Architecture.CNN, data));
        Trainer.builder().maxEpochs(2).build().fit(task, data);
        try (GeoRaster raster = GeoRaster.open(scene)) {
            new ScenePredictor(new TaskInferenceModel(task, "olinda")).predict(raster, out, PredictOptions.defaults());
        }
        // --- README example ends here ---

        assertTrue(Files.isRegularFile(out));
        try (GeoRaster in = GeoRaster.open(scene); GeoRaster classified = GeoRaster.open(out)) {
            assertEquals(in.width(), classified.width());
            assertEquals(in.height(), classified.height());
            assertEquals(in.geoTransform(), classified.geoTransform());
            assertTrue(in.requireCrs().isEquivalent(classified.requireCrs()));
        }
    }
}
