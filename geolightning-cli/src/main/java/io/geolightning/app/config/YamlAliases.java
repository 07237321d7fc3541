package io.geolightning.app.config;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * YAML aliases a configuration may not use: SnakeYAML lets an alias refer to a node that contains it (a cycle, which
 * no configuration needs and which overflows the stack of every walker), and a few nested aliases expand to millions of
 * values ("billion laughs").
 */
final class YamlAliases {

    private YamlAliases() {
    }

    /** Most values a configuration may expand to through aliases (a real one has a few dozen). */
    private static final int MAX_VALUES = 10_000;

    /**
     * @return what is wrong with the aliases of a parsed document, or null: SnakeYAML lets an alias refer to a node
     *     that contains it (a cycle, which no configuration needs and which overflows the stack of every walker), and
     *     a few nested aliases expand to millions of values ("billion laughs")
     */
    static String problem(Object doc) {
        Map<Object, Long> sizes = new IdentityHashMap<>();
        try {
            return size(doc, Collections.newSetFromMap(new IdentityHashMap<>()), sizes) > MAX_VALUES
                    ? "aliases expand it to more than " + MAX_VALUES + " values" : null;
        } catch (IllegalStateException cycle) {
            return "an alias refers to a node that contains it";
        }
    }

    private static long size(Object node, Set<Object> path, Map<Object, Long> sizes) {
        if (!(node instanceof Map) && !(node instanceof List)) {
            return 1;
        }
        Long known = sizes.get(node);
        if (known != null) {
            return known;
        }
        if (!path.add(node)) {
            throw new IllegalStateException("cycle");
        }
        long n = 1;
        Iterable<?> children = node instanceof Map<?, ?> m ? m.values() : (List<?>) node;
        for (Object child : children) {
            n = Math.min(Long.MAX_VALUE / 2, n + size(child, path, sizes));
        }
        if (node instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                n = Math.min(Long.MAX_VALUE / 2, n + size(k, path, sizes));
            }
        }
        path.remove(node);
        sizes.put(node, n);
        return n;
    }
}
