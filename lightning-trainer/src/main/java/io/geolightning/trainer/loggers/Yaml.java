package io.geolightning.trainer.loggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Writes hyperparameters as YAML ({@code hparams.yaml}): one {@code key: value} line per entry, scalars and
 * nested values in JSON flow style, which is valid YAML 1.2.
 */
final class Yaml {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Yaml() {}

    static String of(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            try {
                sb.append(JSON.writeValueAsString(e.getKey())).append(": ")
                        .append(JSON.writeValueAsString(e.getValue())).append('\n');
            } catch (JsonProcessingException ex) {
                sb.append(e.getKey()).append(": ").append(JSON.valueToTree(String.valueOf(e.getValue()))).append('\n');
            }
        }
        return sb.toString();
    }
}
