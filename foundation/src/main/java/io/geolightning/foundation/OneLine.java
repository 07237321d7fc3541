package io.geolightning.foundation;

/**
 * Turns a message into the single line a user sees: line breaks (with the blanks around them) and runs of blanks
 * become one space, and the ends are trimmed.
 */
public final class OneLine {
    /** What a missing or blank message reads as. */
    public static final String NO_DETAIL = "no detail";

    private OneLine() {
    }

    /**
     * @param s a message, possibly null or spanning lines
     * @return {@code s} on one line, or {@value #NO_DETAIL} when it is null or blank
     */
    public static String of(String s) {
        return of(s, NO_DETAIL);
    }

    /**
     * @param s a message, possibly null or spanning lines
     * @param ifBlank what to return when {@code s} is null or blank
     * @return {@code s} on one line, or {@code ifBlank}
     */
    public static String of(String s, String ifBlank) {
        if (s == null || s.isBlank()) {
            return ifBlank;
        }
        return s.replaceAll("\\s*\\R\\s*", " ").replaceAll("[ \\t]{2,}", " ").trim();
    }
}
