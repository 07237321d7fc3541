package io.geolightning.app.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Numbers as people read them in the CLI's tables and a run's summaries: integers plain, others to 4 decimals. */
public final class Numbers {

    private Numbers() {
    }

    /**
     * @param v a number
     * @return it as text ("-" for NaN)
     */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        String t = a >= 1e-3 && a < 1e7 ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.6g", v);
        return t.contains("e") || !t.contains(".") ? t : t.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /**
     * @param v numbers
     * @return them as "[a, b, ...]"
     */
    public static String nums(double[] v) {
        return Arrays.stream(v).mapToObj(Numbers::num).collect(Collectors.joining(", ", "[", "]"));
    }
}
