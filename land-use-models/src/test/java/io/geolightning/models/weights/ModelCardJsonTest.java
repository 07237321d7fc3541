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
}
