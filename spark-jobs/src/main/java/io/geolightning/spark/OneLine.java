package io.geolightning.spark;

/**
 * Turns exception messages into the single line a user sees (jobs report per-scene errors as one line each): the
 * collapsing is {@link io.geolightning.foundation.OneLine}'s; this adds naming the scene a failure belongs to.
 */
final class OneLine {
    private OneLine() {
    }

    /** @return {@code s} with line breaks and runs of blanks collapsed to single spaces ("no detail" for null) */
    static String of(String s) {
        return io.geolightning.foundation.OneLine.of(s);
    }

    /**
     * The message of a failure as one line naming {@code file}: the first message in the cause chain that is not
     * empty, prefixed with the file name when the message does not mention it.
     *
     * @param file the scene the failure belongs to
     * @param t the failure
     * @return the line
     */
    static String naming(String file, Throwable t) {
        String msg = null;
        for (Throwable c = t; c != null && msg == null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getMessage();
                if (c.getClass().getName().startsWith("java.")) {
                    msg = c.getClass().getSimpleName() + ": " + msg;
                }
            }
        }
        if (msg == null) {
            msg = t.getClass().getSimpleName() + " without a message; rerun with --verbose for the stack trace";
        }
        String line = of(msg);
        String name = java.nio.file.Path.of(file).getFileName().toString();
        return line.contains(name) ? line : name + ": " + line;
    }
}
