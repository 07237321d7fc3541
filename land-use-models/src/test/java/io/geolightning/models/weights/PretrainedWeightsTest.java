package io.geolightning.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ResNet;
import io.geolightning.models.nn.ResNetUNet;
import io.geolightning.models.nn.Upsampling;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's own ResNets as the reference (Debian's python3-torch 1.13 and python3-torchvision 0.14, installed by
 * the test set-up): weights with random initialisation and non-trivial batch-norm statistics, saved by PyTorch as
 * .npz state dicts (plain, under a {@code backbone.} prefix) and with torch.save (.pth, read without Python), load into GeoLightning's ResNet-18/50 and give
 * torchvision's eval logits; the first convolution adapts to 6 bands by timm's rule (checked against PyTorch doing the
 * same), a classifier of another class count is re-initialised, and a ResNet-50 file in a ResNet-18 is refused naming
 * the tensor and both shapes, with nothing loaded; a .pth whose pickle would run a shell command is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PretrainedWeightsTest {

    private static final String PYTHON = """
            import sys, math, numpy as np, torch, torchvision
            out = sys.argv[1]
            torch.manual_seed(0)
            def save(model, path, prefix=''):
                sd = {prefix + k: v.numpy() for k, v in model.state_dict().items() if 'num_batches_tracked' not in k}
                np.savez(path, **sd)
            def prepared(model):
                g = torch.Generator().manual_seed(1)
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm2d):
                        m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                        m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                        m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                        m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                return model.eval()
            x3 = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(2))
            x6 = torch.randn(2, 6, 64, 64, generator=torch.Generator().manual_seed(3))
            r18 = prepared(torchvision.models.resnet18(num_classes=10))
            save(r18, out + '/resnet18.npz')
            save(r18, out + '/backbone-resnet18.npz', 'backbone.')
            np.savez(out + '/no-layer4.npz', **{k: v.numpy() for k, v in r18.state_dict().items()
                                                if not k.startswith('layer4')})
            torch.save(r18.state_dict(), out + '/resnet18.pth')
            torch.save(r18.state_dict(), out + '/legacy.pth', _use_new_zipfile_serialization=False)
            import os, pickle, zipfile
            class Evil:
                def __reduce__(self):
                    return (os.system, ('touch ' + out + '/pwned',))
            with zipfile.ZipFile(out + '/evil.pth', 'w') as z:
                z.writestr('archive/data.pkl', pickle.dumps({'conv1.weight': Evil()}, protocol=2))
            r50 = prepared(torchvision.models.resnet50(num_classes=7))
            save(r50, out + '/resnet50.npz')
            r34 = prepared(torchvision.models.resnet34(num_classes=4))
            save(r34, out + '/resnet34.npz')
            # timm's adapt_input_conv for 6 bands, done by PyTorch
            w = r18.conv1.weight.data
            r18_6 = torchvision.models.resnet18(num_classes=10)
            r18_6.load_state_dict(r18.state_dict())
            r18_6.conv1 = torch.nn.Conv2d(6, 64, 7, 2, 3, bias=False)
            r18_6.conv1.weight.data = w.repeat(1, math.ceil(6 / 3), 1, 1)[:, :6] * (3 / 6)
            r18_6.eval()
            def features(m, x):  # what a U-Net's encoder hands its decoder: strides 2, 4, 8, 16, 32
                x = m.relu(m.bn1(m.conv1(x)))
                f = [x]
                x = m.maxpool(x)
                for layer in (m.layer1, m.layer2, m.layer3, m.layer4):
                    x = layer(x)
                    f.append(x)
                return f
            x45 = torch.randn(1, 3, 45, 50, generator=torch.Generator().manual_seed(4))
            with torch.no_grad():
                feats = {f'r{d}_f{i}': f.numpy() for d, m in ((34, r34), (50, r50))
                         for i, f in enumerate(features(m, x45))}
                np.savez(out + '/io.npz', x3=x3.numpy(), x6=x6.numpy(), r18=r18(x3).numpy(), r50=r50(x3).numpy(), r34=r34(x3).numpy(),
                         r18_6=r18_6(x6).numpy(), x45=x45.numpy(), **feats)
            """;

    Path dir;

    @BeforeAll
    void torchvisionWeights(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Path script = Files.writeString(tmp.resolve("make.py"), PYTHON);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), tmp.toString()).redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python finished");
        assertEquals(0, p.exitValue(), "Debian's python3-torch and python3-torchvision (scripts/setup installs them"
                + " for the tests): " + log);
    }

    private static Map<String, NDArray> io(NDManager m, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("io.npz"))) {
            Map<String, NDArray> out = new java.util.HashMap<>();
            for (NDArray a : NDList.decode(m, in)) {
                out.put(a.getName(), a);
            }
            return out;
        }
    }

    /** @return max |got - expected| over max(1, max |expected|): float32 rounding scales with the logits */
    private static float maxDiff(Block block, NDManager m, NDArray x, NDArray expected) {
        NDArray got = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
        assertEquals(expected.getShape(), got.getShape());
        return got.sub(expected).abs().max().getFloat() / Math.max(1f, expected.abs().max().getFloat());
    }

    private static Block resnet(NDManager m, boolean fifty, int bands, int classes) {
        Block b = fifty ? ResNet.resnet50(bands, classes) : ResNet.resnet18(bands, classes);
        b.initialize(m, DataType.FLOAT32, new Shape(1, bands, 64, 64));
        return b;
    }

    private static Block resnet34(NDManager m, int classes) {
        Block b = ResNet.resnet34(3, classes);
        b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return b;
    }

    @Test
    void torchvisionWeightsGiveTorchvisionsLogits() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> io = io(m, dir);
            Block r18 = resnet(m, false, 3, 10);
            WeightLoadReport r = PretrainedWeights.load(r18, dir.resolve("resnet18.npz"), null);
            assertEquals(102, r.loaded().size(), r.summary());
            assertTrue(r.adapted().isEmpty() && r.reinitialised().isEmpty() && r.unused().isEmpty(), r.summary());
            float d18 = maxDiff(r18, m, io.get("x3"), io.get("r18"));
            assertTrue(d18 <= 1e-4, "ResNet-18 logits differ from torchvision's by (relative) " + d18);

            Block fromPth = resnet(m, false, 3, 10);
            assertEquals(102, PretrainedWeights.load(fromPth, dir.resolve("resnet18.pth"), null).loaded().size(),
                    "torch.save's zip + pickle, read without Python");
            assertTrue(maxDiff(fromPth, m, io.get("x3"), io.get("r18")) <= 1e-4);

            Block prefixed = resnet(m, false, 3, 10);
            assertEquals(102, PretrainedWeights.load(prefixed, dir.resolve("backbone-resnet18.npz"), null).loaded()
                    .size(), "the backbone. prefix is found");
            assertTrue(maxDiff(prefixed, m, io.get("x3"), io.get("r18")) <= 1e-4);

            Block r50 = resnet(m, true, 3, 7);
            assertEquals(267, PretrainedWeights.load(r50, dir.resolve("resnet50.npz"), null).loaded().size());
            float d50 = maxDiff(r50, m, io.get("x3"), io.get("r50"));
            assertTrue(d50 <= 1e-4, "ResNet-50 logits (up to ~300 with random weights) differ from torchvision's by"
                    + " (relative) " + d50);
            Block r34 = resnet34(m, 4);
            assertEquals(182, PretrainedWeights.load(r34, dir.resolve("resnet34.npz"), null).loaded().size());
            float d34 = maxDiff(r34, m, io.get("x3"), io.get("r34"));
            assertTrue(d34 <= 1e-4, "ResNet-34 logits differ from torchvision's by (relative) " + d34);
            System.out.printf("torchvision eval logits: max |diff| / max |logit|: resnet18 %.2e, resnet34 %.2e,"
                    + " resnet50 %.2e%n", d18, d34, d50);
        }
    }

    @Test
    void torchvisionWeightsLoadIntoAResNetUNetsEncoder() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> io = io(m, dir);
            NDArray x = io.get("x45"); // 45 x 50: odd sizes, as torchvision's own rounding
            for (boolean fifty : new boolean[] {false, true}) {
                ResNetUNet unet = new ResNetUNet(new int[] {3, 4, 6, 3}, fifty, 2, 16, Upsampling.BILINEAR);
                unet.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
                String name = fifty ? "resnet50" : "resnet34";
                WeightLoadReport r = PretrainedWeights.load(unet, dir.resolve(name + ".npz"), null);
                assertEquals(fifty ? 265 : 180, r.loaded().size(), r.summary());
                assertEquals(List.of("fc.weight", "fc.bias"), r.unused(), "a segmenter has no classifier");
                List<NDArray> features = unet.encode(new ParameterStore(m, false), x, false);
                for (int i = 0; i < 5; i++) {
                    NDArray want = io.get("r" + (fifty ? 50 : 34) + "_f" + i);
                    assertEquals(want.getShape(), features.get(i).getShape(), name + " feature " + i);
                    float d = features.get(i).sub(want).abs().max().getFloat()
                            / Math.max(1f, want.abs().max().getFloat());
                    assertTrue(d <= 1e-4, name + " encoder feature " + i + " differs from torchvision's by " + d);
                }
                NDArray out = unet.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(1, 2, 45, 50), out.getShape(), "logits at the input's size");
                assertTrue(unet.encoder().getParameters().size() < unet.getParameters().size(), "and a decoder");
            }
        }
    }

    @Test
    void sixBandsAdaptTheFirstConvolutionAndOtherClassesReinitialiseTheHead() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> io = io(m, dir);
            Block six = resnet(m, false, 6, 10);
            WeightLoadReport r = PretrainedWeights.load(six, dir.resolve("resnet18.npz"), null);
            assertEquals(List.of("conv1.weight 64x3x7x7 -> 64x6x7x7"), r.adapted());
            float d = maxDiff(six, m, io.get("x6"), io.get("r18_6"));
            assertTrue(d <= 1e-4, "6-band logits differ from PyTorch's timm rule by " + d);

            Block five = resnet(m, false, 3, 5);
            WeightLoadReport h = PretrainedWeights.load(five, dir.resolve("resnet18.npz"), null);
            assertEquals(List.of("fc.weight", "fc.bias"), h.reinitialised());
            assertEquals(100, h.loaded().size());
        }
    }

    @Test
    void weightsOfAnotherDepthAreRefusedWithNothingLoaded() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block r18 = resnet(m, false, 3, 10);
            float[] before = r18.getChildren().get(0).getValue().getDirectParameters().get(0).getValue().getArray()
                    .toFloatArray();
            ModelException e = assertThrows(ModelException.class,
                    () -> PretrainedWeights.load(r18, dir.resolve("resnet50.npz"), null));
            assertTrue(e.getMessage().startsWith("resnet50.npz: tensor 'layer1.0.conv1.weight' is 64x64x1x1 but the"
                    + " model's is 64x64x3x3"), e.getMessage());
            float[] after = r18.getChildren().get(0).getValue().getDirectParameters().get(0).getValue().getArray()
                    .toFloatArray();
            assertTrue(java.util.Arrays.equals(before, after), "conv1 untouched: nothing half loaded");
            // a resnet34's weights fit every tensor of a resnet18 and hold blocks it lacks: refused, not mixed in
            e = assertThrows(ModelException.class,
                    () -> PretrainedWeights.load(r18, dir.resolve("resnet34.npz"), null));
            assertTrue(e.getMessage().startsWith("resnet34.npz: holds 'layer1.2.conv1.weight', a residual block the"
                    + " model does not have (the weights of a deeper ResNet); pass"), e.getMessage());
            assertTrue(java.util.Arrays.equals(before, r18.getChildren().get(0).getValue().getDirectParameters().get(0)
                    .getValue().getArray().toFloatArray()), "nothing half loaded");
            e = assertThrows(ModelException.class,
                    () -> PretrainedWeights.load(r18, dir.resolve("no-layer4.npz"), null));
            assertTrue(e.getMessage().startsWith("no-layer4.npz: has no tensor 'layer4.0.conv1.weight' for the model's"
                    + " 512x256x3x3"), e.getMessage());
            Path pth = Files.writeString(dir.resolve("weights.pth"), "not a zip");
            e = assertThrows(ModelException.class, () -> PretrainedWeights.load(r18, pth, null));
            assertTrue(e.getMessage().startsWith("weights.pth: not a PyTorch zip archive"), e.getMessage());
            e = assertThrows(ModelException.class, () -> PretrainedWeights.load(r18, dir.resolve("legacy.pth"), null));
            assertTrue(e.getMessage().startsWith("legacy.pth: a PyTorch file in the legacy format (before PyTorch 1.6,"
                    + " or saved with _use_new_zipfile_serialization=False), which is not read; re-save it in Python"
                    + " with torch.save(torch.load('legacy.pth'), 'new.pth')"), e.getMessage());
            // a pickle that would run a shell command when Python loads it: refused, nothing run
            e = assertThrows(ModelException.class, () -> PretrainedWeights.load(r18, dir.resolve("evil.pth"), null));
            assertTrue(e.getMessage().startsWith("evil.pth: refuses the pickle's global posix.system (a state dict"
                    + " needs only tensors); nothing was run"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            assertTrue(!Files.exists(dir.resolve("pwned")), "the command did not run");
        }
    }
}
