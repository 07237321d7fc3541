package io.geolightning.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.models.torchscript.ModelCard;
import io.geolightning.models.torchscript.TorchScriptSpec;
import io.geolightning.tiling.data.BandNormalization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export's model.json is JSON whatever the class names hold: quotes, backslashes, tabs, other scripts. */
class ModelCardJsonTest {

    @Test
    void classNamesWithControlCharactersAreEscaped(@TempDir Path tmp) throws Exception {
        List<String> names = List.of("Rural\ttab", "say \"urban\"", "back\\slash", "Água\u0001");
        try (LandUseTask task = LandUseTask.create(TaskSettings.of(ModelSpec.of(Architecture.CNN, 3, 4, 16))
                .withClassNames(names))) {
            ModelExport.export(task, tmp, ModelExport.Format.NPZ);
        }
        JsonNode card = new ObjectMapper().readTree(tmp.resolve("model.json").toFile()); // strict: no raw controls
        assertEquals(names, List.of(card.get("classNames").get(0).asText(), card.get("classNames").get(1).asText(),
                card.get("classNames").get(2).asText(), card.get("classNames").get(3).asText()));
    }

    /**
     * A segmentation export's card carries the class colours and the ignore value, says how no data was fed, and reads
     * back as the spec a TorchScript trace of the model predicts with: the same colours.
     */
    @Test
    void theCardCarriesColoursIgnoreValueAndNoDataRule(@TempDir Path tmp) throws Exception {
        try (LandUseTask task = LandUseTask.create(TaskSettings.of(ModelSpec.of(Architecture.UNET, 3, 3, 32))
                .withClassNames(List.of("ground", "roof", "water")).withClassColors(Map.of("1", "#D62728",
                        "water", "1f77b4")))) {
            ModelExport.export(task, tmp, ModelExport.Format.SAFETENSORS);
        }
        JsonNode card = new ObjectMapper().readTree(tmp.resolve("model.json").toFile());
        assertEquals("#d62728", card.path("classColors").path("roof").asText(), card.toString());
        assertEquals("#1f77b4", card.path("classColors").path("water").asText(), card.toString());
        assertEquals(255, card.path("ignoreIndex").asInt(), card.toString());
        assertTrue(card.path("python").asText().contains("no data in a band (its nodata value, NaN, +/-inf) are fed"
                + " as 0 after normalization"), card.toString());
        TorchScriptSpec spec = ModelCard.read(tmp.resolve("model.json"));
        assertEquals(Map.of("roof", "#d62728", "water", "#1f77b4"), spec.classColors());
    }

    /**
     * The card's band mean and std are the checkpoint's to the last bit: a Float64 band far from zero (1e8 plus a
     * reflectance of std 0.05) was written with 9 significant digits, "100000000", half a unit off, which moved a
     * Python user's normalised inputs by 6 standard deviations; a std of 1e-20 lost its digits the same way.
     */
    @Test
    void normalisationIsWrittenExactly(@TempDir Path tmp) throws Exception {
        double[] mean = {100000000.30981731, 1000000.2678529233, 1.0e-9 / 3};
        double[] std = {0.054582259540525715, 123456.78912345678, 1.0e-7 / 3};
        try (LandUseTask task = LandUseTask.create(TaskSettings.of(ModelSpec.of(Architecture.CNN, 3, 2, 16))
                .withNormalization(new BandNormalization(mean, std)))) {
            ModelExport.export(task, tmp, ModelExport.Format.NPZ);
        }
        JsonNode norm = new ObjectMapper().readTree(tmp.resolve("model.json").toFile()).path("normalization");
        for (int b = 0; b < 3; b++) {
            assertEquals(mean[b], norm.path("mean").get(b).doubleValue(), 0.0, norm.toString());
            assertEquals(std[b], norm.path("std").get(b).doubleValue(), 0.0, norm.toString());
        }
        TorchScriptSpec spec = ModelCard.read(tmp.resolve("model.json"));
        assertArrayEquals(mean, spec.normalization().mean(), 0.0);
        assertArrayEquals(std, spec.normalization().std(), 0.0);
    }

    /** A re-export in the other format replaces the earlier export's weights; a file the folder held before stays. */
    @Test
    void reExportingInTheOtherFormatLeavesNoStaleWeights(@TempDir Path tmp) throws Exception {
        try (LandUseTask task = LandUseTask.create(TaskSettings.of(ModelSpec.of(Architecture.CNN, 3, 2, 16)))) {
            ModelExport.export(task, tmp.resolve("a"), ModelExport.Format.NPZ);
            ModelExport.export(task, tmp.resolve("a"), ModelExport.Format.SAFETENSORS);
            assertEquals(false, java.nio.file.Files.exists(tmp.resolve("a/model.npz")));
            assertEquals(true, java.nio.file.Files.exists(tmp.resolve("a/model.safetensors")));
            java.nio.file.Files.createDirectories(tmp.resolve("b"));
            java.nio.file.Files.writeString(tmp.resolve("b/model.npz"), "the user's own file");
            ModelExport.export(task, tmp.resolve("b"), ModelExport.Format.SAFETENSORS);
            assertEquals("the user's own file", java.nio.file.Files.readString(tmp.resolve("b/model.npz")));
        }
    }
}
