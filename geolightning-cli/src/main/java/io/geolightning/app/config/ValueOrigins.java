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
     * engine): the {@code --set} that gave the key the message starts with its value, else the configuration file.
     * Binding's own messages are attributed the same way.
     *
     * @param e a message starting with the key it is about ({@code trainer.ckptPath ...}, {@code model.classWeights
     *          ...}, or {@code optimizer: ...} naming the key further on)
     * @param label the file's name
     * @param overrides the {@code --set} values
     * @return {@code e} prefixed with the origin; {@code e} itself when it names no key or is attributed already
     */
    public static ConfigException attribute(ConfigException e, String label, List<String> overrides) {
        String msg = e.getMessage();
        String key = msg == null || msg.startsWith("--set ") || msg.startsWith(label + ": ") ? null
                : keyOf(msg, overrides);
        return key == null ? e : new ConfigException(origin(key, label, overrides) + ": " + msg, e);
    }

    private static final Pattern LEADING_KEY = Pattern.compile("^([A-Za-z_]\\w*(?:\\.\\w+)*)(?=[ :'\\[]|$)");
    private static final Set<String> TOP_LEVEL = Set.of("name", "runs", "seed", "model", "data", "trainer", "callbacks",
            "optimizer");

    /**
     * @return the key a message starts with ({@code trainer.maxEpochs 0 ...}), refined for a section-level message
     *     ({@code optimizer: lr ...}) to the overridden key of that section it names; null when it starts with none
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
