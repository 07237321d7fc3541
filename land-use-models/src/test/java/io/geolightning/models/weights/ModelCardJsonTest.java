package io.geolightning.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import java.nio.file.Path;
import java.util.List;
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
