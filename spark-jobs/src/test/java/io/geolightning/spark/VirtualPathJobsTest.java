package io.geolightning.spark;

import static io.geolightning.spark.SparkTestSupport.csv;
import static io.geolightning.spark.SparkTestSupport.data;
import static io.geolightning.spark.SparkTestSupport.nbClip;
import static io.geolightning.spark.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.foundation.fuzz.ZipEdits;
import io.geolightning.foundation.testing.RangeHttpServer;
import io.geolightning.geo.GeoRaster;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scene lists naming GDAL paths: a scene over HTTP ({@code /vsicurl/}) and labels in a zip ({@code /vsizip/}). */
class VirtualPathJobsTest {

    @TempDir
    Path tmp;

    private static Map<String, String> chips(Path store) {
        Map<String, String> out = new TreeMap<>();
        ChipStoreReader.open(store).forEach(r -> out.put(r.chipId(), r.split() + " " + r.label() + " "
                + Arrays.hashCode(r.pixels())));
        return out;
    }

    @Test
    void tileAndPredictJobsReadScenesOverHttpAndLabelsFromAZip() throws Exception {
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.copy(data("olinda/L7_ETMs.tif"), www.resolve("L7_ETMs.tif"));
        Files.copy(nbClip(1), www.resolve("nb1.tif"));
        Path zip = ZipEdits.zipShapefile(data("olinda/olinda1.shp"), tmp.resolve("labels.zip"));
        try (RangeHttpServer http = new RangeHttpServer(www)) {
            String raster = "/vsicurl/" + http.url("L7_ETMs.tif");
            String labels = "/vsizip/" + zip + "/olinda1.shp";
            Path list = csv(tmp.resolve("olinda.csv"), "raster,labels", List.of(raster + "," + labels));
            TilingSettings olinda = TilingSettings.builder().labelField("TIPO").chipSize(32).build();
            TileJob.Result r = TileJob.run(spark(), new TileJob.Config(list, tmp.resolve("chips"), olinda, 1, false));
            assertEquals(SceneStatus.OK, r.scenes().get(0).status(), r.scenes().get(0).error());
            Path local = csv(tmp.resolve("local.csv"), "raster,labels", List.of(data("olinda/L7_ETMs.tif") + ","
                    + data("olinda/olinda1.shp")));
            TileJob.run(spark(), new TileJob.Config(local, tmp.resolve("ref"), olinda, 1, false));
            Map<String, String> expected = chips(tmp.resolve("ref"));
            assertFalse(expected.isEmpty());
            assertEquals(expected, chips(tmp.resolve("chips")), "same chips, splits, labels and pixels");

            Path checkpoint = TinyCheckpoint.shared();
            String scene = "/vsicurl/" + http.url("nb1.tif");
            Path scenes = csv(tmp.resolve("predict.csv"), "raster", List.of(scene));
            Path out = tmp.resolve("classified");
            PredictJob.Result p = PredictJob.run(spark(), new PredictJob.Config(checkpoint, scenes, out,
                    tmp.resolve("summary"), PredictSettings.defaults(), 0));
            assertEquals(SceneStatus.OK, p.scenes().get(0).status(), p.scenes().get(0).error());
            Path ref = tmp.resolve("ref-nb1.tif");
            try (TaskInferenceModel model = TaskInferenceModel.fromCheckpoint(checkpoint);
                 GeoRaster in = GeoRaster.open(nbClip(1))) {
                new ScenePredictor(model).predict(in, ref, PredictOptions.defaults());
            }
            try (GeoRaster a = GeoRaster.open(ref); GeoRaster b = GeoRaster.open(out.resolve("nb1.tif"))) {
                assertArrayEquals(a.readAll().bytes(), b.readAll().bytes());
            }
            assertTrue(http.partialResponses() > 0);
        }
    }
}
