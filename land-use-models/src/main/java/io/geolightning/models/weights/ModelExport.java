package io.geolightning.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.geolightning.foundation.AtomicFiles;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a trained ResNet for Python: its weights under torchvision's names (a state dict torchvision's
 * {@code load_state_dict} accepts strictly, {@code num_batches_tracked} included) as {@code .npz} or
 * {@code .safetensors}, and a model card ({@code model.json}: architecture, bands, classes, class names, chip size,
 * the input normalisation) saying how to build and feed the network. Both files appear atomically.
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

    private ModelExport() {
    }

    /**
     * @param task a trained ResNet task
     * @param dir the folder to write into (created)
     * @param format the weights' format
     * @return the weights file and the model card
     * @throws ModelException when the network is not a ResNet, or the files cannot be written
     */
    public static List<Path> export(LandUseTask task, Path dir, Format format) {
        TaskSettings s = task.settings();
        if (!s.model().architecture().id().startsWith("resnet")) {
            throw new ModelException("export writes torchvision ResNets (resnet18, resnet34, resnet50); this model is a "
                    + s.model().architecture().id() + "; use its TorchScript or the .ckpt instead");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = new NDList();
            PretrainedWeights.tensors(task.getBlock()).forEach((name, array) -> {
                NDArray copy = array.duplicate();
                copy.attach(m);
                copy.setName(name);
                list.add(copy);
                if (name.endsWith(".running_var")) { // torchvision's load_state_dict expects the BN step counter
                    NDArray steps = m.create(0L);
                    steps.setName(name.substring(0, name.length() - "running_var".length()) + "num_batches_tracked");
                    list.add(steps);
                }
            });
            Files.createDirectories(dir);
            Path weights = dir.resolve("model." + format.extension);
            Path card = dir.resolve("model.json");
            AtomicFiles.write(weights, out -> list.encode(out, format.encoding));
            AtomicFiles.writeString(card, card(s, weights.getFileName().toString(), format));
            return List.of(weights, card);
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot write the export (" + e.getMessage() + "); choose a writable"
                    + " --out folder", e);
        }
    }

    private static String card(TaskSettings s, String weights, Format format) {
        String arch = s.model().architecture().id();
        return "{\n"
                + "  \"format\": \"geolightning-model-card/1\",\n"
                + "  \"task\": \"classification\",\n"
                + "  \"architecture\": \"" + arch + "\",\n"
                + "  \"layout\": \"torchvision\",\n"
                + "  \"weights\": \"" + weights + "\",\n"
                + "  \"bands\": " + s.model().bands() + ",\n"
                + "  \"classes\": " + s.model().classes() + ",\n"
                + "  \"classNames\": [" + s.classNames().stream().map(ModelExport::quote).collect(Collectors.joining(
                        ", ")) + "],\n"
                + "  \"chipSize\": " + s.model().chipSize() + ",\n"
                + "  \"normalization\": {\"mean\": " + numbers(s.normalization().mean()) + ", \"std\": "
                + numbers(s.normalization().std()) + "},\n"
                + "  \"python\": \"m = torchvision.models." + arch + "(num_classes=" + s.model().classes() + ")"
                + (s.model().bands() == 3 ? "" : "; m.conv1 = torch.nn.Conv2d(" + s.model().bands()
                + ", 64, 7, 2, 3, bias=False)") + "; m.load_state_dict(" + (format == Format.NPZ
                ? "{k: torch.from_numpy(v) for k, v in numpy.load('" + weights + "').items()}"
                : "safetensors.torch.load_file('" + weights + "')") + "); m.eval(); x = (pixels - mean) / std per"
                + " band\"\n"
                + "}\n";
    }

    private static String numbers(double[] v) {
        return Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%.9g", d))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
