package io.geolightning.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bad YAML file's error is one line naming the file, where (line and column for syntax, the key for a value), the
 * value when there is one, and the fix; built from the parsers' structured failures, not their message text.
 */
class RunConfigYamlErrorsTest extends BadConfigFiles {

    @Test
    void anUnknownKeyListsTheValidKeysOfItsSection() throws Exception {
        fails("u.yaml: unknown key 'traner'; valid keys of the top level: name, runs, seed, model, data, trainer,"
                + " callbacks, optimizer", "u.yaml", "traner:\n  maxEpochs: 3\n");
        fails("v.yaml: unknown key 'callbacks.checkpoint.saveTop'; valid keys of 'callbacks.checkpoint': monitor, mode,"
                + " saveTopK, saveLast, filename, autoInsertMetricName", "v.yaml",
                "callbacks:\n  checkpoint:\n    saveTop: 2\n");
    }

    @Test
    void aValueOfTheWrongTypeIsQuotedWithItsKey() throws Exception {
        fails("t.yaml: 'trainer.deterministic' 'maybe': must be true or false; fix its value", "t.yaml",
                "trainer:\n  deterministic: maybe\n");
        fails("n.yaml: 'optimizer.lr' 'fast': must be a number; fix its value", "n.yaml", "optimizer:\n  lr: fast\n");
        fails("f.yaml: 'data.chipSize' 2.5: must be a whole number; fix its value", "f.yaml",
                "data:\n  chipSize: 2.5\n");
        fails("l.yaml: 'trainer.maxEpochs' must be a whole number; fix its value", "l.yaml",
                "trainer:\n  maxEpochs: [1, 2]\n");
        fails("--set trainer.deterministic=maybe: must be true or false; fix its value", "s.yaml", "",
                "trainer.deterministic=maybe");
    }

    @Test
    void aNumberOutOfRangeIsQuotedFromTheFileWhereverItSits() throws Exception {
        fails("i.yaml: 'callbacks.imageBands[2]' 99999999999: out of range; use a whole number from -2147483648 to"
                + " 2147483647", "i.yaml", "callbacks:\n  imageBands: [1, 2, 99999999999]\n");
        fails("c.yaml: 'data.chipSize' 99999999999: out of range; use a whole number from -2147483648 to 2147483647",
                "c.yaml", "data:\n  chipSize: 99999999999\n");
    }

    @Test
    void aValueOutsideItsChoicesListsThem() throws Exception {
        fails("m.yaml: callbacks.checkpoint.mode 'sideways': unknown; use min or max", "m.yaml",
                "callbacks:\n  checkpoint:\n    mode: sideways\n");
        assertEquals("data.split", fails("s.yaml: data.split 'diagonal': unknown; use spatial, random or none",
                "s.yaml", "data:\n  split: diagonal\n", "data.seed=3").key(), "the tiling names its setting");
        assertEquals("callbacks.checkpoint.filename", fails("f.yaml: callbacks.checkpoint.filename: ModelCheckpoint"
                + " filename 'a/b' is invalid; pass a template without folders, e.g."
                + " \"epoch={epoch}-val_loss={val_loss:.4f}\"", "f.yaml",
                "callbacks:\n  checkpoint:\n    filename: a/b\n").key());
        fails("a.yaml: model.architecture 'resnet99': unknown network; use one of cnn, resnet18, resnet34, resnet50,"
                + " unet, unet_resnet18, unet_resnet34, unet_resnet50", "a.yaml", "model:\n  architecture: resnet99\n");
    }

    @Test
    void malformedYamlSaysWhereAndHowToFixIt() throws Exception {
        fails("tab.yaml: not valid YAML at line 2, column 1 (found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation)); fix the syntax (indent with spaces, 'key: value')",
                "tab.yaml", "trainer:\n\tmaxEpochs: 3\n");
        fails("q.yaml: not valid YAML at line 4, column 1 (while scanning a quoted scalar at line 1, column 7: found"
                + " unexpected end of stream); fix the syntax (indent with spaces, 'key: value')", "q.yaml",
                "name: \"olinda\ntrainer:\n  maxEpochs: 3\n");
    }

    @Test
    void aDuplicateKeyIsToldToBeWrittenOnce() throws Exception {
        fails("d.yaml: not valid YAML at line 4, column 3 (found duplicate key maxEpochs); keep one of the two",
                "d.yaml", "trainer:\n  maxSteps: 9\n  maxEpochs: 3\n  maxEpochs: 4\n");
    }

    @Test
    void anEmptyFileIsTheDefaultsNamedAfterIt() throws Exception {
        Path p = Files.writeString(tmp.resolve("empty.yaml"), "# nothing yet\n");
        RunConfig rc = RunConfigLoader.load(p, List.of());
        assertEquals("empty", rc.name());
        assertEquals(RunConfigLoader.bind(new java.util.HashMap<>(java.util.Map.of("name", "empty")), List.of(),
                "defaults"), rc);
    }
}
