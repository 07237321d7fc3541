package io.geolightning.app.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.foundation.OneLine;
import io.geolightning.tiling.TilingSettings;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a {@link RunConfig} from YAML, applies {@code --set section.key=value} overrides and writes the resolved
 * configuration back as YAML. YAML is parsed with SnakeYAML (safe constructor: plain maps, lists and scalars only) and
 * bound to the section records with Jackson, which rejects unknown keys; every failure becomes a one-line
 * {@link ConfigException} naming the file (or the override), the key and, for an unknown key, the valid keys of its
 * section.
 */
public final class RunConfigLoader {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private RunConfigLoader() {
    }

    /**
     * Reads a configuration file and applies overrides.
     *
     * @param file the YAML file
     * @param overrides {@code dotted.key=value} strings; values are parsed as YAML ({@code 5}, {@code true},
     *                  {@code [a, b]}, {@code null})
     * @return the resolved configuration (defaults filled; a missing {@code name} becomes the file's base name)
     * @throws ConfigException one line naming the file or override, the key and the fix
     */
    public static RunConfig load(Path file, List<String> overrides) {
        Map<String, Object> tree = readTree(file);
        String label = file.getFileName().toString();
        if (!tree.containsKey("name")) {
            String base = label.replaceFirst("\\.[^.]*$", "");
            tree.put("name", base.isBlank() ? "run" : base);
        }
        return bind(tree, overrides, label);
    }

    /**
     * Builds a configuration from a tree (e.g. parsed YAML) and overrides.
     *
     * @param tree section maps by name
     * @param overrides {@code dotted.key=value} strings
     * @param label name used in messages (the file name)
     * @return the resolved configuration
     */
    public static RunConfig bind(Map<String, Object> tree, List<String> overrides, String label) {
        Map<String, Object> copy = deepCopy(tree);
        for (String o : overrides == null ? List.<String>of() : overrides) {
            applyOverride(copy, o);
        }
        List<String> givenData = copy.get("data") instanceof Map<?, ?> d
                ? d.keySet().stream().map(String::valueOf).toList() : List.of();
        nestTilingKeys(copy, label, overrides);
        try {
            RunConfig config = MAPPER.convertValue(copy, RunConfig.class);
            warnUnread(config, givenData, label, overrides);
            return config;
        } catch (IllegalArgumentException e) {
            ConfigException c = BindingErrors.translate(e, copy, label, overrides);
            // keys, values and overrides are quoted in messages: keep them on one line
            throw c.getMessage().lines().count() <= 1 ? c : new ConfigException(oneLine(c.getMessage()), c.getCause());
        }
    }

    /**
     * Warns of the {@code data} keys given that the run's source does not read (the resolved configuration leaves them
     * out; said rather than dropped silently), each blamed where it came from: the file, or the {@code --set} that gave
     * it (the file does not hold it then).
     */
    private static void warnUnread(RunConfig config, List<String> givenData, String label, List<String> overrides) {
        String why = config.data().readsImageFolder() ? "data.imageFolder's images are the chips"
                : "data.chips names a chip store, already cut and split (tile again to change them)";
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        givenData.stream().filter(config.data().unusedKeys()::contains).map(k -> "data." + k).forEach(k ->
                byOrigin.computeIfAbsent(ValueOrigins.origin(k, label, overrides), o -> new ArrayList<>()).add(k));
        byOrigin.forEach((origin, keys) -> org.slf4j.LoggerFactory.getLogger(RunConfigLoader.class).warn(
                "{}: {} not read: {}; {}", origin, String.join(", ", keys), why,
                !origin.equals(label) ? "drop that --set" : keys.size() > 1 ? "remove them" : "remove it"));
    }

    /**
     * @param config a resolved configuration
     * @return it as YAML (block style, defaults included, without the {@code data} keys its source does not read:
     *     {@link DataSection#unusedKeys()}), as saved in a run folder
     */
    public static String toYaml(RunConfig config) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = MAPPER.convertValue(config, LinkedHashMap.class);
        flattenTilingKeys(map);
        if (map.get("data") instanceof Map<?, ?> data) {
            data.keySet().removeAll(config.data().unusedKeys());
        }
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        opts.setIndent(2);
        opts.setPrettyFlow(true);
        try {
            return new Yaml(new Representer(opts), opts).dump(map);
        } catch (YAMLException e) { // e.g. a string with an unpaired surrogate ("\\uD800"), which YAML cannot hold
            throw new ConfigException(config.name() + ": the resolved configuration cannot be written as YAML ("
                    + oneLine(e.getMessage()) + "); remove escapes of unpaired surrogates such as \"\\uD800\"", e);
        }
    }

    /**
     * @param section a section record class
     * @return its keys in declaration order
     */
    public static List<String> validKeys(Class<?> section) {
        RecordComponent[] rc = section.getRecordComponents();
        if (rc == null) {
            return List.of();
        }
        List<String> keys = new java.util.ArrayList<>();
        for (RecordComponent c : rc) {
            if (section == DataSection.class && c.getName().equals(DataSection.TILING)) {
                keys.addAll(validKeys(TilingSettings.class)); // written flat in the section
            } else {
                keys.add(c.getName());
            }
        }
        return keys;
    }

    /**
     * The tiling keys of {@code data} are written flat in the section but bound whole as {@link TilingSettings}: moves
     * them into the {@code data.tiling} mapping Jackson binds.
     */
    @SuppressWarnings("unchecked")
    private static void nestTilingKeys(Map<String, Object> tree, String label, List<String> overrides) {
        if (!(tree.get("data") instanceof Map<?, ?> data)) {
            return;
        }
        Map<String, Object> d = (Map<String, Object>) data;
        if (d.containsKey(DataSection.TILING)) {
            throw new ConfigException(ValueOrigins.origin("data." + DataSection.TILING, label, overrides)
                    + ": unknown key 'data." + DataSection.TILING + "'; valid keys of 'data': "
                    + String.join(", ", validKeys(DataSection.class)));
        }
        Map<String, Object> tiling = new LinkedHashMap<>();
        Map<String, Object> rest = new LinkedHashMap<>();
        List<String> keys = validKeys(TilingSettings.class);
        d.forEach((k, v) -> (keys.contains(k) ? tiling : rest).put(k, v));
        if (tiling.get("classes") instanceof Map<?, ?> named) { // {1: wetland, 2: forest}: values with their names
            List<String> entries = new ArrayList<>();
            named.forEach((value, name) -> entries.add(value + "=" + name));
            tiling.put("classes", entries);
        }
        if (!tiling.isEmpty()) {
            rest.put(DataSection.TILING, tiling);
        }
        tree.put("data", rest);
    }

    /** Writes the tiling keys flat in {@code data} again, where {@code tiling} stood. */
    @SuppressWarnings("unchecked")
    private static void flattenTilingKeys(Map<String, Object> tree) {
        if (!(tree.get("data") instanceof Map<?, ?> data)) {
            return;
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        ((Map<String, Object>) data).forEach((k, v) -> {
            if (k.equals(DataSection.TILING) && v instanceof Map<?, ?> t) {
                ((Map<String, Object>) t).forEach(flat::put);
            } else {
                flat.put(k, v);
            }
        });
        tree.put("data", flat);
    }

    private static Map<String, Object> readTree(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = yaml().load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": configuration file not found; pass an existing YAML file with"
                    + " --config (see sample-data/run.yaml)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration (" + e.getMessage()
                    + "); check the path and its permissions", e);
        } catch (DuplicateKeyException e) {
            throw new ConfigException(name + ": not valid YAML" + at(e.getProblemMark()) + " ("
                    + oneLine(e.getProblem()) + "); keep one of the two", e);
        } catch (MarkedYAMLException e) {
            // what was being read when it went wrong (an unclosed quote is found at the end of the file)
            String context = e.getContext() == null || e.getContextMark() == null ? ""
                    : oneLine(e.getContext()) + at(e.getContextMark()) + ": ";
            throw new ConfigException(name + ": not valid YAML" + at(e.getProblemMark()) + " (" + context
                    + oneLine(e.getProblem()) + "); fix the syntax (indent with spaces, 'key: value')", e);
        } catch (RuntimeException e) { // SnakeYAML casts nodes ('!!str' on a mapping), parses tagged scalars ('!!int 0xff..')
            throw new ConfigException(name + ": not valid YAML (" + oneLine(e.getMessage())
                    + "); fix the syntax (indent with spaces, 'key: value')", e);
        }
        String alias = YamlAliases.problem(doc);
        if (alias != null) {
            throw new ConfigException(name + ": " + alias + "; write the values out instead of aliases (*name)");
        }
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new ConfigException(name + ": the top level is a " + kind(doc) + ", not a mapping; write sections"
                    + " such as 'model:', 'data:', 'trainer:'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** @return {@code " at line L, column C"} (from 1) of a SnakeYAML mark, or nothing without one */
    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static Yaml yaml() {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(lo));
    }

    @SuppressWarnings("unchecked")
    private static void applyOverride(Map<String, Object> tree, String override) {
        String shown = oneLine(override);
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + shown + ": expected key=value; e.g. --set trainer.maxEpochs=5");
        }
        String key = override.substring(0, eq).trim();
        String text = override.substring(eq + 1);
        String[] parts = key.split("\\.", -1);
        if (Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new ConfigException("--set " + shown + ": '" + oneLine(key) + "' is not a dotted key; write"
                    + " section.key=value, e.g. --set trainer.maxEpochs=5");
        }
        Object value;
        try {
            value = text.isEmpty() ? null : yaml().load(text);
        } catch (RuntimeException e) { // YAMLException, or a tagged scalar SnakeYAML cannot parse ('!!int 0xfff...')
            throw new ConfigException("--set " + shown + ": the value is not valid YAML ("
                    + oneLine(e.getMessage()) + "); quote it or write e.g. 5, true, [a, b]", e);
        }
        String alias = YamlAliases.problem(value);
        if (alias != null) {
            throw new ConfigException("--set " + shown + ": in the value, " + alias + "; write the value out");
        }
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.get(parts[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(parts[i], child);
            }
            if (!(child instanceof Map)) {
                throw new ConfigException("--set " + shown + ": '" + String.join(".", Arrays.copyOf(parts, i + 1))
                        + "' is a value, not a section; set it directly, e.g. --set "
                        + String.join(".", Arrays.copyOf(parts, i + 1)) + "=...");
            }
            node = (Map<String, Object>) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    /** Copies the sections; keys become text (YAML allows numbers, null and even lists as keys). */
    private static Map<String, Object> deepCopy(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> sub ? deepCopy(sub) : v));
        return out;
    }

    private static String kind(Object o) {
        return o instanceof List ? "list" : o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String oneLine(String s) {
        return OneLine.of(s);
    }
}
