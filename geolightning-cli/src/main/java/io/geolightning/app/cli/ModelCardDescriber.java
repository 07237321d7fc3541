package io.geolightning.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.app.report.Numbers;
import io.geolightning.models.torchscript.ModelCard;
import io.geolightning.models.torchscript.TorchScriptSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints what {@code info} knows about a model card ({@code model.json}), alone or as the folder
 * {@code geolightning export} wrote: the model it describes and, for an export, its weights file and the Python line
 * that loads it. The card is read as {@code predict} reads it, so a card {@code info} accepts is one predict accepts.
 */
final class ModelCardDescriber {
    private static final long MAX_CARD_BYTES = 1 << 20;

    private final PrintWriter out;

    ModelCardDescriber(PrintWriter out) {
        this.out = out;
    }

    /** @return whether the file is a JSON model card (its format says so; a card is small, a GeoJSON may not be) */
    static boolean isCard(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            return Files.size(file) < MAX_CARD_BYTES && new ObjectMapper().readTree(file.toFile()).path("format")
                    .asText("").startsWith(ModelCard.FORMAT);
        } catch (IOException e) {
            return false;
        }
    }

    void describe(Path card) {
        TorchScriptSpec s = ModelCard.read(card);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(card.toFile());
        } catch (IOException e) {
            throw new CliException(card + ": not readable (" + e.getMessage() + ")");
        }
        Table t = new Table(out, 16);
        t.title("model card " + card);
        t.row("task", s.kind().id());
        if (root.has("architecture")) {
            JsonNode options = root.path("options");
            t.row("architecture", root.path("architecture").asText() + (options.isObject() && options.size() > 0
                    ? " " + options : "") + (root.has("layout") ? " (" + root.path("layout").asText() + " names)"
                    : ""));
        }
        inputRows(t, s);
        if (root.has("weights")) {
            Path weights = card.toAbsolutePath().resolveSibling(root.path("weights").asText());
            t.row("weights", weights.getFileName() + (Files.isRegularFile(weights) ? ", " + size(weights)
                    : ": missing beside the card"));
        }
        if (root.has("python")) {
            t.row("python", root.path("python").asText());
        }
    }

    /** The rows a card gives the model's input and output: bands, classes, chip size, normalisation, colours. */
    static void inputRows(Table t, TorchScriptSpec s) {
        t.row("bands", s.bands());
        t.row("classes", s.classes() + " " + s.classNames());
        t.row("chip size", s.chipSize() + " pixels");
        t.row("normalisation", "mean " + Numbers.nums(s.normalization().mean()) + ", std "
                + Numbers.nums(s.normalization().std()));
        if (!s.classColors().isEmpty()) {
            t.row("class colours", s.classColors().toString());
        }
    }

    private static String size(Path file) {
        try {
            return size(Files.size(file));
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** @return a size in B, KB or MB (a small network's 22 KB of weights read "0.0 MB") */
    static String size(long bytes) {
        return bytes < 1000 ? bytes + " B" : bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
