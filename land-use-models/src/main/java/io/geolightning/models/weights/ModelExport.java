package io.geolightning.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.OutputSet;
import io.geolightning.foundation.TempFiles;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.labels.LabelTask;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a trained network for Python: its weights as a PyTorch state dict ({@code load_state_dict} accepts it
 * strictly, {@code num_batches_tracked} included) in {@code .npz} or {@code .safetensors}, a model card
 * ({@code model.json}: task, architecture and its options, bands, classes, class names, chip size, the input
 * normalisation) and {@code geolightning_models.py}, the networks in PyTorch. The ResNet classifiers are written under
 * torchvision's names (torchvision's own models load them); the CNN and the U-Nets under the names of that module's
 * classes ({@link PyTorchNames}), whose {@code load("model.json")} rebuilds any exported model. The files appear
 * atomically.
 */
public final class ModelExport {

    /** Weight file formats. */
    public enum Format {
        /** numpy's {@code .npz} ({@code numpy.load}). */
        NPZ("npz", NDList.Encoding.NPZ),
        /** Hugging Face's {@code .safetensors} ({@code safetensors.torch.load_file}). */
        SAFETENSORS("safetensors", NDList.Encoding.SAFETENSORS);

        final String extension;
        final NDList.Encoding encoding;

        Format(String extension, NDList.Encoding encoding) {
            this.extension = extension;
            this.encoding = encoding;
        }

        /**
         * @param name npz or safetensors (any case)
         * @return the format
         * @throws ModelException naming the value
         */
        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.extension.equalsIgnoreCase(name == null ? "" : name.trim())) {
                    return f;
                }
            }
            throw new ModelException("--format " + name + ": unknown; use npz or safetensors");
        }
    }

    /** The PyTorch module file written beside the weights (a resource of this package). */
    public static final String MODULE = "geolightning_models.py";

    private ModelExport() {
    }

    /**
     * @param task a trained task
     * @param dir the folder to write into (created)
     * @param format the weights' format
     * @return the weights file, the model card and the PyTorch module file
     * @throws ModelException when the files cannot be written
     */
    public static List<Path> export(LandUseTask task, Path dir, Format format) {
        return export(task, dir, format, true);
    }

    /**
     * @param task a trained task
     * @param dir the folder to write into (created)
     * @param format the weights' format
     * @param replace false when the files must be new (no {@code --overwrite}): an export that another command
     *     published in the folder while this one ran is then kept, and this one fails
     * @return the weights file, the model card and the PyTorch module file
     * @throws ModelException when the files cannot be written
     */
    public static List<Path> export(LandUseTask task, Path dir, Format format, boolean replace) {
        TaskSettings s = task.settings();
        boolean torchvision = torchvision(s);
        Map<String, Parameter> names = torchvision ? TorchvisionNames.of(task.getBlock())
                : PyTorchNames.of(task.getBlock());
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = new NDList();
            names.forEach((name, parameter) -> {
                NDArray copy = parameter.getArray().duplicate();
                copy.attach(m);
                copy.setName(name);
                list.add(copy);
                if (name.endsWith(".running_var")) { // PyTorch's load_state_dict expects the BN step counter
                    NDArray steps = m.create(0L);
                    steps.setName(name.substring(0, name.length() - "running_var".length()) + "num_batches_tracked");
                    list.add(steps);
                }
            });
            boolean created = !Files.exists(dir);
            Files.createDirectories(dir);
            Path weights = dir.resolve("model." + format.extension);
            Path card = dir.resolve("model.json");
            Path module = dir.resolve(MODULE);
            try (OutputSet set = new OutputSet(replace)) {
                try {
                    set.add(temporary(weights, out -> list.encode(out, format.encoding)), weights);
                    try (InputStream in = ModelExport.class.getResourceAsStream(MODULE)) {
                        set.add(temporary(module, out -> in.transferTo(out)), module);
                    }
                    String earlier = earlierWeights(card);
                    set.add(temporary(card, out -> out.write(card(s, weights.getFileName().toString(), format)
                            .getBytes(StandardCharsets.UTF_8))), card);
                    if (earlier != null && !earlier.equals(weights.getFileName().toString())) {
                        set.remove(dir.resolve(earlier)); // the replaced export's weights, in the other format
                    }
                    set.publish();
                } catch (IOException | RuntimeException e) {
                    set.close();
                    if (created) {
                        deleteIfEmpty(dir); // the folder this export made: a failure leaves nothing
                    }
                    throw e;
                }
            }
            return List.of(weights, card, module);
        } catch (FileAlreadyExistsException e) {
            throw new ModelException(e.getFile() + ": another command wrote it while this one ran; nothing of this"
                    + " export was published; pass --overwrite to replace it or choose another --out", e);
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot write the export (" + e.getMessage() + "); the earlier files are"
                    + " kept; " + (AtomicFiles.diskFull(e) ? AtomicFiles.fixFor(e) : "choose a writable --out folder"),
                    e);
        }
    }

    /** Deletes a folder unless it holds files (another command's export, published in it meanwhile). */
    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty, or not ours to delete any more: keep it
        }
    }

    /** @return a finished temporary of {@code target} holding what {@code writer} writes (deleted if that fails) */
    private static Path temporary(Path target, AtomicFiles.Writer writer) throws IOException {
        TempFiles.removeStale(target);
        Path tmp = TempFiles.create(target, ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writer.write(out);
            return tmp;
        } catch (IOException | RuntimeException e) {
            TempFiles.discard(tmp);
            throw e;
        }
    }

    /** @return the weights file an earlier export's card in the folder names (one of ours), or null */
    private static String earlierWeights(Path card) {
        try {
            String w = Files.isRegularFile(card) && Files.size(card) < 1 << 20
                    ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(card.toFile()).path("weights").asText()
                    : "";
            for (Format f : Format.values()) {
                if (w.equals("model." + f.extension)) {
                    return w;
                }
            }
        } catch (IOException e) {
            // not a card of ours: nothing of it is removed
        }
        return null;
    }

    private static boolean torchvision(TaskSettings s) {
        return s.model().architecture().id().startsWith("resnet");
    }

    /** How training fed the pixels that are no data, which a Python user must feed the same way. */
    private static final String NO_DATA = "; pixels that are no data in a band (its nodata value, NaN, +/-inf) are"
            + " fed as 0 after normalization";

    private static String card(TaskSettings s, String weights, Format format) {
        String arch = s.model().architecture().id();
        boolean torchvision = torchvision(s);
        String options = ModelFactory.resolvedOptions(s.model()).entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + (e.getValue() instanceof String v ? quote(v) : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        String python = torchvision
                ? "m = torchvision.models." + arch + "(num_classes=" + s.model().classes() + ")"
                + (s.model().bands() == 3 ? "" : "; m.conv1 = torch.nn.Conv2d(" + s.model().bands()
                + ", 64, 7, 2, 3, bias=False)") + "; m.load_state_dict(" + (format == Format.NPZ
                ? "{k: torch.from_numpy(v) for k, v in numpy.load('" + weights + "').items()}"
                : "safetensors.torch.load_file('" + weights + "')") + "); m.eval(); x = (pixels - mean) / std per band"
                + NO_DATA
                : "import geolightning_models; m = geolightning_models.load('model.json'); x = (pixels - mean) / std"
                + " per band" + NO_DATA;
        return "{\n"
                + "  \"format\": \"geolightning-model-card/1\",\n"
                + "  \"task\": \"" + s.model().kind().name().toLowerCase(Locale.ROOT) + "\",\n"
                + "  \"architecture\": \"" + arch + "\",\n"
                + "  \"layout\": \"" + (torchvision ? "torchvision" : "geolightning") + "\",\n"
                + "  \"options\": " + options + ",\n"
                + "  \"weights\": \"" + weights + "\",\n"
                + "  \"bands\": " + s.model().bands() + ",\n"
                + "  \"classes\": " + s.model().classes() + ",\n"
                + "  \"classNames\": [" + s.classNames().stream().map(ModelExport::quote).collect(Collectors.joining(
                        ", ")) + "],\n"
                + "  \"chipSize\": " + s.model().chipSize() + ",\n"
                + "  \"normalization\": {\"mean\": " + numbers(s.normalization().mean()) + ", \"std\": "
                + numbers(s.normalization().std()) + "},\n"
                + (s.classColors().isEmpty() ? "" : "  \"classColors\": " + s.classColors().entrySet().stream()
                        .map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}")) + ",\n")
                + (s.model().kind() == LabelTask.SEGMENTATION && s.ignoreIndex() >= 0
                        ? "  \"ignoreIndex\": " + s.ignoreIndex() + ",\n" : "")
                + "  \"python\": " + quote(python) + "\n"
                + "}\n";
    }

    /** JSON numbers that read back as the same doubles (the shortest such text; never NaN or infinite here). */
    private static String numbers(double[] v) {
        return Arrays.stream(v).mapToObj(Double::toString)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** A JSON string: quotes, backslashes and control characters (a tab in a class name) escaped, as JSON wants. */
    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
