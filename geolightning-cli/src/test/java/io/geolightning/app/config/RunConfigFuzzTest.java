package io.geolightning.app.config;

import io.geolightning.foundation.fuzz.ByteMutations;
import io.geolightning.foundation.fuzz.FuzzFiles;
import io.geolightning.foundation.fuzz.Mutant;
import io.geolightning.foundation.fuzz.ParseContract;
import io.geolightning.foundation.fuzz.TreeMutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;
import org.yaml.snakeyaml.Yaml;

/**
 * Fuzzes the run-configuration loader with mutations of {@code sample-data/run.yaml} and of {@code --set} overrides:
 * loading (and writing back the resolved configuration, as every run does) may only succeed or fail with a one-line
 * {@link ConfigException}; never another exception, a hang or a memory blow-up. A failure prints the edits that made
 * the input and QuickTheories' seed (rerun with {@code -DQT_SEED=<seed>}).
 */
class RunConfigFuzzTest {

    /** Inputs per property and CI run. */
    private static final int TRIES = 400;
    /** YAML that parsers and binders have trouble with: aliases, tags, nesting, numbers, documents, bad syntax. */
    private static final List<String> SNIPPETS = List.of(
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    + "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
            binaryAliasBomb(24), "options: &o {width: 8, self: *o}", "options: &o [*o]", "? &k [a]\n: *k", "<<: *undefined",
            "base: &base {maxEpochs: 2}\nmerged: {<<: *base, x: 1}", "x: !!python/object/apply:os.system [ls]",
            "x: !!java.io.File [/etc/passwd]", "x: !!binary AAAA////", "x: !!timestamp 2001-12-14t21:59:43.10-05:00",
            "x: !!set {a, b}", "x: !!float .nan", "x: !!int 0x7fffffffffffffffffff", "x: !!str", "x: !<tag:x> 1",
            "maxEpochs: 99999999999999999999999999", "lr: 1e400", "lr: -.inf", "batchSize: -2147483649",
            "x: " + "[".repeat(2000), "x: " + "{a: ".repeat(500), "---\nother: document", "%YAML 1.1\n---",
            "\tindented: with a tab", "key: 'unterminated", "key: \"\\uD800\"", "- a list\n- at the top", "~: null key",
            "? [complex, key]\n: value", "1: numeric key", "x: |\n  two\n  lines", "x: \"\\u0000\"",
            "name: \"" + "n".repeat(100_000) + "\"", "architecture: ../../../../etc/passwd", "model: null",
            "trainer: []", "callbacks: {checkpoint: 5}", "x: *missing", "&a a: b", "...");
    private static final List<String> KEYS = List.of("trainer.maxEpochs", "model.options.width", "data.batchSize",
            "optimizer.lr", "callbacks.checkpoint.saveTopK", "model", "name", "trainer", "model.architecture.x", ".",
            "..", "a..b", "trainer.", ".trainer", " ", "unknown.key", "model.options.a.b.c.d", "seed", "data.augment",
            "data.augment.contrast");
    private static final List<String> VALUES = List.of("5", "-1", "0", "[a, b]", "{x: 1}", "null", "", "~", "1e400",
            "99999999999999999999", "!!binary AAAA", "&a [*a]", "'unterminated", "x\ny: z", "- a\n- b", "\t", "true",
            ".nan", "!!python/object:os.system x", "\"\\uD800\"", "{a: [", "*alias", "?", "|", "%TAG ! x");

    private static Path dir;
    private static byte[] seedText;
    private static Object seedTree;

    @BeforeAll
    static void readSeed() throws IOException {
        dir = Files.createTempDirectory("run-config-fuzz");
        Path sample = Path.of(System.getProperty("geolightning.root"), "sample-data", "run.yaml");
        seedText = Files.readAllBytes(sample);
        seedTree = new Yaml().load(new String(seedText, StandardCharsets.UTF_8));
        load(sample, List.of()); // the seed itself loads
    }

    @AfterAll
    static void deleteFiles() {
        FuzzFiles.deleteTree(dir);
    }

    /** What {@code train --config} does: load with overrides, then write the resolved configuration. */
    static Object load(Path file, List<String> overrides) {
        return RunConfigLoader.toYaml(RunConfigLoader.load(file, overrides));
    }

    @Test
    void mutatedYamlBytes() {
        Path file = dir.resolve("bytes.yaml");
        new ParseContract(ConfigException.class).forAll("mutatedYamlBytes", ByteMutations.of(seedText, 4), TRIES,
                m -> FuzzFiles.write(file, m.value()), m -> load(file, List.of()));
    }

    @Test
    void yamlSnippetsInsertedOrReplacingLines() {
        Path file = dir.resolve("snippets.yaml");
        new ParseContract(ConfigException.class).forAll("yamlSnippetsInsertedOrReplacingLines", snippets(), TRIES,
                m -> FuzzFiles.write(file, m.value().getBytes(StandardCharsets.UTF_8)), m -> load(file, List.of()));
    }

    @Test
    void mutatedYamlTree() {
        Path file = dir.resolve("tree.yaml");
        new ParseContract(ConfigException.class).forAll("mutatedYamlTree", TreeMutations.of(seedTree, 3, true, 200), TRIES,
                m -> FuzzFiles.write(file, new Yaml().dump(m.value()).getBytes(StandardCharsets.UTF_8)),
                m -> load(file, List.of()));
    }

    @Test
    void overrides() {
        Path sample = Path.of(System.getProperty("geolightning.root"), "sample-data", "run.yaml");
        Gen<Mutant<List<String>>> overrides = in -> {
            List<String> out = new ArrayList<>();
            int n = pick(in, 1, 3);
            for (int i = 0; i < n; i++) {
                String key = KEYS.get(pick(in, 0, KEYS.size() - 1));
                String value = VALUES.get(pick(in, 0, VALUES.size() - 1));
                out.add(switch (pick(in, 0, 3)) {
                    case 0 -> key; // no '='
                    case 1 -> "=" + value;
                    default -> key + "=" + value;
                });
            }
            return new Mutant<>(out, out.toString().replace("\n", "\\n"));
        };
        new ParseContract(ConfigException.class).forAll("overrides", overrides, TRIES, m -> { },
                m -> load(sample, m.value()));
    }

    /** Inputs the properties found, each broke the loader before it was fixed (and two alias bombs). */
    @Test
    void inputsTheFuzzerFound() {
        Path sample = Path.of(System.getProperty("geolightning.root"), "sample-data", "run.yaml");
        Path file = dir.resolve("found.yaml");
        ParseContract contract = new ParseContract(ConfigException.class);
        for (List<String> overrides : List.of(
                List.of(".=5"), // ArrayIndexOutOfBoundsException: the key split into no parts
                List.of("model.options.width=\"\\uD800\""), // YAMLException writing the resolved configuration
                List.of("trainer.maxEpochs=&a [*a]"), // StackOverflowError binding a list that contains itself
                List.of("seed=!!int 0x7fffffffffffffffffff"))) { // NumberFormatException from SnakeYAML's !!int
            contract.check(overrides, () -> load(sample, overrides));
            org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(sample, overrides));
        }
        for (String yaml : List.of(
                "name: &n {a: *n}", // StackOverflowError: an alias cycle
                "model:\n  x: !!str\n    a: b", // ClassCastException inside SnakeYAML: a str tag on a mapping
                "model:\n  ? [complex, key]\n  : value", // ClassCastException: a list as a key
                "seed: !!int 0x7fffffffffffffffffff", // NumberFormatException: SnakeYAML parses the tagged scalar
                "x: !!float 1.2.3", // NumberFormatException likewise
                binaryAliasBomb(24))) { // 2^24 values from 46 aliases
            FuzzFiles.write(file, yaml.getBytes(StandardCharsets.UTF_8));
            contract.check(yaml, () -> load(file, List.of()));
            org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(file, List.of()), yaml);
        }
    }

    /** Inserts one or two snippets between lines of the sample, or replaces a line with one. */
    private static Gen<Mutant<String>> snippets() {
        List<String> lines = Arrays.asList(new String(seedText, StandardCharsets.UTF_8).split("\n", -1));
        return in -> {
            List<String> out = new ArrayList<>(lines);
            List<String> edits = new ArrayList<>();
            int n = pick(in, 1, 2);
            for (int i = 0; i < n; i++) {
                int s = pick(in, 0, SNIPPETS.size() - 1);
                int at = pick(in, 0, out.size() - 1);
                String indent = pick(in, 0, 1) == 0 ? "" : "  ";
                String snippet = indent + SNIPPETS.get(s).replace("\n", "\n" + indent);
                if (pick(in, 0, 1) == 0) {
                    out.add(at, snippet);
                    edits.add("snippet " + s + " inserted at line " + (at + 1) + (indent.isEmpty() ? "" : " indented"));
                } else {
                    out.set(at, snippet);
                    edits.add("line " + (at + 1) + " replaced by snippet " + s + (indent.isEmpty() ? "" : " indented"));
                }
            }
            return new Mutant<>(String.join("\n", out), String.join("; ", edits));
        };
    }

    /** {@code levels} lists of two aliases of the previous one: 2^levels values from 2 x levels aliases. */
    private static String binaryAliasBomb(int levels) {
        StringBuilder sb = new StringBuilder("l0: &l0 [x, x]");
        for (int i = 1; i < levels; i++) {
            sb.append("\nl").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append(']');
        }
        return sb.toString();
    }

    private static int pick(RandomnessSource in, int min, int max) {
        return (int) in.next(Constraint.between(min, max));
    }
}
