package io.geolightning.models.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.geolightning.foundation.testing.FreedMemory;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segmentation losses against PyTorch 1.13 (Debian's python3-torch) computing the same formulas on the same
 * logits and labels: class-weighted cross-entropy ({@code F.cross_entropy}), soft Dice over the classes present,
 * and focal loss with the class weights as alpha; gamma 0 gives cross-entropy. Labels include ignored pixels. Their
 * gradients match PyTorch's autograd too, with a garbage collection between the forward and the backward pass.
 */
class SegmentationLossTest {

    /** Logits and labels (with ignored pixels) both scripts start from. */
    private static final String PYTHON_INPUTS = """
            import sys, numpy as np, torch
            import torch.nn.functional as F
            torch.manual_seed(0)
            logits = torch.randn(2, 3, 8, 8) * 2
            labels = torch.randint(0, 2, (2, 8, 8))
            labels[0, :2] = 255
            labels[1, 5:] = 2
            w = torch.tensor([0.5, 1.0, 2.0])
            """;

    private static final String PYTHON = PYTHON_INPUTS + """
            ce = F.cross_entropy(logits, labels, weight=w, ignore_index=255)
            valid = labels != 255
            safe = torch.where(valid, labels, torch.zeros_like(labels))
            onehot = F.one_hot(safe, 3).permute(0, 3, 1, 2).float() * valid[:, None]
            p = logits.softmax(1) * valid[:, None]
            inter = (p * onehot).sum((0, 2, 3)); card = (p + onehot).sum((0, 2, 3))
            present = onehot.sum((0, 2, 3)) > 0
            dice = 1 - (2 * inter / card.clamp_min(1e-7))[present].mean()
            logp = F.log_softmax(logits, 1).gather(1, safe[:, None]).squeeze(1)
            wk = w[safe] * valid
            focal = -((1 - logp.exp()) ** 2 * logp * wk).sum() / wk.sum()
            smooth_w = F.cross_entropy(logits, labels, weight=w, ignore_index=255, label_smoothing=0.1)
            smooth = F.cross_entropy(logits, labels, ignore_index=255, label_smoothing=0.1)
            chips = torch.randn(6, 4) * 3
            chip_labels = torch.tensor([0, 3, 255, 1, 2, 2])
            smooth_chips = F.cross_entropy(chips, chip_labels, ignore_index=255, label_smoothing=0.2)
            np.savez(sys.argv[1], logits=logits.numpy(), labels=labels.numpy().astype(np.int64), ce=ce.numpy(),
                     dice=dice.numpy(), focal=focal.numpy(), smooth_w=smooth_w.numpy(), smooth=smooth.numpy(),
                     chips=chips.numpy(), chip_labels=chip_labels.numpy().astype(np.int64),
                     smooth_chips=smooth_chips.numpy())
            """;

    /** The gradients of the same losses with respect to the logits, from PyTorch's autograd. */
    private static final String PYTHON_GRADIENTS = PYTHON_INPUTS + """
            valid = labels != 255
            safe = torch.where(valid, labels, torch.zeros_like(labels))
            onehot = F.one_hot(safe, 3).permute(0, 3, 1, 2).float() * valid[:, None]
            def dice_ce(x):
                p = x.softmax(1) * valid[:, None]
                inter = (p * onehot).sum((0, 2, 3)); card = (p + onehot).sum((0, 2, 3))
                present = onehot.sum((0, 2, 3)) > 0
                dice = 1 - (2 * inter / card.clamp_min(1e-7))[present].mean()
                return F.cross_entropy(x, labels, weight=w, ignore_index=255) + dice
            def focal(x):
                logp = F.log_softmax(x, 1).gather(1, safe[:, None]).squeeze(1)
                wk = w[safe] * valid
                return -((1 - logp.exp()) ** 2 * logp * wk).sum() / wk.sum()
            def smooth(x):
                return F.cross_entropy(x, labels, weight=w, ignore_index=255, label_smoothing=0.1)
            def grad(f):
                x = logits.clone().requires_grad_(True); f(x).backward(); return x.grad.numpy()
            np.savez(sys.argv[1], logits=logits.numpy(), labels=labels.numpy().astype(np.int64),
                     g_dice_ce=grad(dice_ce), g_focal=grad(focal), g_smooth=grad(smooth))
            """;

    @TempDir
    Path tmp;

    /** @return the arrays the script wrote, by name */
    private Map<String, NDArray> pytorch(NDManager m, String name, String script) throws Exception {
        Path py = Files.writeString(tmp.resolve(name + ".py"), script);
        Path out = tmp.resolve(name + ".npz");
        Process p = new ProcessBuilder("/usr/bin/python3", py.toString(), out.toString()).redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "Debian's python3-torch (scripts/setup --tests): " + log);
        Map<String, NDArray> r = new HashMap<>();
        try (InputStream in = Files.newInputStream(out)) {
            for (NDArray a : NDList.decode(m, in)) {
                r.put(a.getName(), a);
            }
        }
        return r;
    }

    /**
     * @return the logits' gradient of the loss, with {@link FreedMemory#collectAndReuse} between the forward and the
     *     backward pass (where DJL's {@code mul(Number)} and kin read freed memory, see GraphScalars)
     */
    private static float[] disturbedGradient(NDArray logits, Function<NDArray, NDArray> loss) throws Exception {
        NDArray x = logits.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.apply(x);
            List<ByteBuffer> churn = FreedMemory.collectAndReuse();
            gc.backward(l);
            churn.clear();
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void gradientsMatchPytorchThroughAGarbageCollection() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> r = pytorch(m, "gradients", PYTHON_GRADIENTS);
            NDArray logits = r.get("logits");
            NDArray labels = r.get("labels");
            WeightedCrossEntropy ce = new WeightedCrossEntropy(new float[] {0.5f, 1f, 2f}, 255);
            WeightedCrossEntropy smooth = new WeightedCrossEntropy(new float[] {0.5f, 1f, 2f}, 255, 0.1);
            for (int round = 0; round < 2; round++) {
                assertArrayEquals(r.get("g_dice_ce").toFloatArray(), disturbedGradient(logits,
                        x -> new SegmentationLoss(SegmentationLoss.Kind.DICE_CE, ce, 2f).compute(x, labels)), 1e-6f,
                        "cross-entropy + Dice");
                assertArrayEquals(r.get("g_focal").toFloatArray(), disturbedGradient(logits,
                        x -> new SegmentationLoss(SegmentationLoss.Kind.FOCAL, ce, 2f).compute(x, labels)), 1e-6f,
                        "focal, gamma 2");
                assertArrayEquals(r.get("g_smooth").toFloatArray(), disturbedGradient(logits,
                        x -> smooth.compute(x, labels)), 1e-6f, "label smoothing 0.1");
            }
        }
    }

    @Test
    void lossesMatchPytorch() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> r = pytorch(m, "losses", PYTHON);
            WeightedCrossEntropy ce = new WeightedCrossEntropy(new float[] {0.5f, 1f, 2f}, 255);
            NDArray logits = r.get("logits");
            NDArray labels = r.get("labels");
            float ceRef = r.get("ce").getFloat();
            float diceRef = r.get("dice").getFloat();
            float focalRef = r.get("focal").getFloat();
            float dice = new SegmentationLoss(SegmentationLoss.Kind.DICE_CE, ce, 2f).compute(logits, labels)
                    .getFloat();
            float focal = new SegmentationLoss(SegmentationLoss.Kind.FOCAL, ce, 2f).compute(logits, labels).getFloat();
            float focal0 = new SegmentationLoss(SegmentationLoss.Kind.FOCAL, ce, 0f).compute(logits, labels).getFloat();
            assertEquals(ceRef + diceRef, dice, 1e-5, "cross-entropy + Dice");
            assertEquals(focalRef, focal, 1e-5, "focal, gamma 2");
            assertEquals(ceRef, focal0, 1e-5, "focal with gamma 0 is cross-entropy");
            assertTrue(diceRef > 0.05 && focalRef < ceRef, "non-trivial values: dice " + diceRef + ", focal "
                    + focalRef + " < ce " + ceRef);
            // label smoothing (model option labelSmoothing): PyTorch's, weighted and not, pixels and chips
            float smoothW = new WeightedCrossEntropy(new float[] {0.5f, 1f, 2f}, 255, 0.1).compute(logits, labels)
                    .getFloat();
            float smooth = new WeightedCrossEntropy(null, 255, 0.1).compute(logits, labels).getFloat();
            float chips = new WeightedCrossEntropy(null, 255, 0.2).compute(r.get("chips"), r.get("chip_labels"))
                    .getFloat();
            assertEquals(r.get("smooth_w").getFloat(), smoothW, 1e-5, "weighted, label_smoothing 0.1");
            assertEquals(r.get("smooth").getFloat(), smooth, 1e-5, "unweighted with ignored pixels");
            assertEquals(r.get("smooth_chips").getFloat(), chips, 1e-5, "N x C logits, label_smoothing 0.2");
            assertTrue(Math.abs(smoothW - ceRef) > 1e-3, "smoothing changes the loss: " + smoothW + " vs " + ceRef);
        }
        ModelException bad = assertThrows(ModelException.class, () -> new WeightedCrossEntropy(null, 255, 1.0));
        assertTrue(bad.getMessage().startsWith("model option labelSmoothing = 1.0 is outside [0, 1)"),
                bad.getMessage());
        ModelException e = assertThrows(ModelException.class, () -> SegmentationLoss.of(ModelSpec.of(Architecture.UNET,
                3, 2, 32).withOption("loss", "lovasz"), new WeightedCrossEntropy(null, 255)));
        assertTrue(e.getMessage().startsWith("model option loss = 'lovasz' is unknown; use ce, dice_ce or focal"),
                e.getMessage());
        assertEquals(SegmentationLoss.Kind.DICE_CE, SegmentationLoss.of(ModelSpec.of(Architecture.UNET, 3, 2, 32)
                .withOption("loss", "dice_ce"), new WeightedCrossEntropy(null, 255)).kind());
    }
}
