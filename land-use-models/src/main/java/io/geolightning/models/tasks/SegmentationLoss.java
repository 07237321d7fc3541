package io.geolightning.models.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.trainer.GraphScalars;
import java.util.Locale;

/**
 * The training loss of a task, chosen with the model option {@code loss} (segmenters; classifiers use
 * cross-entropy), for class imbalance such as buildings on ~10% of the pixels:
 * <ul>
 *   <li>{@code ce}: weighted cross-entropy ({@link WeightedCrossEntropy}), the default;</li>
 *   <li>{@code dice_ce}: cross-entropy plus soft Dice, {@code 1 - mean_c 2 sum(p_c y_c) / sum(p_c + y_c)} over the
 *       classes present among the batch's labelled pixels (segmentation_models_pytorch's multiclass Dice);</li>
 *   <li>{@code focal}: {@code sum_k w[y_k] (1 - p_k)^gamma (-log p_k) / sum_k w[y_k]} with {@code p_k} the softmax
 *       probability of pixel k's class (Lin et al.; {@code gamma = 0} is cross-entropy), option
 *       {@code focalGamma} (default 2).</li>
 * </ul>
 * Ignored labels count nowhere. Written with NDArray ops, so it is differentiable on any engine.
 */
public final class SegmentationLoss {

    /** The losses. */
    public enum Kind {
        /** Cross-entropy. */
        CE,
        /** Cross-entropy + soft Dice. */
        DICE_CE,
        /** Focal loss. */
        FOCAL
    }

    private final Kind kind;
    private final WeightedCrossEntropy ce;
    private final float gamma;

    /**
     * @param kind the loss
     * @param ce the cross-entropy (class weights, ignore label), also used by the others
     * @param gamma the focal loss's focusing parameter
     */
    public SegmentationLoss(Kind kind, WeightedCrossEntropy ce, float gamma) {
        this.kind = kind;
        this.ce = ce;
        this.gamma = gamma;
        if (!(gamma >= 0) || Float.isInfinite(gamma)) {
            throw ModelException.badOption("model option", "focalGamma", gamma, ": ",
                    "must be a finite number >= 0, e.g. 2");
        }
    }

    /**
     * @param spec the model spec (options {@code loss}, {@code focalGamma})
     * @param ce the cross-entropy
     * @return the loss the spec asks for
     * @throws ModelException for an unknown loss name
     */
    public static SegmentationLoss of(ModelSpec spec, WeightedCrossEntropy ce) {
        String name = spec.stringOption("loss", "ce").trim().toLowerCase(Locale.ROOT).replace("-", "_");
        Kind kind = switch (name) {
            case "ce", "cross_entropy" -> Kind.CE;
            case "dice_ce", "dicece" -> Kind.DICE_CE;
            case "focal" -> Kind.FOCAL;
            default -> throw ModelException.badOption("model option", "loss", "'" + name + "'", " is ",
                    "unknown; use ce, dice_ce or focal");
        };
        return new SegmentationLoss(kind, ce, (float) spec.doubleOption("focalGamma", 2.0));
    }

    /**
     * Checks a spec's loss options ({@code loss}, {@code focalGamma}, {@code labelSmoothing}) as a task reads them,
     * without an engine, so that a configuration is refused before any work.
     *
     * @param spec the model spec
     * @throws ModelException naming the bad option ({@link ModelException#option()})
     */
    public static void checkOptions(ModelSpec spec) {
        of(spec, new WeightedCrossEntropy(null, -1, spec.doubleOption("labelSmoothing", 0)));
    }

    /** @return the loss */
    public Kind kind() {
        return kind;
    }

    /**
     * @param logits N x C (x H x W) raw scores
     * @param labels N (x H x W) class labels
     * @return the scalar loss
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        return switch (kind) {
            case CE -> ce.compute(logits, labels);
            case DICE_CE -> ce.compute(logits, labels).add(dice(logits, labels));
            case FOCAL -> focal(logits, labels);
        };
    }

    /** Soft multiclass Dice loss over the classes present among the labelled pixels. */
    NDArray dice(NDArray logits, NDArray labels) {
        int classes = (int) logits.getShape().get(1);
        NDArray flat = flatten(logits, classes);
        NDArray y = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray valid = y.neq(ce.ignoreIndex()).toType(DataType.FLOAT32, false).reshape(-1, 1);
        NDArray safe = y.mul(y.neq(ce.ignoreIndex()).toType(DataType.INT64, false));
        NDArray onehot = safe.oneHot(classes).toType(DataType.FLOAT32, false).mul(valid);
        NDArray p = flat.softmax(1).mul(valid);
        NDArray inter = p.mul(onehot).sum(new int[] {0});
        NDArray card = p.add(onehot).sum(new int[] {0});
        NDArray present = onehot.sum(new int[] {0}).gt(0).toType(DataType.FLOAT32, false);
        NDArray perClass = GraphScalars.mul(inter, 2).div(GraphScalars.maximum(card, 1e-7));
        NDArray count = GraphScalars.maximum(present.sum(), 1);
        return present.sum().gt(0).toType(DataType.FLOAT32, false)
                .mul(perClass.mul(present).sum().div(count).neg().add(1));
    }

    /** Multiclass focal loss, class weights as alpha. */
    NDArray focal(NDArray logits, NDArray labels) {
        int classes = (int) logits.getShape().get(1);
        NDArray flat = flatten(logits, classes);
        NDArray y = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray validMask = y.neq(ce.ignoreIndex());
        NDArray safe = y.mul(validMask.toType(DataType.INT64, false));
        NDArray mask = validMask.toType(DataType.FLOAT32, false);
        float[] w = ce.classWeights();
        NDArray weight = w == null ? mask : logits.getManager().create(w).take(safe).mul(mask);
        NDArray logp = flat.logSoftmax(1).gather(safe.reshape(-1, 1), 1).reshape(-1);
        NDArray focus = GraphScalars.pow(logp.exp().neg().add(1), gamma);
        return focus.mul(logp).mul(weight).sum().neg().div(GraphScalars.maximum(weight.sum(), 1e-12));
    }

    private static NDArray flatten(NDArray logits, int classes) {
        return logits.getShape().dimension() == 4 ? logits.transpose(0, 2, 3, 1).reshape(-1, classes) : logits;
    }
}
