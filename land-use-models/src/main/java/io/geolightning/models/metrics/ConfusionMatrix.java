package io.geolightning.models.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.geolightning.models.nn.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A classes x classes confusion matrix (rows = truth, columns = prediction) accumulated over batches, with an
 * optional ignore label (e.g. 255 for "unlabelled" pixels), and the usual metrics derived from it: overall
 * accuracy, per-class precision / recall / F1 / IoU, macro F1 and mean IoU. A per-class metric whose
 * denominator is zero is {@code NaN} and is left out of the means. Not thread-safe.
 */
public final class ConfusionMatrix {

    /** Passed as ignore index when no label is ignored. */
    public static final int NO_IGNORE = Integer.MIN_VALUE;

    private final int classes;
    private final int ignoreIndex;
    private final long[][] counts;

    /**
     * @param classes number of classes (labels 0..classes-1)
     * @param ignoreIndex a truth label to skip, or {@link #NO_IGNORE}
     */
    public ConfusionMatrix(int classes, int ignoreIndex) {
        if (classes < 1) {
            throw new ModelException("confusion matrix: classes = " + classes + "; pass at least 1 class");
        }
        this.classes = classes;
        this.ignoreIndex = ignoreIndex;
        this.counts = new long[classes][classes];
    }

    /** @return number of classes */
    public int classes() {
        return classes;
    }

    /** @return the ignored truth label, or {@link #NO_IGNORE} */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /**
     * Adds one observation; a truth equal to the ignore index is skipped.
     *
     * @param truth true label
     * @param predicted predicted label
     * @throws ModelException when a label is outside 0..classes-1
     */
    public void add(int truth, int predicted) {
        if (truth == ignoreIndex) {
            return;
        }
        if (truth < 0 || truth >= classes) {
            throw new ModelException("confusion matrix: truth label " + truth + " is outside 0.." + (classes - 1)
                    + "; check the class count or set the ignore index to " + truth);
        }
        if (predicted < 0 || predicted >= classes) {
            throw new ModelException("confusion matrix: predicted label " + predicted + " is outside 0.."
                    + (classes - 1) + "; the model's class count does not match the matrix");
        }
        counts[truth][predicted]++;
    }

    /**
     * @param truth true labels
     * @param predicted predicted labels, same length
     */
    public void add(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new ModelException("confusion matrix: " + truth.length + " truth labels but " + predicted.length
                    + " predictions; pass arrays of equal length");
        }
        for (int i = 0; i < truth.length; i++) {
            add(truth[i], predicted[i]);
        }
    }

    /**
     * @param truth labels of any shape and integer or float type
     * @param predicted predicted labels with the same number of elements
     */
    public void add(NDArray truth, NDArray predicted) {
        add(truth.toType(DataType.INT32, false).toIntArray(), predicted.toType(DataType.INT32, false).toIntArray());
    }

    /**
     * @param truth labels N (classification) or N x H x W (segmentation)
     * @param logits scores N x C or N x C x H x W; the prediction is the arg-max over axis 1
     */
    public void addLogits(NDArray truth, NDArray logits) {
        add(truth, logits.argMax(1));
    }

    /** @param other a matrix of the same size whose counts are added to this one */
    public void merge(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new ModelException("confusion matrix: cannot merge " + other.classes + " classes into " + classes
                    + "; merge matrices of the same task");
        }
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                counts[t][p] += other.counts[t][p];
            }
        }
    }

    /** Sets every count to zero. */
    public void reset() {
        for (long[] row : counts) {
            java.util.Arrays.fill(row, 0);
        }
    }

    /**
     * @param truth true label
     * @param predicted predicted label
     * @return how many times truth was predicted as predicted
     */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** @return a copy of the counts, rows = truth, columns = prediction */
    public long[][] counts() {
        long[][] copy = new long[classes][];
        for (int i = 0; i < classes; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** @return number of counted (non-ignored) observations */
    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /** @param c class @return true observations of class c */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return n;
    }

    /** @param c class @return observations predicted as c */
    public long predictedCount(int c) {
        long n = 0;
        for (long[] row : counts) {
            n += row[c];
        }
        return n;
    }

    /** @return correct / total, NaN when empty */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += counts[c][c];
        }
        return ratio(correct, total());
    }

    /** @param c class @return TP / (TP + FP), NaN when c was never predicted */
    public double precision(int c) {
        return ratio(counts[c][c], predictedCount(c));
    }

    /** @param c class @return TP / (TP + FN), NaN when c never occurs */
    public double recall(int c) {
        return ratio(counts[c][c], support(c));
    }

    /** @param c class @return 2 TP / (2 TP + FP + FN), NaN when c neither occurs nor is predicted */
    public double f1(int c) {
        return ratio(2 * counts[c][c], support(c) + predictedCount(c));
    }

    /** @param c class @return TP / (TP + FP + FN), NaN when c neither occurs nor is predicted */
    public double iou(int c) {
        return ratio(counts[c][c], support(c) + predictedCount(c) - counts[c][c]);
    }

    /** @return mean IoU over classes whose IoU is defined, NaN when none is */
    public double meanIoU() {
        return nanMean(this::iou);
    }

    /** @return mean F1 over classes whose F1 is defined */
    public double macroF1() {
        return nanMean(this::f1);
    }

    private double nanMean(java.util.function.IntToDoubleFunction metric) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            double v = metric.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    /**
     * A fixed-width text table: the matrix, then per-class precision, recall, F1, IoU and support, then accuracy,
     * macro F1 and mIoU.
     *
     * @param classNames names for the classes (null or short lists fall back to "class N")
     * @return the table, lines separated by '\n'
     */
    public String toTable(List<String> classNames) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(classNames != null && c < classNames.size() ? classNames.get(c) : "class " + c);
        }
        int w = Math.max(9, names.stream().mapToInt(String::length).max().orElse(0) + 1);
        long maxCount = 0;
        for (long[] row : counts) {
            for (long v : row) {
                maxCount = Math.max(maxCount, v);
            }
        }
        int cw = Math.max(8, Long.toString(maxCount).length() + 1);
        StringBuilder sb = new StringBuilder();
        sb.append(pad("truth\\pred", w));
        for (int p = 0; p < classes; p++) {
            sb.append(leftPad(abbreviate(names.get(p), cw - 1), cw));
        }
        sb.append('\n');
        for (int t = 0; t < classes; t++) {
            sb.append(pad(names.get(t), w));
            for (int p = 0; p < classes; p++) {
                sb.append(leftPad(Long.toString(counts[t][p]), cw));
            }
            sb.append('\n');
        }
        sb.append('\n').append(pad("class", w)).append(String.format(Locale.ROOT, "%10s%10s%10s%10s%10s%n",
                "precision", "recall", "f1", "iou", "support"));
        for (int c = 0; c < classes; c++) {
            sb.append(pad(names.get(c), w)).append(String.format(Locale.ROOT, "%10s%10s%10s%10s%10d%n",
                    fmt(precision(c)), fmt(recall(c)), fmt(f1(c)), fmt(iou(c)), support(c)));
        }
        sb.append(String.format(Locale.ROOT, "%naccuracy %s   macro F1 %s   mIoU %s   (n = %d)%n",
                fmt(accuracy()), fmt(macroF1()), fmt(meanIoU()), total()));
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }

    private static String leftPad(String s, int w) {
        return s.length() >= w ? " " + s : " ".repeat(w - s.length()) + s;
    }

    private static String abbreviate(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w);
    }

    @Override
    public String toString() {
        return toTable(null);
    }
}
