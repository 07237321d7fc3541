package io.geolightning.foundation.fuzz;

import static io.geolightning.foundation.fuzz.ByteMutations.pick;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * Structure-aware mutations of a parsed document (maps with string keys, lists, scalars; what Jackson or SnakeYAML
 * read a JSON or YAML file into): at a random place, a value of another type, an extreme number, a negative or
 * oversized count, null, deep nesting, a removed or an unknown key, a value copied from elsewhere, a blown-up list, a
 * multi-line or huge string and, for YAML, a reference back to an enclosing node (an alias cycle).
 */
public final class TreeMutations {

    private static final List<Object> SCALARS = List.of("", "x", "two\nlines", "../../outside", "\u0000", true,
            false, 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
            new BigInteger("1" + "0".repeat(40)), new BigDecimal("1e400"), 1.5, -0.0, 1e308, Double.NaN,
            Double.NEGATIVE_INFINITY);
    /**
     * Deepest nesting one edit adds: far beyond what any document of the project nests (a few levels) and than the
     * readers accept (64), while three stacked edits still leave the generator's own recursion room on the test's
     * stack (1,500 overflowed it while collecting the next edit's slots).
     */
    private static final int MAX_DEPTH = 300;

    private TreeMutations() {
    }

    /**
     * @param seed a parsed valid document (not modified)
     * @param maxEdits the most edits applied to one document (at least 1)
     * @param cycles whether an edit may make a node contain one of its ancestors (YAML aliases can; JSON cannot)
     * @return mutated copies, each described by its edits ({@code "$.parameters[0].shape: replaced with -1"})
     */
    public static Gen<Mutant<Object>> of(Object seed, int maxEdits, boolean cycles) {
        return of(seed, maxEdits, cycles, MAX_DEPTH);
    }

    /**
     * @param seed a parsed valid document (not modified)
     * @param maxEdits the most edits applied to one document (at least 1)
     * @param cycles whether an edit may make a node contain one of its ancestors
     * @param maxDepth the deepest nesting an edit adds (a writer that recurses, such as SnakeYAML's, needs less)
     * @return mutated copies, each described by its edits
     */
    public static Gen<Mutant<Object>> of(Object seed, int maxEdits, boolean cycles, int maxDepth) {
        return in -> {
            List<Object> root = new ArrayList<>(List.of(copy(seed, new IdentityHashMap<>())));
            List<String> edits = new ArrayList<>();
            int n = pick(in, 1, maxEdits);
            for (int i = 0; i < n; i++) {
                List<Slot> slots = new ArrayList<>();
                collect(new Slot(root, 0, "$", List.of()), slots, Collections.newSetFromMap(new IdentityHashMap<>()));
                Slot s = slots.get(pick(in, 0, slots.size() - 1));
                edits.add(s.path + ": " + edit(in, s, slots, cycles, maxDepth));
            }
            return new Mutant<>(root.get(0), String.join("; ", edits));
        };
    }

    private static String edit(RandomnessSource in, Slot s, List<Slot> slots, boolean cycles, int maxDepth) {
        Object v = s.get();
        switch (pick(in, 0, 11)) {
            case 0 -> {
                s.set(null);
                return "null";
            }
            case 1 -> {
                Object n = v instanceof Number x ? tweak(in, x) : SCALARS.get(pick(in, 6, SCALARS.size() - 1));
                s.set(n);
                return "number " + show(n);
            }
            case 2 -> {
                int depth = pick(in, 2, maxDepth);
                Object nested = v;
                for (int d = 0; d < depth; d++) {
                    nested = new ArrayList<>(Collections.singletonList(nested));
                }
                s.set(nested);
                return "nested in " + depth + " lists";
            }
            case 3 -> {
                s.remove();
                return "removed";
            }
            case 4 -> {
                Object value = SCALARS.get(pick(in, 0, SCALARS.size() - 1));
                if (v instanceof Map<?, ?> m) {
                    TreeMutations.<Map<String, Object>>cast(m).put("unknownKey" + pick(in, 0, 9), value);
                    return "unknown key added";
                }
                if (v instanceof List<?> l) {
                    TreeMutations.<List<Object>>cast(l).add(value);
                    return "element " + show(value) + " appended";
                }
                s.set(value);
                return "replaced with " + show(value);
            }
            case 5 -> {
                Slot from = slots.get(pick(in, 0, slots.size() - 1));
                s.set(copy(from.get(), new IdentityHashMap<>()));
                return "replaced with a copy of " + from.path;
            }
            case 6 -> {
                s.set(new ArrayList<>(Collections.singletonList(v)));
                return "wrapped in a list";
            }
            case 7 -> {
                boolean list = pick(in, 0, 1) == 0;
                s.set(list ? new ArrayList<>() : new LinkedHashMap<>());
                return list ? "empty list" : "empty mapping";
            }
            case 8 -> {
                int times = pick(in, 2, 1_000); // with a long string below: 20 MB of text at most
                List<Object> many = new ArrayList<>(Collections.nCopies(times, v instanceof List<?> l && !l.isEmpty()
                        ? l.get(0) : v));
                s.set(many);
                return "list of " + times + " copies";
            }
            case 9 -> {
                // a mapping or list may contain itself (a cycle edit): never print one
                String t = v instanceof String x ? x : v instanceof Map || v instanceof List ? "value" : String.valueOf(v);
                String[] variants = {t + "\r\nsecond line", "x".repeat(20_000), t + "\u0000", t.toUpperCase(), " " + t};
                int k = pick(in, 0, variants.length - 1);
                s.set(variants[k]);
                return "string variant " + k;
            }
            case 10 -> {
                if (cycles && !s.ancestors.isEmpty()) {
                    Object ancestor = s.ancestors.get(pick(in, 0, s.ancestors.size() - 1));
                    s.set(ancestor);
                    return "reference to an enclosing node (cycle)";
                }
                s.set(new LinkedHashMap<>(Map.of("key", "value")));
                return "replaced with a mapping";
            }
            default -> {
                Object value = SCALARS.get(pick(in, 0, SCALARS.size() - 1));
                s.set(value);
                return "replaced with " + show(value);
            }
        }
    }

    private static Object tweak(RandomnessSource in, Number x) {
        long l = x.longValue();
        return switch (pick(in, 0, 5)) {
            case 0 -> -l;
            case 1 -> BigInteger.valueOf(l).shiftLeft(31);
            case 2 -> l + 1;
            case 3 -> String.valueOf(x);
            case 4 -> x.doubleValue() + 0.5;
            default -> -1L - l;
        };
    }

    /** Writes a tree as JSON text (NaN and infinities as bare tokens, big numbers in full): no writer limits. */
    public static String toJson(Object tree) {
        StringBuilder sb = new StringBuilder();
        json(tree, sb);
        return sb.toString();
    }

    private static void json(Object v, StringBuilder sb) {
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                string(String.valueOf(e.getKey()), sb);
                sb.append(':');
                json(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                json(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            string(s, sb);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toString());
        } else {
            sb.append(v); // null, booleans, numbers (NaN, Infinity stay bare)
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static String show(Object v) {
        String s = String.valueOf(v).replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static Object copy(Object v, Map<Object, Object> done) {
        if (!(v instanceof Map) && !(v instanceof List)) {
            return v;
        }
        Object seen = done.get(v);
        if (seen != null) {
            return seen;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            done.put(v, out);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), copy(e.getValue(), done));
            }
            return out;
        }
        List<Object> out = new ArrayList<>();
        done.put(v, out);
        for (Object x : (List<?>) v) {
            out.add(copy(x, done));
        }
        return out;
    }

    private static void collect(Slot s, List<Slot> out, java.util.Set<Object> visited) {
        out.add(s);
        Object v = s.get();
        if (!(v instanceof Map) && !(v instanceof List) || !visited.add(v)) {
            return;
        }
        List<Object> ancestors = new ArrayList<>(s.ancestors);
        ancestors.add(v);
        if (v instanceof Map<?, ?> m) {
            for (Object k : new ArrayList<>(m.keySet())) {
                collect(new Slot(v, k, s.path + "." + k, ancestors), out, visited);
            }
        } else {
            for (int i = 0; i < ((List<?>) v).size(); i++) {
                collect(new Slot(v, i, s.path + "[" + i + "]", ancestors), out, visited);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    /** A place in the tree: a map key or a list index of a container. */
    private record Slot(Object container, Object key, String path, List<Object> ancestors) {
        Object get() {
            return container instanceof Map<?, ?> m ? m.get(key) : ((List<?>) container).get((Integer) key);
        }

        void set(Object v) {
            if (container instanceof Map<?, ?> m) {
                TreeMutations.<Map<Object, Object>>cast(m).put(key, v);
            } else {
                TreeMutations.<List<Object>>cast(container).set((Integer) key, v);
            }
        }

        void remove() {
            if (container instanceof Map<?, ?> m) {
                m.remove(key);
            } else if (path.equals("$")) {
                set(null);
            } else {
                ((List<?>) container).remove((int) (Integer) key);
            }
        }
    }
}
