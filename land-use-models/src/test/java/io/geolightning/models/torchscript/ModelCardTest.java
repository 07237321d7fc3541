package io.geolightning.models.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.geolightning.models.nn.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model card's values are read as written or refused in one line: nothing misspelt or mistyped is ignored. */
class ModelCardTest {

    private static final String HEAD = "{\"format\": \"geolightning-model-card/1\", \"bands\": 3, \"classes\": 2,"
            + " \"chipSize\": 64, ";

    @TempDir
    Path tmp;

    private Path card(String name, String rest) throws IOException {
        return Files.writeString(tmp.resolve(name), HEAD + rest + "}");
    }

    @Test
    void aScalarMeanAndStdHoldForEveryBand() throws IOException {
        TorchScriptSpec s = ModelCard.read(card("ok.json", "\"task\": \"classification\", \"classNames\": [\"a\","
                + " \"b\"], \"normalization\": {\"mean\": 100, \"std\": [50], \"scale\": 1}, \"outputsProbabilities\":"
                + " true"));
        assertArrayEquals(new double[] {100, 100, 100}, s.normalization().mean());
        assertArrayEquals(new double[] {50, 50, 50}, s.normalization().std());
        assertEquals(List.of("a", "b"), s.classNames());
    }

    @Test
    void classColoursByNameOrValueColourTheClasses() throws IOException {
        TorchScriptSpec s = ModelCard.read(card("colours.json", "\"task\": \"segmentation\", \"classNames\": [\"a\","
                + " \"b\"], \"classColors\": {\"1\": \"#FF0000\", \"a\": \"00ff00\"}, \"ignoreIndex\": 255"));
        assertEquals(Map.of("a", "#00ff00", "b", "#ff0000"), s.classColors());
    }

    @Test
    void misspeltOrMistypedValuesAreRefused() throws IOException {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("\"task\": \"segmentation\", \"normalization\": {\"mean\": [0.5], \"sdt\": [0.2]}",
                "unknown key 'normalization.sdt'; use mean, std and scale");
        bad.put("\"task\": \"segmentation\", \"classNames\": \"a,b\"", "classNames is \"a,b\", not a list");
        bad.put("\"task\": \"segmentation\", \"classNames\": [\"a\", 2]", "classNames holds 2, not a name");
        bad.put("\"task\": \"segmentation\", \"outputsProbabilities\": \"yes\"",
                "outputsProbabilities is \"yes\"; write true or false");
        bad.put("\"task\": 5", "'task' is 5, not a name");
        bad.put("\"task\": \"segmentation\", \"classColors\": [\"#ff0000\"]",
                "classColors is [\"#ff0000\"], not an object");
        bad.put("\"task\": \"segmentation\", \"classColors\": {\"1\": 5}", "classColors.1 is 5, not a colour");
        bad.put("\"task\": \"segmentation\", \"classColors\": {\"roof\": \"#ff0000\"}",
                "class colour for 'roof': no such class; the classes are [class 0, class 1]");
        bad.put("\"task\": \"segmentation\", \"normalization\": {\"scale\": \"255\"}",
                "normalization.scale is \"255\", not a number");
        int i = 0;
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Path c = card("bad" + i++ + ".json", b.getKey());
            ModelException e = assertThrows(ModelException.class, () -> ModelCard.read(c), b.getKey());
            assertEquals(c + ": " + b.getValue(), e.getMessage().substring(0, (c + ": " + b.getValue()).length()),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
