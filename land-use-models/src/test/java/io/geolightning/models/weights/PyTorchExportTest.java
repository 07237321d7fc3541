package io.geolightning.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.geolightning.foundation.AtomicFiles;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} of the networks torchvision has no model for (the CNN, the U-Net in each upsampling mode, the U-Net
 * with a ResNet encoder) and of a ResNet (torchvision's names, 6 bands), loaded in PyTorch 1.13 (Debian's) by the
 * {@code geolightning_models.py} the export writes: its {@code load("model.json")} accepts the weights strictly and its
 * eval forward gives GeoLightning's logits, on odd image sizes too and with non-trivial batch-norm statistics, from
 * {@code .npz} and {@code .safetensors} files.
 */
class PyTorchExportTest {
    @TempDir
    Path tmp;

    private record Case(String name, ModelSpec spec, Shape input) {
    }

    @Test
    void pythonRebuildsEveryExportedNetwork() throws Exception {
        List<Case> cases = List.of(
                new Case("cnn", ModelSpec.of(Architecture.CNN, 4, 5, 32).withOption("width", 16)
                        .withOption("stages", 3).withOption("convsPerStage", 2), new Shape(3, 4, 32, 40)),
                new Case("unet-bilinear", ModelSpec.of(Architecture.UNET, 3, 3, 32).withOption("width", 16)
                        .withOption("depth", 3), new Shape(2, 3, 37, 45)),
                new Case("unet-nearest", ModelSpec.of(Architecture.UNET, 2, 4, 32).withOption("width", 16)
                        .withOption("depth", 2).withOption("upsampling", "nearest"), new Shape(2, 2, 30, 33)),
                new Case("unet-pixelshuffle", ModelSpec.of(Architecture.UNET, 3, 2, 32).withOption("width", 16)
                        .withOption("depth", 3).withOption("upsampling", "pixelshuffle"), new Shape(2, 3, 35, 32)),
                new Case("unet_resnet18", ModelSpec.of(Architecture.UNET_RESNET18, 4, 3, 64)
                        .withOption("decoderWidth", 16), new Shape(2, 4, 64, 70)),
                new Case("unet_resnet34-nearest", ModelSpec.of(Architecture.UNET_RESNET34, 3, 2, 32)
                        .withOption("decoderWidth", 8).withOption("upsampling", "nearest"), new Shape(1, 3, 45, 33)),
                new Case("resnet18", ModelSpec.of(Architecture.RESNET18, 6, 7, 32), new Shape(2, 6, 32, 36)));
        Random random = new Random(7);
        boolean safetensors = false; // every other case, read by the module's own reader (Debian has no safetensors)
        try (NDManager m = NDManager.newBaseManager()) {
            for (Case c : cases) {
                try (LandUseTask task = LandUseTask.create(TaskSettings.of(c.spec()))) {
                    randomizeBatchNorm(task, random);
                    NDArray x = m.randomNormal(c.input());
                    NDArray y = task.getBlock().forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
                    Path dir = tmp.resolve(c.name());
                    ModelExport.Format format = safetensors ? ModelExport.Format.SAFETENSORS : ModelExport.Format.NPZ;
                    safetensors = !safetensors;
                    List<Path> written = ModelExport.export(task, dir, format);
                    assertEquals(List.of("model." + format.name().toLowerCase(java.util.Locale.ROOT), "model.json",
                                    ModelExport.MODULE),
                            written.stream().map(p -> p.getFileName().toString()).toList());
                    x.setName("x");
                    y.setName("y");
                    AtomicFiles.write(dir.resolve("io.npz"), out -> new NDList(x, y).encode(out, NDList.Encoding.NPZ));
                }
            }
        }
        String script = String.join("\n",
                "import sys, os, numpy as np, torch",
                "worst = 0.0",
                "for case in sys.argv[1:]:",
                "    sys.path.insert(0, case)",
                "    import geolightning_models",
                "    model = geolightning_models.load(os.path.join(case, 'model.json'))",
                "    io = np.load(os.path.join(case, 'io.npz'))",
                "    with torch.no_grad():",
                "        y = model(torch.from_numpy(io['x'])).numpy()",
                "    assert y.shape == io['y'].shape, (case, y.shape, io['y'].shape)",
                "    d = float(np.abs(y - io['y']).max() / max(1.0, np.abs(io['y']).max()))",
                "    print(os.path.basename(case), y.shape, d)",
                "    worst = max(worst, d)",
                "    sys.path.pop(0); del sys.modules['geolightning_models']",
                "sys.exit(0 if worst <= 1e-4 else 1)");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        cases.forEach(c -> command.add(tmp.resolve(c.name()).toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python finished");
        assertEquals(0, p.exitValue(), "PyTorch's forward of each export against GeoLightning's: " + log);
        assertTrue(Files.readString(tmp.resolve("unet-nearest/model.json")).contains(
                "\"options\": {\"width\": 16, \"depth\": 2, \"upsampling\": \"nearest\"}"));
    }

    /**
     * An export loads back as weights ({@code model.weights}): into the same network every tensor, giving the same
     * logits, also under a prefix ({@code model.}, detected); into one for other bands and classes with the first
     * convolution adapted and the classifier re-initialised; a U-Net with a ResNet encoder whole (decoder and head too), not only its encoder; a network of
     * other options is refused naming the tensor and both shapes.
     */
    @Test
    void exportsLoadBackAsWeights() throws Exception {
        ModelSpec unet = ModelSpec.of(Architecture.UNET, 3, 3, 32).withOption("width", 16).withOption("depth", 2);
        ModelSpec resUnet = ModelSpec.of(Architecture.UNET_RESNET18, 3, 2, 32).withOption("decoderWidth", 8);
        Random random = new Random(11);
        try (NDManager m = NDManager.newBaseManager()) {
            for (ModelSpec spec : List.of(unet, resUnet)) {
                Path dir = tmp.resolve(spec.architecture().id());
                NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
                NDArray expected;
                try (LandUseTask source = LandUseTask.create(TaskSettings.of(spec))) {
                    randomizeBatchNorm(source, random);
                    expected = source.getBlock().forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
                    ModelExport.export(source, dir, ModelExport.Format.SAFETENSORS);
                }
                try (LandUseTask copy = LandUseTask.create(TaskSettings.of(spec))) {
                    WeightLoadReport r = PretrainedWeights.load(copy.getBlock(), dir.resolve("model.safetensors"),
                            null);
                    assertEquals(copy.getBlock().getParameters().size(), r.loaded().size(), r.summary());
                    assertTrue(r.adapted().isEmpty() && r.reinitialised().isEmpty(), r.summary());
                    assertTrue(r.unused().stream().allMatch(k -> k.endsWith("num_batches_tracked")), r.summary());
                    NDArray got = copy.getBlock().forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
                    assertEquals(0f, got.sub(expected).abs().max().getFloat(), spec.architecture().id());
                }
            }
            // as a Lightning module's state dict in Python holds it: every name under "model."
            Path prefixed = tmp.resolve("prefixed.npz");
            try (InputStream in = Files.newInputStream(tmp.resolve("unet/model.safetensors"))) {
                NDList tensors = NDList.decode(m, in);
                tensors.forEach(t -> t.setName("model." + t.getName()));
                AtomicFiles.write(prefixed, out -> tensors.encode(out, NDList.Encoding.NPZ));
            }
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(unet))) {
                WeightLoadReport r = PretrainedWeights.load(task.getBlock(), prefixed, null);
                assertEquals(task.getBlock().getParameters().size(), r.loaded().size(), r.summary());
            }
            ModelSpec other = ModelSpec.of(Architecture.UNET, 4, 5, 32).withOption("width", 16)
                    .withOption("depth", 2);
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(other))) {
                WeightLoadReport r = PretrainedWeights.load(task.getBlock(), tmp.resolve("unet/model.safetensors"),
                        null);
                assertEquals(List.of("enc.0.0.0.weight 16x3x3x3 -> 16x4x3x3"), r.adapted());
                assertEquals(List.of("head.weight", "head.bias"), r.reinitialised());
            }
            ModelSpec wider = ModelSpec.of(Architecture.UNET, 3, 3, 32).withOption("width", 32).withOption("depth", 2);
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(wider))) {
                ModelException e = assertThrows(ModelException.class, () -> PretrainedWeights.load(task.getBlock(),
                        tmp.resolve("unet/model.safetensors"), null));
                assertTrue(e.getMessage().startsWith("model.safetensors: tensor 'enc.0.0.0.weight' is 16x3x3x3 but the"
                        + " model's is 32x3x3x3; pass the weights geolightning export wrote for a network of the same"
                        + " architecture and options"), e.getMessage());
            }
            ModelSpec cnn = ModelSpec.of(Architecture.CNN, 3, 3, 32);
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(cnn))) {
                ModelException e = assertThrows(ModelException.class, () -> PretrainedWeights.load(task.getBlock(),
                        tmp.resolve("unet/model.safetensors"), null));
                assertTrue(e.getMessage().startsWith("model.safetensors: holds no tensors of this network (no"
                        + " '0.0.weight' under any prefix"), e.getMessage());
            }
        }
    }

    /** Running statistics, scales and shifts away from their initial 0/1, so eval-mode batch norm is tested. */
    private static void randomizeBatchNorm(LandUseTask task, Random random) {
        for (Pair<String, Parameter> p : task.getBlock().getParameters()) {
            String name = p.getKey();
            NDArray a = p.getValue().getArray();
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                double g = random.nextGaussian();
                v[i] = (float) (name.endsWith("runningVar") || name.endsWith("gamma") ? 0.5 + Math.abs(g)
                        : name.endsWith("runningMean") || name.endsWith("beta") ? 0.2 * g : Double.NaN);
            }
            if (!Float.isNaN(v.length == 0 ? Float.NaN : v[0])) {
                a.set(v);
            }
        }
    }
}
