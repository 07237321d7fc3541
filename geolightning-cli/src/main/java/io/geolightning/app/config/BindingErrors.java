package io.geolightning.app.config;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.geolightning.foundation.OneLine;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one-line {@link ConfigException} of a failure to bind the YAML tree to the section records, built from Jackson's
 * structured failure (its type, the key's path, the target type, the value) and never from its message text.
 */
final class BindingErrors {

    private BindingErrors() {
    }

    /**
     * Jackson's binding failure as one line, from the exception's structured parts (its type, the path of the key, the
     * target type, the value), never from its message text.
     *
     * @param tree what was bound, to read back the value at the failing path
     */
    static ConfigException translate(IllegalArgumentException e, Map<String, Object> tree, String label,
                                             List<String> overrides) {
        Throwable c = e.getCause();
        if (c instanceof ValueInstantiationException vi && vi.getCause() instanceof ConfigException ce) {
            String at = path(vi);
            String named = ce.key() != null ? ce.key() : ValueOrigins.keyOf(ce.getMessage(), overrides);
            String key = named != null && (at.isEmpty() || named.startsWith(at)) ? named : at;
            return new ConfigException(key, ValueOrigins.message(key, ce.getMessage(), label, overrides), ce);
        }
        if (c instanceof ValueInstantiationException vi && vi.getCause() != null) {
            return new ConfigException(ValueOrigins.message(path(vi), path(vi) + ": "
                    + OneLine.of(vi.getCause().getMessage()) + "; fix that value", label, overrides), vi);
        }
        if (c instanceof UnrecognizedPropertyException u) {
            String key = path(u);
            String origin = ValueOrigins.origin(key, label, overrides);
            Class<?> section = u.getReferringClass();
            String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
            String valid = String.join(", ", RunConfigLoader.validKeys(section));
            return new ConfigException(origin + ": unknown key '" + key + "'; valid keys of "
                    + (parent.isEmpty() ? "the top level" : "'" + parent + "'") + ": " + valid, u);
        }
        if (c instanceof InvalidFormatException bad && bad.getValue() != null) { // a scalar of the wrong kind
            String key = path(bad);
            return new ConfigException(key, ValueOrigins.message(key, "'" + key + "' " + shown(bad.getValue()) + ": "
                    + expected(bad.getTargetType()) + "; fix its value", label, overrides), bad);
        }
        if (c instanceof MismatchedInputException mi) {
            String key = path(mi);
            return new ConfigException(key, ValueOrigins.message(key, "'" + key + "' " + expected(mi.getTargetType())
                    + "; fix its value", label, overrides), mi);
        }
        if (c instanceof JsonMappingException jm && jm.getCause() instanceof InputCoercionException ic) {
            String key = path(jm);
            Object value = valueAt(tree, jm.getPath());
            return new ConfigException(key, ValueOrigins.message(key, "'" + key + "'" + (value == null ? ""
                    : " " + value) + ": out of range; use a whole number" + rangeOf(ic.getTargetType()), label,
                    overrides), jm);
        }
        if (c instanceof JsonMappingException jm) {
            return new ConfigException(ValueOrigins.message(path(jm), path(jm) + ": "
                    + OneLine.of(jm.getOriginalMessage()) + "; fix that value", label, overrides), jm);
        }
        return new ConfigException(label + ": " + OneLine.of(e.getMessage()) + "; fix the configuration", e);
    }

    /** @return a value as messages quote it: text in single quotes, numbers and the rest as they are */
    private static String shown(Object value) {
        return value instanceof String t ? "'" + OneLine.of(t) + "'" : OneLine.of(String.valueOf(value));
    }

    /** @return the value at a binding failure's path in the bound tree, or null when the path leads nowhere */
    private static Object valueAt(Object tree, List<JsonMappingException.Reference> path) {
        Object node = tree;
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null && node instanceof Map<?, ?> m) {
                node = m.get(r.getFieldName());
            } else if (r.getIndex() >= 0 && node instanceof List<?> l && r.getIndex() < l.size()) {
                node = l.get(r.getIndex());
            } else {
                return null;
            }
        }
        return node;
    }

    private static String rangeOf(Class<?> type) {
        return type == Integer.TYPE || type == Integer.class ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                : type == Long.TYPE || type == Long.class ? " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE : "";
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String nested = "data." + DataSection.TILING;
        return p.equals(nested) ? "data" : p.startsWith(nested + ".") ? "data." + p.substring(nested.length() + 1) : p;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has a value of the wrong type";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "must be a whole number";
        }
        if (type == Double.class || type == double.class || Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a single value (text or number), not a list or mapping";
        }
        if (List.class.isAssignableFrom(type)) {
            return "must be a list, e.g. [a, b]";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "must be a mapping, e.g. {width: 16}";
        }
        if (type == AugmentSection.class) {
            return "must be true, false or a mapping of keys (" + String.join(", ", RunConfigLoader.validKeys(type))
                    + ")";
        }
        if (type.isRecord()) {
            return "must be a mapping of keys (" + String.join(", ", RunConfigLoader.validKeys(type)) + ")";
        }
        return "must be a " + type.getSimpleName();
    }
}
