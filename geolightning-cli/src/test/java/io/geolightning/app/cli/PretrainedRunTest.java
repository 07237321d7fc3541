package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that starts from pretrained weights ({@code model.weights}): torchvision's ResNet-18 (random initialisation
 * stands in for ImageNet's; saved by PyTorch as an .npz state dict) fine-tuned on the 6-band Olinda scene: the first
 * convolution is adapted from RGB to 6 bands, the 1000-class head re-initialised for 2 classes, and the run trains.
 */
class PretrainedRunTest {

    @TempDir
    Path tmp;

    @Test
    void aRunStartsFromTorchvisionWeights() throws Exception {
        Path weights = tmp.resolve("resnet18.npz");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import sys, numpy as np, torch, torchvision;"
                + " torch.manual_seed(0); sd = torchvision.models.resnet18().state_dict();"
                + " np.savez(sys.argv[1], **{k: v.numpy() for k, v in sd.items()})", weights.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "Debian's python3-torch (scripts/setup --tests installs it): " + log);

        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n", "name: pretrained",
                "runs: " + tmp.resolve("runs"), "seed: 5",
                "model: {architecture: resnet18, weights: " + weights + ", normalization: {mean: [0.5], std: [0.25],"
                        + " scale: 255}}",
                "data: {raster: " + BadInputs.RASTER + ", labels: " + BadInputs.LABELS + ", labelField: TIPO,"
                        + " chipSize: 32, split: random, batchSize: 16, chips: " + tmp.resolve("chips") + "}",
                "trainer: {maxEpochs: 1, numSanityValSteps: 0}", "callbacks: {unfreezeBackboneAtEpoch: 1}", ""));
        CliRun run = CliRun.of("train", "--config", yaml);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("weights: " + weights + ": 99 tensors loaded, 1 adapted [conv1.weight 64x3x7x7"
                + " -> 64x6x7x7], 2 re-initialised [fc.weight, fc.bias], 20 unused"), run.out());
        Path ckpt = tmp.resolve("runs/pretrained/version_0/checkpoints/last.ckpt");
        try (var task = io.geolightning.models.tasks.LandUseTask.load(ckpt)) {
            var norm = task.settings().normalization();
            assertEquals(6, norm.bands());
            assertEquals(127.5, norm.mean()[5], 1e-9, "the declared normalisation, stored for prediction");
            assertEquals(63.75, norm.std()[0], 1e-9);
            // the backbone stayed frozen through epoch 0 (unfreezeBackboneAtEpoch: 1): its weights are the file's
            var trained = io.geolightning.models.weights.PretrainedWeights.tensors(task.getBlock());
            try (var m = ai.djl.ndarray.NDManager.newBaseManager();
                 var in = Files.newInputStream(weights)) {
                java.util.Map<String, float[]> file = new java.util.HashMap<>();
                for (var a : ai.djl.ndarray.NDList.decode(m, in)) {
                    if (a.getName().endsWith(".weight")) {
                        file.put(a.getName(), a.toFloatArray());
                    }
                }
                assertTrue(java.util.Arrays.equals(file.get("layer4.1.conv2.weight"),
                        trained.get("layer4.1.conv2.weight").toFloatArray()), "a frozen backbone weight");
                assertFalse(java.util.Arrays.equals(new float[0], trained.get("fc.weight").toFloatArray()));
            }
        }
        // export for Python: torchvision's resnet18 (conv1 for 6 bands) loads the weights strictly and gives the
        // checkpoint's logits
        Path export = tmp.resolve("export");
        CliRun ex = CliRun.of("export", "--checkpoint", ckpt, "--out", export);
        assertEquals(0, ex.code(), ex.err());
        assertTrue(Files.readString(export.resolve("model.json")).contains("\"classNames\": [\"RURAL\", \"URBANO\"]"));
        Path xy = tmp.resolve("io.npz");
        try (var task = io.geolightning.models.tasks.LandUseTask.load(ckpt);
             var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var x = m.randomNormal(new ai.djl.ndarray.types.Shape(2, 6, 32, 32));
            x.setName("x");
            var logits = task.logits(x.duplicate());
            logits.setName("java");
            Files.write(xy, new ai.djl.ndarray.NDList(x, logits).encode(ai.djl.ndarray.NDList.Encoding.NPZ));
        }
        Process py = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import sys, json, numpy as np, torch, torchvision",
                "d = sys.argv[1]; card = json.load(open(d + '/model.json'))",
                "m = torchvision.models.resnet18(num_classes=card['classes'])",
                "m.conv1 = torch.nn.Conv2d(card['bands'], 64, 7, 2, 3, bias=False)",
                "m.load_state_dict({k: torch.from_numpy(v) for k, v in np.load(d + '/model.npz').items()}, strict=True)",
                "io = np.load(sys.argv[2]); out = m.eval()(torch.from_numpy(io['x'])).detach().numpy()",
                "diff = np.abs(out - io['java']).max() / max(1.0, np.abs(out).max())",
                "print('relative', diff)",
                "torch.jit.trace(m, torch.zeros(1, card['bands'], card['chipSize'], card['chipSize'])).save(d + '/model.pt')",
                "sys.exit(0 if diff <= 1e-4 else 1)"), export.toString(), xy.toString())
                .redirectErrorStream(true).start();
        String pyOut = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(py.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, py.exitValue(), "torchvision with the exported weights: " + pyOut);
        torchScriptFromTheExport(ckpt, export.resolve("model.pt"));
        for (Path described : List.of(export, export.resolve("model.json"))) { // the folder export wrote, its card
            CliRun info = CliRun.of("info", described);
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("architecture") && info.out().contains("resnet18 (torchvision names)")
                    && info.out().contains("model.npz, ") && info.out().contains("2 [RURAL, URBANO]"), info.out());
        }
        CliRun fromPt = CliRun.of("export", "--checkpoint", export.resolve("model.pt"), "--out", tmp.resolve("pt-out"));
        assertEquals(1, fromPt.code());
        assertTrue(fromPt.errorLine().contains("model.pt: a PyTorch file, not a GeoLightning checkpoint; export"
                + " converts a .ckpt written by train"), fromPt.errorLine());
        assertFalse(Files.exists(tmp.resolve("pt-out")));
        Path aFile = Files.writeString(tmp.resolve("a-file"), "kept");
        CliRun toFile = CliRun.of("export", "--checkpoint", ckpt, "--out", aFile);
        assertEquals(2, toFile.code());
        assertTrue(toFile.errorLine().contains("--out " + aFile + ": is a file; pass a folder"), toFile.errorLine());
        assertEquals("kept", Files.readString(aFile));
        // the CNN has no torchvision model: its card names the options geolightning_models.py rebuilds it with
        CliRun cnn = CliRun.of("export", "--checkpoint", BadInputs.checkpoint(), "--out", tmp.resolve("cnn-export"));
        assertEquals(0, cnn.code(), cnn.err());
        String cnnCard = Files.readString(tmp.resolve("cnn-export/model.json"));
        assertTrue(cnnCard.contains("\"layout\": \"geolightning\"") && cnnCard.contains("\"options\": {\"width\": "),
                cnnCard);
        assertTrue(Files.isRegularFile(tmp.resolve("cnn-export/model.npz")));
        assertTrue(Files.isRegularFile(tmp.resolve("cnn-export/geolightning_models.py")));
        CliRun again = CliRun.of("export", "--checkpoint", ckpt, "--out", export);
        assertEquals(1, again.code());
        assertTrue(again.errorLine().contains("model.npz: exists; pass --overwrite"), again.errorLine());

        Path badNorm = Files.writeString(tmp.resolve("norm.yaml"), "model: {architecture: resnet18, normalization:"
                + " {mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], scale: 255}}\ndata: {raster: "
                + BadInputs.RASTER + ", labels: " + BadInputs.LABELS + ", labelField: TIPO, chipSize: 32}\nruns: "
                + tmp.resolve("runs") + "\n");
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "model: {architecture: resnet18, normalization: {mean:"
                + " [0.5], scal: 255}}\ndata: {chips: " + tmp + "}\n");
        CliRun typoRun = CliRun.of("train", "--config", typo, "--print-config");
        assertEquals(2, typoRun.code());
        assertTrue(typoRun.errorLine().contains("model.normalization.scal: unknown key; use mean, std and scale"),
                typoRun.errorLine());
        Path early = Files.writeString(tmp.resolve("early.yaml"), "model: {architecture: resnet18}\ncallbacks:"
                + " {unfreezeBackboneAtEpoch: -1}\ndata: {chips: " + tmp + "}\n");
        CliRun earlyRun = CliRun.of("train", "--config", early, "--print-config");
        assertEquals(2, earlyRun.code());
        assertTrue(earlyRun.errorLine().contains("callbacks.unfreezeBackboneAtEpoch -1: must be at least 0"),
                earlyRun.errorLine());
        CliRun rgbOn6 = CliRun.of("train", "--config", badNorm);
        assertEquals(2, rgbOn6.code(), rgbOn6.err());
        assertTrue(rgbOn6.errorLine().contains("model.normalization.mean has 3 values but the data has 6 bands"),
                rgbOn6.errorLine());

        // a plain U-Net takes the weights export wrote for a U-Net, not a ResNet's: refused before any epoch
        Path unet = Files.writeString(tmp.resolve("unet.yaml"), "name: unet\nruns: " + tmp.resolve("runs")
                + "\nmodel: {architecture: unet, weights: " + weights + "}\ndata: {raster: " + BadInputs.RASTER
                + ", labels: " + BadInputs.LABELS + ", labelField: TIPO, mode: segmentation, chipSize: 32}\n");
        CliRun bad = CliRun.of("train", "--config", unet);
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.errorLine().contains(weights.getFileName() + ": holds no tensors of this network (no"
                + " 'enc.0.0.0.weight' under any prefix"), bad.errorLine());
        assertFalse(Files.exists(tmp.resolve("runs/unet/version_0")), "refused before the run folder is made");
    }

    /**
     * The exported weights traced by PyTorch into TorchScript, beside the export's model card: predict, evaluate and
     * info take the .pt as they take the checkpoint, with the same classes and scores.
     */
    private void torchScriptFromTheExport(Path ckpt, Path pt) throws Exception {
        Path fromCkpt = tmp.resolve("ckpt.tif");
        Path fromPt = tmp.resolve("pt.tif");
        CliRun a = CliRun.of("predict", "--checkpoint", ckpt, "--raster", BadInputs.RASTER, "--out", fromCkpt);
        assertEquals(0, a.code(), a.err());
        CliRun b = CliRun.of("predict", "--checkpoint", pt, "--raster", BadInputs.RASTER, "--out", fromPt);
        assertEquals(0, b.code(), b.err());
        assertSameClasses(fromCkpt, fromPt);
        try (GeoRaster y = GeoRaster.open(fromPt)) {
            assertEquals("URBANO", y.metadata().get("CLASS_1"));
        }
        CliRun e1 = CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", tmp.resolve("chips"), "--split", "val");
        CliRun e2 = CliRun.of("evaluate", "--checkpoint", pt, "--chips", tmp.resolve("chips"), "--split", "val");
        assertEquals(0, e1.code(), e1.err());
        assertEquals(0, e2.code(), e2.err());
        assertEquals(row(e1.out(), "accuracy"), row(e2.out(), "accuracy"), "accuracy, macro F1, mIoU and n:\n"
                + e1.out() + "\n" + e2.out());
        assertEquals(row(e1.out(), "acc:"), row(e2.out(), "acc:"));
        CliRun info = CliRun.of("info", pt);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("TorchScript model") && info.out().contains("2 [RURAL, URBANO]"), info.out());

        Path alone = Files.createDirectories(tmp.resolve("alone")).resolve("model.pt");
        Files.copy(pt, alone);
        CliRun noCard = CliRun.of("predict", "--checkpoint", alone, "--raster", BadInputs.RASTER, "--out",
                tmp.resolve("alone/out.tif"));
        assertEquals(1, noCard.code());
        assertTrue(noCard.errorLine().endsWith("model.pt: a TorchScript model needs a model card (task, bands, classes,"
                + " chip size, normalisation); write model.json beside it, or pass --model-card"), noCard.errorLine());
        assertFalse(Files.exists(tmp.resolve("alone/out.tif")));
        Files.writeString(tmp.resolve("alone/model.json"), Files.readString(pt.resolveSibling("model.json"))
                .replace("\"classes\"", "\"clases\""));
        CliRun typo = CliRun.of("info", alone);
        assertEquals(1, typo.code());
        assertTrue(typo.errorLine().contains("model.json: unknown key 'clases'"), typo.errorLine());
        // a card whose class count the model does not output: the file and the card's keys, not "the spec" and "kind"
        Files.writeString(tmp.resolve("alone/model.json"), Files.readString(pt.resolveSibling("model.json"))
                .replace("\"classes\": 2", "\"classes\": 3").replace("\"URBANO\"]", "\"URBANO\", \"OTHER\"]"));
        CliRun three = CliRun.of("info", alone);
        assertEquals(1, three.code(), three.err());
        assertTrue(three.errorLine().startsWith("error: " + alone + ": outputs (1, 2) for a 1 x 6 x "),
                three.errorLine());
        assertTrue(three.errorLine().endsWith(" input, but its model card (task: classification, classes: 3) expects"
                + " (1, 3); fix the card's task or classes"), three.errorLine());
    }

    /** Two class rasters of the same scene agree on all but 0.1 % of the pixels and name the classes alike. */
    private static void assertSameClasses(Path fromCkpt, Path fromPt) {
        try (GeoRaster x = GeoRaster.open(fromCkpt); GeoRaster y = GeoRaster.open(fromPt)) {
            byte[] p = x.readAll().bytes();
            byte[] q = y.readAll().bytes();
            long differ = 0;
            for (int i = 0; i < p.length; i++) {
                differ += p[i] != q[i] ? 1 : 0;
            }
            assertTrue(differ <= p.length / 1000, differ + " of " + p.length + " pixels differ between the checkpoint"
                    + " and its TorchScript");
            assertEquals(x.metadata().get("CLASS_1"), y.metadata().get("CLASS_1"));
        }
    }

    /** @return the line starting with {@code key} (after indentation) */
    private static String row(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.trim().startsWith(key + " ")) {
                return line.trim();
            }
        }
        throw new AssertionError("no row " + key + " in\n" + out);
    }

    /**
     * A ResNet-18-encoder U-Net segmenting Olinda's 6 bands from a torch.save'd torchvision state dict (.pth): the
     * encoder loads it (conv1 adapted, the classifier unused), stays frozen for epoch 0, then trains at its own
     * learning rate ({@code optimizer.backboneLr}) while the decoder trains at {@code lr}; the checkpoint predicts.
     */
    @Test
    void aResNetUNetFineTunesItsEncoderAtItsOwnLearningRate() throws Exception {
        Path weights = tmp.resolve("resnet18.pth");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import sys, torch, torchvision;"
                + " torch.manual_seed(0); torch.save(torchvision.models.resnet18().state_dict(), sys.argv[1])",
                weights.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "Debian's python3-torch (scripts/setup --tests installs it): " + log);
        Path yaml = Files.writeString(tmp.resolve("seg.yaml"), String.join("\n", "name: seg",
                "runs: " + tmp.resolve("runs"), "seed: 3",
                "model: {architecture: unet_resnet18, weights: " + weights + ", options: {decoderWidth: 8, loss:"
                        + " dice_ce}}",
                "data: {raster: " + BadInputs.RASTER + ", labels: " + BadInputs.LABELS + ", labelField: TIPO,"
                        + " mode: segmentation, chipSize: 32, split: random, batchSize: 16}",
                "trainer: {maxEpochs: 2, numSanityValSteps: 0}", "callbacks: {unfreezeBackboneAtEpoch: 1}",
                "optimizer: {lr: 0.01, backboneLr: 0.001}", ""));
        CliRun run = CliRun.of("train", "--config", yaml);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("weights: " + weights + ": 99 tensors loaded, 1 adapted [conv1.weight 64x3x7x7"
                + " -> 64x6x7x7], 0 re-initialised, 22 unused"), run.out());
        Path ckpt = tmp.resolve("runs/seg/version_0/checkpoints/last.ckpt");
        try (var task = io.geolightning.models.tasks.LandUseTask.load(ckpt);
             var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            assertEquals(0.001, task.settings().optimizer().backboneLr(), 1e-12, "stored in the checkpoint");
            var trained = io.geolightning.models.weights.PretrainedWeights.tensors(task.getBlock());
            assertEquals(100, trained.size(), "the encoder carries torchvision's names, without fc");
            var reference = io.geolightning.models.nn.ResNet.resnet18(3, 1000);
            reference.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 3, 64, 64));
            io.geolightning.models.weights.PretrainedWeights.load(reference, weights, null);
            var file = io.geolightning.models.weights.PretrainedWeights.tensors(reference);
            assertFalse(java.util.Arrays.equals(file.get("layer4.1.conv2.weight").toFloatArray(),
                    trained.get("layer4.1.conv2.weight").toFloatArray()), "the encoder trained in epoch 1");
            float[] a = file.get("layer1.0.conv1.weight").toFloatArray();
            float[] b = trained.get("layer1.0.conv1.weight").toFloatArray();
            double change = 0;
            double norm = 0;
            for (int i = 0; i < a.length; i++) {
                change += (a[i] - b[i]) * (a[i] - b[i]);
                norm += a[i] * a[i];
            }
            assertTrue(change > 0 && Math.sqrt(change / norm) < 0.5, "a small step away from the file's weights: "
                    + Math.sqrt(change / norm));
        }
        CliRun predict = CliRun.of("predict", "--checkpoint", ckpt, "--raster", BadInputs.RASTER, "--out",
                tmp.resolve("seg.tif"));
        assertEquals(0, predict.code(), predict.err());
        assertTrue(Files.size(tmp.resolve("seg.tif")) > 0);
        // to Python and back: the export's geolightning_models.load rebuilds the segmenter, torch 1.13 traces it, and
        // predict classifies the scene with the .pt (and the export's card beside it) as with the checkpoint
        Path export = tmp.resolve("seg-export");
        CliRun ex = CliRun.of("export", "--checkpoint", ckpt, "--out", export);
        assertEquals(0, ex.code(), ex.err());
        Process py = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import sys, json, torch; sys.path.insert(0, sys.argv[1]); import geolightning_models",
                "m = geolightning_models.load(sys.argv[1] + '/model.json'); card = json.load(open(sys.argv[1] + "
                        + "'/model.json'))",
                "torch.jit.trace(m, torch.zeros(1, card['bands'], card['chipSize'], card['chipSize']))"
                        + ".save(sys.argv[1] + '/model.pt')"), export.toString()).redirectErrorStream(true).start();
        String pyOut = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(py.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, py.exitValue(), "geolightning_models.load and torch.jit.trace: " + pyOut);
        CliRun viaPt = CliRun.of("predict", "--checkpoint", export.resolve("model.pt"), "--raster", BadInputs.RASTER,
                "--out", tmp.resolve("seg-pt.tif"));
        assertEquals(0, viaPt.code(), viaPt.err());
        assertSameClasses(tmp.resolve("seg.tif"), tmp.resolve("seg-pt.tif"));

        Path noBackbone = Files.writeString(tmp.resolve("plain.yaml"), "model: {architecture: unet}\noptimizer:"
                + " {backboneLr: 0.001}\ndata: {chips: " + tmp.resolve("none") + "}\n");
        CliRun plain = CliRun.of("train", "--config", noBackbone, "--print-config");
        assertEquals(2, plain.code(), plain.err());
        assertTrue(plain.errorLine().contains("optimizer.backboneLr: the plain unet has no pretrained backbone; use"
                + " unet_resnet18/34/50"), plain.errorLine());
    }
}
