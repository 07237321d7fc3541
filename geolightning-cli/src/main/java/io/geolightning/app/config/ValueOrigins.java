package io.geolightning.app.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a configuration value came from, for messages about it: the {@code --set} that introduced or changed its key,
 * else the configuration file. One rule for binding's own messages and for checks made later (that need the data or
 * the engine).
 */
public final class ValueOrigins {

    private ValueOrigins() {
    }

    /**
     * Says where the value a message is about came from, for a check made after binding (one that needs the data or the
     * engine): the {@code --set} that gave the key its value, else the configuration file. The key is the one the
     * exception carries ({@link ConfigException#key()}), else the one its message starts with. Binding's own messages
     * are attributed the same way.
     *
     * @param e an exception carrying its key, or with a message starting with the key it is about
     *          ({@code trainer.ckptPath ...}, {@code model.classWeights ...}, or {@code data: ...} naming the key
     *          further on)
     * @param label the file's name
     * @param overrides the {@code --set} values
     * @return {@code e} prefixed with the origin; {@code e} itself when it names no key or is attributed already
     */
    public static ConfigException attribute(ConfigException e, String label, List<String> overrides) {
        String msg = e.getMessage();
        String key = msg == null || msg.startsWith("--set ") || msg.startsWith(label + ": ") ? null
                : e.key() != null ? e.key() : keyOf(msg, overrides);
        return key == null ? e : new ConfigException(key, message(key, msg, label, overrides), e);
    }

    /**
     * @param key the key the message is about
     * @param msg the message, usually starting with that key ({@code trainer.maxEpochs 0 must be > 0})
     * @return the message prefixed with where the value came from; after a {@code --set} of that very key the key and
     *     its value are not said twice ({@code --set trainer.maxEpochs=0: must be > 0})
     */
    public static String message(String key, String msg, String label, List<String> overrides) {
        String origin = origin(key, label, overrides);
        return origin + ": " + (origin.equals(label) ? msg
                : withoutLeadingKey(msg, origin.substring("--set ".length())));
    }

    private static final Pattern ECHOED_VALUE = Pattern.compile("^ ('[^']*'|\\[[^]]*]|[^\\s:']+): ");

    /** {@code msg} without the key of {@code setting} ({@code key=value}) it starts with, nor the value after it. */
    static String withoutLeadingKey(String msg, String setting) {
        int eq = setting.indexOf('=');
        String k = setting.substring(0, eq).trim();
        String v = setting.substring(eq + 1).trim();
        for (String head : List.of(k, "'" + k + "'")) {
            if (!msg.startsWith(head) || msg.length() == head.length()) {
                continue;
            }
            String rest = msg.substring(head.length());
            Matcher echoed = ECHOED_VALUE.matcher(rest);
            if (echoed.find() && sameValue(echoed.group(1), v)) {
                return rest.substring(echoed.end());
            }
            for (String value : List.of(" '" + v + "' ", " " + v + " ")) {
                if (!v.isEmpty() && rest.startsWith(value)) {
                    return withoutIs(rest.substring(value.length()));
                }
            }
            if (rest.startsWith(": ")) {
                return rest.substring(2);
            }
            // "'data.chipSize' must be ..." reads without its key; "data.chips names ... twice" would lose its subject
            return head.startsWith("'") && rest.startsWith(" ") ? withoutIs(rest.substring(1)) : msg;
        }
        return msg;
    }

    /** @return whether a message's echo of a value ({@code 'up'}, {@code -1.0}, a list) is the value set */
    private static boolean sameValue(String echoed, String set) {
        String e = echoed.startsWith("'") ? echoed.substring(1, echoed.length() - 1) : echoed;
        if (e.equals(set) || e.startsWith("[") && set.startsWith("[")) {
            return true;
        }
        try {
            return Double.parseDouble(e) == Double.parseDouble(set);
        } catch (NumberFormatException notNumbers) {
            return false;
        }
    }

    /** "is invalid; pass ..." after "--set key=value: " reads "invalid; pass ...". */
    private static String withoutIs(String s) {
        return s.startsWith("is ") ? s.substring(3) : s;
    }

    private static final Pattern LEADING_KEY = Pattern.compile("^([A-Za-z_]\\w*(?:\\.\\w+)*)(?=[ :'\\[]|$)");
    private static final Set<String> TOP_LEVEL = Set.of("name", "runs", "seed", "model", "data", "trainer", "callbacks",
            "optimizer");

    /**
     * @return the key a message starts with ({@code trainer.maxEpochs 0 ...}), refined for a section-level message
     *     ({@code data: ... raster ...}) to the overridden key of that section it names; null when it starts with none
     */
    static String keyOf(String msg, List<String> overrides) {
        Matcher m = LEADING_KEY.matcher(msg);
        if (!m.find() || !TOP_LEVEL.contains(m.group(1).split("\\.")[0])) {
            return null;
        }
        String key = m.group(1);
        if (!key.contains(".") && msg.startsWith(key + ": ") && overrides != null) {
            for (int i = overrides.size() - 1; i >= 0; i--) {
                String o = overrides.get(i);
                String k = o.indexOf('=') > 0 ? o.substring(0, o.indexOf('=')).trim() : "";
                if (k.startsWith(key + ".") && Pattern.compile("\\b" + Pattern.quote(k.substring(key.length() + 1))
                        + "\\b").matcher(msg.substring(key.length())).find()) {
                    return k;
                }
            }
        }
        return key;
    }

    /**
     * @return the last {@code --set} whose key and {@code key} are the same or one contains the other as a dotted
     *     prefix (it introduced or changed that key), else the file's label
     */
    static String origin(String key, String label, List<String> overrides) {
        String blamed = label;
        if (overrides != null && !key.isEmpty()) {
            for (String o : overrides) {
                int eq = o.indexOf('=');
                String k = eq > 0 ? o.substring(0, eq).trim() : "";
                if (!k.isEmpty() && (k.equals(key) || k.startsWith(key + ".") || key.startsWith(k + "."))) {
                    blamed = "--set " + o;
                }
            }
        }
        return blamed;
    }
}
