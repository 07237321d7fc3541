package io.geolightning.models.torchscript;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.labels.LabelTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * The small JSON file that says what a TorchScript model does not record about itself ({@link TorchScriptSpec}), the
 * same card {@code geolightning export} writes beside exported weights:
 * <pre>{@code
 * {"format": "geolightning-model-card/1", "task": "segmentation", "bands": 3, "classes": 2,
 *  "classNames": ["background", "building"], "chipSize": 256,
 *  "normalization": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "scale": 255},
 *  "outputsProbabilities": false, "classColors": {"building": "#d62728"}}
 * }</pre>
 * {@code normalization} is optional (identity); its {@code mean}/{@code std} hold one value for every band or one per
 * band, applied as {@code (x / scale - mean) / std}; {@code classColors} (optional, by class name or value) colour
 * the class raster, and {@code ignoreIndex}, which export writes for segmentation, is informative. A model
 * {@code M.pt} finds its card as {@code M.json}, else
 * {@code model.json}, in its folder.
 */
public final class ModelCard {

    /** The value of {@code format}, up to its version. */
    public static final String FORMAT = "geolightning-model-card/";
    private static final Set<String> KEYS = Set.of("format", "task", "bands", "classes", "classNames", "chipSize",
            "normalization", "outputsProbabilities", "classColors", "ignoreIndex", "architecture", "layout", "options",
            "weights", "python");

    private ModelCard() {
    }

    /**
     * @param model a TorchScript file
     * @return its card: {@code <name>.json} beside it, else {@code model.json} in its folder
     * @throws ModelException naming both places when neither exists
     */
    public static Path beside(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        String stem = model.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path own = dir.resolve(stem + ".json");
        if (Files.isRegularFile(own)) {
            return own;
        }
        Path shared = dir.resolve("model.json");
        if (Files.isRegularFile(shared)) {
            return shared;
        }
        throw new ModelException(model + ": a TorchScript model needs a model card (task, bands, classes, chip size,"
                + " normalisation); write " + (own.equals(shared) ? "" : own.getFileName() + " or ") + "model.json"
                + " beside it, or pass --model-card");
    }

    /**
     * @param card the card's file
     * @return what it says
     * @throws ModelException one line naming the file and the key: unreadable, not JSON, a missing or wrong value
     */
    public static TorchScriptSpec read(Path card) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(card));
        } catch (JacksonException e) {
            throw new ModelException(card + ": not JSON (" + e.getOriginalMessage() + "); write the model card as a"
                    + " JSON object", e);
        } catch (IOException e) {
            throw new ModelException(card + ": cannot read the model card (" + e.getMessage() + "); check the path",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(card + ": not a JSON object; write {\"format\": \"" + FORMAT + "1\","
                    + " \"task\": ...}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ModelException(card + ": unknown key '" + key + "'; use task, bands, classes, classNames,"
                        + " chipSize, normalization, outputsProbabilities and classColors");
            }
        }
        String format = root.path("format").asText("");
        if (!format.startsWith(FORMAT)) {
            throw new ModelException(card + ": format '" + format + "' is not a model card; set \"format\": \""
                    + FORMAT + "1\"");
        }
        String task = text(root, "task", card).toLowerCase(Locale.ROOT);
        LabelTask kind = switch (task) {
            case "classification" -> LabelTask.CLASSIFICATION;
            case "segmentation" -> LabelTask.SEGMENTATION;
            default -> throw new ModelException(card + ": task '" + task + "' is unknown; use classification (N x C"
                    + " output) or segmentation (N x C x H x W)");
        };
        int bands = positive(root, "bands", card);
        int classes = positive(root, "classes", card);
        int chip = positive(root, "chipSize", card);
        List<String> names = null;
        if (root.has("classNames")) {
            JsonNode list = root.get("classNames");
            if (!list.isArray()) {
                throw new ModelException(card + ": classNames is " + list + ", not a list; write [\"name\", ...]");
            }
            names = new ArrayList<>();
            for (JsonNode n : list) {
                if (!n.isTextual()) {
                    throw new ModelException(card + ": classNames holds " + n + ", not a name; write [\"name\", ...]");
                }
                names.add(n.asText());
            }
        }
        BandNormalization norm = root.has("normalization") ? normalization(root.get("normalization"), bands, card)
                : null;
        JsonNode p = root.path("outputsProbabilities");
        if (!p.isMissingNode() && !p.isBoolean()) {
            throw new ModelException(card + ": outputsProbabilities is " + p + "; write true or false");
        }
        boolean probabilities = p.asBoolean(false);
        Map<String, String> colors = colors(root, card);
        try {
            return new TorchScriptSpec(kind, bands, classes, chip, names, norm, probabilities, colors);
        } catch (ModelException e) {
            throw new ModelException(card + ": " + e.getMessage().replaceFirst("^TorchScript spec: ", ""), e);
        }
    }

    /** {@code classColors}: {@code {"name or value": "#rrggbb"}}, or null when the card has none. */
    private static Map<String, String> colors(JsonNode root, Path card) {
        JsonNode c = root.get("classColors");
        if (c == null) {
            return null;
        }
        if (!c.isObject()) {
            throw new ModelException(card + ": classColors is " + c + ", not an object; write {\"class name\":"
                    + " \"#rrggbb\", ...}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelException(card + ": classColors." + e.getKey() + " is " + e.getValue() + ", not a"
                        + " colour; write \"#rrggbb\"");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static BandNormalization normalization(JsonNode n, int bands, Path card) {
        if (!n.isObject()) {
            throw new ModelException(card + ": normalization is " + n + "; write {\"mean\": [...], \"std\": [...],"
                    + " \"scale\": 255}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("mean", "std", "scale").contains(key)) {
                throw new ModelException(card + ": unknown key 'normalization." + key + "'; use mean, std and scale");
            }
        }
        if (n.has("scale") && !n.get("scale").isNumber()) {
            throw new ModelException(card + ": normalization.scale is " + n.get("scale") + ", not a number; pass e.g."
                    + " 255");
        }
        double scale = n.path("scale").asDouble(1);
        if (!(scale > 0)) {
            throw new ModelException(card + ": normalization.scale " + n.path("scale") + " is not positive; pass e.g."
                    + " 255");
        }
        double[] mean = perBand(n.get("mean"), bands, 0, "mean", card);
        double[] std = perBand(n.get("std"), bands, 1, "std", card);
        for (int b = 0; b < bands; b++) { // (x / scale - mean) / std == (x - mean * scale) / (std * scale)
            mean[b] *= scale;
            std[b] *= scale;
            if (!(std[b] > 0)) {
                throw new ModelException(card + ": normalization.std[" + b + "] is not positive; pass e.g. 0.25");
            }
        }
        return new BandNormalization(mean, std);
    }

    private static double[] perBand(JsonNode v, int bands, double fallback, String key, Path card) {
        double[] out = new double[bands];
        if (v == null) {
            java.util.Arrays.fill(out, fallback);
            return out;
        }
        if (v.isNumber()) { // one value for every band, as model.normalization takes it
            java.util.Arrays.fill(out, v.asDouble());
            return out;
        }
        if (!v.isArray() || (v.size() != 1 && v.size() != bands)) {
            throw new ModelException(card + ": normalization." + key + " must be a list of 1 or " + bands + " numbers"
                    + " (one per band)");
        }
        for (int b = 0; b < bands; b++) {
            JsonNode x = v.get(v.size() == 1 ? 0 : b);
            if (!x.isNumber()) {
                throw new ModelException(card + ": normalization." + key + " holds " + x + ", not a number");
            }
            out[b] = x.asDouble();
        }
        return out;
    }

    private static String text(JsonNode root, String key, Path card) {
        JsonNode v = root.get(key);
        if (v == null || !v.isTextual()) {
            throw new ModelException(card + ": '" + key + "' is " + (v == null ? "missing" : v + ", not a name")
                    + "; add \"" + key + "\": \"classification\" or \"segmentation\"");
        }
        return v.asText();
    }

    private static int positive(JsonNode root, String key, Path card) {
        JsonNode v = root.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw new ModelException(card + ": '" + key + "' is " + (v == null ? "missing" : v.toString()) + "; give a"
                    + " positive whole number");
        }
        return v.asInt();
    }
}
