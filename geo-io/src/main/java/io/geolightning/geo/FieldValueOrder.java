package io.geolightning.geo;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * How attribute values written as text sort: a numeric (integer or real) field's values by number (2 before 10, -1.5
 * before 0), exactly for integers beyond a double's precision, text that is not a plain decimal number (NaN,
 * Infinity) by its double value; a text field's values in natural order, runs of digits by their value ("2" before
 * "10", "zone 9" before "zone 10"), so class codes stored as text get the ids a numeric field of them would.
 */
public enum FieldValueOrder implements Comparator<String> {
    /**
     * Natural order, for text fields: the values are compared run by run, a run of digits with another by its value
     * (leading zeros aside), anything else by character; values equal that way ("07", "7") fall back to text.
     */
    TEXT {
        @Override
        public int compare(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                char ca = a.charAt(i);
                char cb = b.charAt(j);
                if (isDigit(ca) && isDigit(cb)) {
                    int ea = runEnd(a, i);
                    int eb = runEnd(b, j);
                    int byValue = compareDigits(a, i, ea, b, j, eb);
                    if (byValue != 0) {
                        return byValue;
                    }
                    i = ea;
                    j = eb;
                } else if (ca != cb) {
                    return Character.compare(ca, cb);
                } else {
                    i++;
                    j++;
                }
            }
            int byLength = Boolean.compare(i < a.length(), j < b.length());
            return byLength != 0 ? byLength : a.compareTo(b);
        }
    },
    /** By value, for integer and real fields; equal numbers written differently ("2", "2.0") fall back to text. */
    NUMERIC {
        @Override
        public int compare(String a, String b) {
            int byValue;
            try {
                byValue = new BigDecimal(a).compareTo(new BigDecimal(b));
            } catch (NumberFormatException e) {
                byValue = Double.compare(Double.parseDouble(a), Double.parseDouble(b));
            }
            return byValue != 0 ? byValue : a.compareTo(b);
        }
    };

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int runEnd(String s, int from) {
        int end = from;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    /**
     * Two runs of ASCII digits, {@code a[i, ea)} and {@code b[j, eb)}, by value, of any length: leading zeros skipped,
     * then the longer run is the larger, and runs of one length compare digit by digit. No copies: a label layer's
     * every value passes through here while its classes are collected.
     */
    private static int compareDigits(String a, int i, int ea, String b, int j, int eb) {
        while (i < ea - 1 && a.charAt(i) == '0') {
            i++;
        }
        while (j < eb - 1 && b.charAt(j) == '0') {
            j++;
        }
        if (ea - i != eb - j) {
            return Integer.compare(ea - i, eb - j);
        }
        for (; i < ea; i++, j++) {
            if (a.charAt(i) != b.charAt(j)) {
                return Character.compare(a.charAt(i), b.charAt(j));
            }
        }
        return 0;
    }

    /** @return NUMERIC for a numeric field, TEXT otherwise */
    public static FieldValueOrder of(boolean numeric) {
        return numeric ? NUMERIC : TEXT;
    }
}
