package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.predict.TaskInferenceModel;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.store.ChipStoreReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate --raster} cuts the raster into a store labelled with the model's classes. A segmenter tiled with
 * {@code --background ground --classes building} knows the classes {@code [ground, building]}: its footprints
 * without a label field score as its own store does, {@code ground} around them (they used to be given a third class,
 * {@code background}, and were refused).
 */
class EvaluationSourcesTest {

    @Test
    void aSegmentersBackgroundIsItsClassZeroWhateverItsName() {
        ModelSpec spec = new ModelSpec(Architecture.UNET, 6, 2, 16, Map.of("width", "8", "depth", "2"));
        TaskSettings settings = new TaskSettings(spec, List.of("ground", "building"), null, null, 255, null);
        try (TaskInferenceModel model = new TaskInferenceModel(LandUseTask.create(settings), "untrained");
             EvaluationSources.TiledRaster tiled = EvaluationSources.tile(BadInputs.RASTER, BadInputs.LABELS, null,
                     null, null, false, model)) {
            assertEquals(List.of("ground", "building"), ChipStoreReader.open(tiled.store()).metadata().classNames());
            long[] building = {0};
            ChipStoreReader.open(tiled.store()).forEach(r -> {
                for (byte b : r.mask()) {
                    building[0] += b == 1 ? 1 : 0;
                }
            });
            assertTrue(building[0] > 0, "the polygons are the model's class 1");
        }
    }
}
