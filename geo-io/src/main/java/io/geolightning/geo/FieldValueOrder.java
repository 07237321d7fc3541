package io.geolightning.geo;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * How attribute values written as text sort: a text field's values as strings ("10" before "2"), a numeric
 * (integer or real) field's values by number (2 before 10, -1.5 before 0), exactly for integers beyond a double's
 * precision; text that is not a plain decimal number (NaN, Infinity) by its double value.
 */
public enum FieldValueOrder implements Comparator<String> {
    /** Lexicographic, for text fields. */
    TEXT {
        @Override
        public int compare(String a, String b) {
            return a.compareTo(b);
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

    /** @return NUMERIC for a numeric field, TEXT otherwise */
    public static FieldValueOrder of(boolean numeric) {
        return numeric ? NUMERIC : TEXT;
    }
}
