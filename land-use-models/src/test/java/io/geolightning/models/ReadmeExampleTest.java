package io.geolightning.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterCatalog;
import io.geolightning.geo.TargetGrid;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.Region;
import io.geolightning.tiling.RegionRaster;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.trainer.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;

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

    @Test
    void tileAndPredictARegionThroughTheJavaApi() throws Exception {
        Path data = io.geolightning.models.tasks.SceneChips.data().resolve("massachusetts");
        Path tiles = java.nio.file.Files.createDirectories(tmp.resolve("tiles"));
        for (String[] half : new String[][] {{"0", "west"}, {"591", "east"}}) {
            Process p = new ProcessBuilder("gdal_translate", "-q", "-srcwin", half[0], "0", "591", "901",
                    data.resolve("22978945_15.tif").toString(), tiles.resolve(half[1] + ".tif").toString()).start();
            assertEquals(0, p.waitFor());
        }
        Path buildings = data.resolve("buildings_22978945_15.gpkg");
        Geometry polygons = new org.locationtech.jts.io.WKTReader().read("POLYGON ((-71.146 42.297, -71.136 42.297,"
                + " -71.146 42.302, -71.146 42.297))");
        Path chips = tmp.resolve("region-chips");
        Path out = tmp.resolve("region-classes.tif");
        TaskSettings settings = TaskSettings.of(ModelSpec.of(Architecture.UNET, 3, 2, 64).withOption("width", 8)
                .withOption("depth", 2)).withClassNames(List.of("background", "building"));
        try (LandUseTask task = LandUseTask.create(settings); var model = new TaskInferenceModel(task, "untrained")) {

            // --- README region example starts here ---
            RasterCatalog catalog = RasterCatalog.expand(List.of(tiles + "/*.tif")); // files, globs, folders, lists
            TargetGrid grid = new TargetGrid("EPSG:26986", 1.0, "bilinear");        // or TargetGrid.ofFirstRaster()
            Region aoi = Region.of(polygons, "EPSG:4326");                            // or a box: new Region(...)
            Tiler.run(TilingConfig.builder().scenes(catalog.files().toArray(GdalPath[]::new)).grid(grid)
                    .labels(LabelConfig.segmentation(buildings, null)).chipSize(64).store(chips).build()
                    .withRegion(aoi));
            try (RegionRaster.Opened region = RegionRaster.of(catalog, grid).within(aoi).open()) {
                new ScenePredictor(model).predict(region.raster(), out, PredictOptions.builder().area(aoi).build());
            }
            // --- README region example ends here ---
        }
        assertTrue(ChipStoreReader.open(chips).rowCount() > 5, "chips meet the AOI");
        try (GeoRaster classified = GeoRaster.open(out)) {
            long nodata = 0;
            for (byte b : classified.readAll().bytes()) {
                nodata += (b & 0xFF) == 255 ? 1 : 0;
            }
            assertTrue(nodata > 0 && nodata < classified.width() * (long) classified.height(), "masked to the AOI");
        }
    }
}
