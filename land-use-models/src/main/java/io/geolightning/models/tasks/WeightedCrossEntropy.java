package io.geolightning.models.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.geolightning.models.nn.ModelException;
import io.geolightning.trainer.GraphScalars;
import java.util.Arrays;

/**
 * Softmax cross-entropy with optional per-class weights and an ignore label, written with NDArray ops so it is
 * differentiable on any DJL engine. Matches {@code torch.nn.functional.cross_entropy(logits, labels,
 * weight=w, ignore_index=i, reduction="mean")}:
 * <pre>
 *   loss = - sum_k w[y_k] * log_softmax(z_k)[y_k] / sum_k w[y_k]    over samples k with y_k != ignore
 * </pre>
 * Logits are N x C (classification) or N x C x H x W (segmentation); labels N or N x H x W (any numeric type).
 * When every label is ignored the loss is 0 (PyTorch would return NaN), so a fully unlabelled chip cannot
 * poison training. With {@code labelSmoothing} s it is PyTorch's {@code label_smoothing=s}: {@code (1 - s) * loss +
 * s / C * smooth}, where {@code smooth} sums {@code -w[c] * log_softmax(z_k)[c]} over the classes of each sample
 * that is not ignored and divides by the same {@code sum_k w[y_k]} (the count of such samples when unweighted).
 */
public final class WeightedCrossEntropy {

    private final float[] classWeights;
    private final int ignoreIndex;
    private final float labelSmoothing;

    /**
     * @param classWeights one non-negative weight per class, or null for equal weights
     * @param ignoreIndex the label to skip, e.g. 255; any value outside 0..C-1 (use -1 for "none")
     */
    public WeightedCrossEntropy(float[] classWeights, int ignoreIndex) {
        this(classWeights, ignoreIndex, 0);
    }

    /**
     * @param classWeights one non-negative weight per class, or null for equal weights
     * @param ignoreIndex the label to skip, e.g. 255; any value outside 0..C-1 (use -1 for "none")
     * @param labelSmoothing PyTorch's {@code label_smoothing}, in [0, 1)
     * @throws ModelException for a negative or infinite weight, or a smoothing outside [0, 1)
     */
    public WeightedCrossEntropy(float[] classWeights, int ignoreIndex, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw ModelException.badOption("model option", "labelSmoothing", labelSmoothing, " is ",
                    "outside [0, 1); pass e.g. 0.1");
        }
        this.labelSmoothing = (float) labelSmoothing;
        if (classWeights != null) {
            for (float w : classWeights) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new ModelException("class weights " + Arrays.toString(classWeights)
                            + ": a weight is negative or not finite; pass finite weights >= 0");
                }
            }
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.ignoreIndex = ignoreIndex;
    }

    /** @return the class weights, or null when all classes weigh 1 */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** @return PyTorch's label_smoothing (0 = none) */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** @return the ignored label */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /**
     * @param logits N x C or N x C x H x W raw scores
     * @param labels N or N x H x W class labels
     * @return the scalar mean loss
     * @throws ModelException when shapes disagree, the weights do not match C, or a label is outside 0..C-1
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        Shape ls = logits.getShape();
        int classes = (int) ls.get(1);
        if (classWeights != null && classWeights.length != classes) {
            throw new ModelException("class weights: " + classWeights.length + " weights for a model with " + classes
                    + " classes; pass one weight per class");
        }
        NDArray flatLogits;
        if (ls.dimension() == 2) {
            flatLogits = logits;
        } else if (ls.dimension() == 4) {
            flatLogits = logits.transpose(0, 2, 3, 1).reshape(-1, classes);
        } else {
            throw new ModelException("cross-entropy: logits of shape " + ls
                    + " are neither N x C nor N x C x H x W; check the network's output");
        }
        long samples = flatLogits.getShape().get(0);
        if (labels.size() != samples) {
            throw new ModelException("cross-entropy: " + labels.size() + " labels (shape " + labels.getShape()
                    + ") for logits of shape " + ls + "; labels must be N or N x H x W matching the logits");
        }
        NDArray y = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray valid = y.neq(ignoreIndex);
        NDArray bad = valid.logicalAnd(y.lt(0).logicalOr(y.gte(classes)));
        if (bad.any().getBoolean()) {
            long value = y.get(bad).get(0).getLong();
            throw new ModelException("cross-entropy: label " + value + " is outside 0.." + (classes - 1)
                    + " and is not the ignore index " + ignoreIndex + "; fix the labels or the class count");
        }
        NDArray safe = y.mul(valid.toType(DataType.INT64, false));
        NDArray mask = valid.toType(DataType.FLOAT32, false);
        NDArray weight = classWeights == null
                ? mask
                : logits.getManager().create(classWeights).take(safe).mul(mask);
        NDArray logp = flatLogits.logSoftmax(1);
        NDArray picked = logp.gather(safe.reshape(-1, 1), 1).reshape(-1);
        NDArray numerator = picked.mul(weight).sum().neg();
        NDArray denominator = GraphScalars.maximum(weight.sum(), 1e-12);
        NDArray nll = numerator.div(denominator);
        if (labelSmoothing == 0) {
            return nll;
        }
        NDArray perClass = classWeights == null ? logp
                : logp.mul(logits.getManager().create(classWeights).reshape(1, classes));
        NDArray smooth = perClass.sum(new int[] {1}).neg().mul(mask).sum().div(denominator);
        return GraphScalars.mul(nll, 1 - labelSmoothing).add(GraphScalars.mul(smooth, labelSmoothing / classes));
    }
}
