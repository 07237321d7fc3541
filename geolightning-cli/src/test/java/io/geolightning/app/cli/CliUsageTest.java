package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI without a model: help, version, usage errors, configuration errors, missing inputs. */
class CliUsageTest {

    @TempDir
    Path tmp;

    /** A user-facing failure: the exit code, one line on stderr starting with "error: ", no stack trace. */
    private static String fails(int code, CliRun r) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        String line = r.errorLine();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.startsWith("error: "), line);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return line;
    }

    @Test
    void everyCommandHasHelpAndTheToolHasAVersion() {
        for (String cmd : List.of("info", "tile", "train", "predict", "evaluate")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().startsWith("Usage: geolightning " + cmd), r.out());
        }
        // the README's spellings: --blending takes lower case, --classes also names values (1=wetland,2=forest)
        assertTrue(CliRun.of("predict", "--help").out().contains("tapered, central_crop or uniform. Default: tapered."));
        assertTrue(CliRun.of("tile", "--help").out().contains("label values (1=wetland,2=forest)"));
        CliRun top = CliRun.of("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("tile") && top.out().contains("evaluate"), top.out());
        CliRun v = CliRun.of("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("geolightning "), v.out());
        assertTrue(v.out().contains("GDAL 3."), v.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertTrue(fails(2, CliRun.of()).contains("no command given"));
        assertTrue(fails(2, CliRun.of("frobnicate")).contains("frobnicate"));
        String line = fails(2, CliRun.of("tile", "--raster", "a.tif"));
        assertTrue(line.contains("Missing required option") && line.contains("see 'geolightning tile --help'"), line);
        line = fails(2, CliRun.of("predict", "--checkpoint", "c", "--raster", "r", "--out", "o", "--window", "x"));
        assertTrue(line.contains("--window"), line);
    }

    @Test
    void unknownYamlKeyNamesItAndTheValidKeys() throws Exception {
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, "data:\n  chips: x\noptimizer:\n  learningRate: 0.1\n");
        String line = fails(2, CliRun.of("train", "--config", cfg));
        assertEquals("error: run.yaml: unknown key 'optimizer.learningRate'; valid keys of 'optimizer': name, lr,"
                + " weightDecay, momentum, schedule, warmupSteps, stepSize, gamma, backboneLr", line);
        Files.writeString(cfg, "data:\n  chips: x\n");
        line = fails(2, CliRun.of("train", "--config", cfg, "--set", "trainer.maxEpocs=3"));
        assertTrue(line.startsWith("error: --set trainer.maxEpocs=3: unknown key 'trainer.maxEpocs'; valid keys of"
                + " 'trainer': maxEpochs,"), line);
        CliRun printed = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--print-config", "--set",
                "trainer.maxEpochs=2");
        assertEquals(0, printed.code(), printed.err());
        assertTrue(printed.out().contains("maxEpochs: 2"), printed.out());
    }

    /**
     * LightningCLI's names and defaults: {@code fit} is {@code train}, {@code validate}/{@code test} are
     * {@code evaluate}; {@code --print-config} without {@code --config} prints the defaults (which load back), and
     * {@code train} with neither is a usage error.
     */
    @Test
    void lightningCliNamesAndPrintingTheDefaults() throws Exception {
        for (String alias : List.of("fit", "validate", "test")) {
            CliRun r = CliRun.of(alias, "--help");
            assertEquals(0, r.code(), alias);
            assertTrue(r.out().startsWith("Usage: geolightning " + (alias.equals("fit") ? "train" : "evaluate")),
                    r.out());
        }
        CliRun defaults = CliRun.of("fit", "--print-config", "--set", "trainer.maxEpochs=3");
        assertEquals(0, defaults.code(), defaults.err());
        assertTrue(defaults.out().contains("maxEpochs: 3") && defaults.out().contains("architecture: cnn")
                && defaults.out().contains("chipSize: 64"), defaults.out());
        Path cfg = tmp.resolve("defaults.yaml");
        Files.writeString(cfg, defaults.out());
        CliRun again = CliRun.of("train", "--config", cfg, "--print-config");
        assertEquals(0, again.code(), again.err());
        assertEquals(defaults.out().replace("name: run", "name: defaults"), again.out().replace("name: run",
                "name: defaults"));
        String line = fails(2, CliRun.of("train"));
        assertTrue(line.startsWith("error: pass --config YAML"), line);
        line = fails(2, CliRun.of("train", "--print-config", "--set", "model.classColors={URBANO: }"));
        assertTrue(line.endsWith("model.classColors.URBANO: no colour (an unquoted #... is a YAML comment); quote it,"
                + " e.g. \"#d62728\""), line);
        line = fails(2, CliRun.of("train", "--print-config", "--set", "callbacks.imageBands=[1, ~, 3]"));
        assertTrue(line.endsWith("--set callbacks.imageBands=[1, ~, 3]: a band is empty; give band numbers, e.g."
                + " [3, 2, 1]"), line);
    }

    /**
     * Tiling keys beside an existing chip store are not read: said, not dropped silently, each blamed where it came
     * from (a key a {@code --set} gave is not in the file, so "run.yaml: ... remove it" would send the user there).
     */
    @Test
    void dataKeysTheSourceDoesNotReadAreNamed() throws Exception {
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, Files.readString(CliRun.sample("run.yaml")).replace("  batchSize: 32\n",
                "  batchSize: 32\n  stride: 8\n  edge: pad\n"));
        Launcher.Launch r = Launcher.run(tmp, "unread", List.of("train", "--config", cfg.toString(), "--print-config",
                "--set", "data.val=0", "--set", "data.chipSize=32"));
        assertEquals(0, r.code(), r.err());
        String why = " not read: data.chips names a chip store, already cut and split (tile again to change them); ";
        assertTrue(r.err().contains("[WARN] RunConfigLoader - run.yaml: data.stride, data.edge" + why
                + "remove them\n"), r.err());
        assertTrue(r.err().contains("[WARN] RunConfigLoader - --set data.val=0: data.val" + why + "drop that --set\n"),
                r.err());
        assertTrue(r.err().contains("[WARN] RunConfigLoader - --set data.chipSize=32: data.chipSize" + why
                + "drop that --set\n"), r.err());
        assertFalse(r.out().contains("chipSize") || r.out().contains("stride"), "left out of the resolved config: "
                + r.out());
    }

    /**
     * A {@code data.chips} store that is not there (the README's CLI lines tile into one folder, run.yaml reads
     * another) is said with the key and the command that makes one, not with the Java API's
     * {@code SatelliteDataModule.prepareData()}.
     */
    @Test
    void aMissingChipStoreIsNamedWithItsKeyAndTheTileCommand() throws Exception {
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, "data:\n  chips: no-such-store\nruns: " + tmp.resolve("runs") + "\n");
        String line = fails(1, CliRun.of("train", "--config", cfg));
        assertEquals("error: data.chips: no-such-store: no chip store here (working directory: "
                + Path.of("").toAbsolutePath() + "); tile one there first (geolightning tile ... --out no-such-store)"
                + " or set data.chips to an existing store", line);
        assertFalse(Files.exists(tmp.resolve("runs")), "no run folder");
    }

    @Test
    void badValuesInTheConfigAreUsageErrors() throws Exception {
        Path cfg = tmp.resolve("r.yaml");
        Files.writeString(cfg, "data:\n  chips: x\ntrainer:\n  limitTrainBatches: 1.5\n");
        String line = fails(2, CliRun.of("train", "--config", cfg, "--set", "runs=" + tmp.resolve("runs")));
        assertTrue(line.contains("trainer.limitTrainBatches 1.5: a fraction must be in (0, 1]"), line);
        line = fails(2, CliRun.of("train", "--config", cfg, "--set", "trainer.limitTrainBatches=1", "--set",
                "model.architecture=vgg"));
        assertTrue(line.contains("--set model.architecture=vgg: unknown network; use one of cnn, resnet18"), line);
        line = fails(2, CliRun.of("train", "--config", cfg, "--set", "trainer.limitTrainBatches=1", "--set",
                "optimizer.name=lbfgs"));
        assertTrue(line.contains("optimizer 'lbfgs' is unknown"), line);
        line = fails(2, CliRun.of("train", "--config", cfg, "--set", "trainer.limitTrainBatches=1", "--set",
                "model.options.widht=8"));
        assertTrue(line.contains("--set model.options.widht=8: not an option of cnn; valid options: width, stages,"
                + " convsPerStage, dropout"), line);
        Files.writeString(cfg, "data:\n  batchSize: 4\n");
        line = fails(2, CliRun.of("train", "--config", cfg));
        assertTrue(line.contains("data: no source"), line);
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliRun r = CliRun.of("info", tmp.resolve("nope.tif"), "--verbose");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("\tat "), r.err());
    }

    @Test
    void missingFilesAreOneLineFailures() {
        Path nope = tmp.resolve("nope.tif");
        assertTrue(fails(1, CliRun.of("info", nope)).contains("nope.tif: file not found"));
        assertTrue(fails(2, CliRun.of("train", "--config", tmp.resolve("none.yaml")))
                .contains("none.yaml: configuration file not found"));
        String line = fails(1, CliRun.of("tile", "--raster", nope, "--labels", CliRun.sample("olinda/olinda1.shp"),
                "--label-field", "TIPO", "--out", tmp.resolve("chips")));
        assertTrue(line.contains("nope.tif"), line);
        line = fails(1, CliRun.of("predict", "--checkpoint", tmp.resolve("model.ckpt"), "--raster",
                CliRun.sample("olinda/L7_ETMs.tif"), "--out", tmp.resolve("o.tif")));
        assertTrue(line.contains("model.ckpt: checkpoint file not found"), line);
        line = fails(1, CliRun.of("evaluate", "--checkpoint", tmp.resolve("m.ckpt"), "--chips", tmp.resolve("c")));
        assertTrue(line.contains("m.ckpt: checkpoint file not found"), line);
        line = fails(1, CliRun.of("info", tmp));
        assertTrue(line.contains("not a chip store"), line);
    }

    @Test
    void tileRejectsAStoreInAMissingFolderAndUnknownFields() {
        String line = fails(1, CliRun.of("tile", "--raster", CliRun.sample("olinda/L7_ETMs.tif"), "--labels",
                CliRun.sample("olinda/olinda1.shp"), "--label-field", "TIPO", "--out",
                tmp.resolve("missing/dir/chips.parquet")));
        assertTrue(line.contains("does not exist"), line);
        line = fails(1, CliRun.of("tile", "--raster", CliRun.sample("olinda/L7_ETMs.tif"), "--labels",
                CliRun.sample("olinda/olinda1.shp"), "--label-field", "KIND", "--out", tmp.resolve("c")));
        assertTrue(line.contains("KIND") && line.contains("TIPO"), "names the field and lists the fields: " + line);
        line = fails(2, CliRun.of("tile", "--raster", CliRun.sample("olinda/L7_ETMs.tif"), "--labels",
                CliRun.sample("olinda/olinda1.shp"), "--label-field", "TIPO", "--mode", "regression", "--out",
                tmp.resolve("c")));
        assertTrue(line.startsWith("error: --mode regression: unknown; use classification or segmentation"), line);
    }

    @Test
    void infoDescribesRastersAndVectors() {
        CliRun r = CliRun.of("info", CliRun.sample("olinda/L7_ETMs.tif"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("349 x 352 pixels") && r.out().contains("6 (uint8)")
                && r.out().contains("EPSG:31985") && r.out().contains("[288776.25, 28.5, 0, 9120760.75, 0, -28.5]"),
                r.out());
        r = CliRun.of("info", CliRun.sample("olinda/olinda1.shp"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("features:     470") && r.out().contains("TIPO (String)")
                && r.out().contains("ID (Real)") && r.out().contains("V014 (Integer64)")
                && r.out().contains("geometry:     Polygon"), r.out());
        Path rgb = CliRun.data("rgb-byte/RGB.byte.tif");
        if (Files.exists(rgb)) {
            r = CliRun.of("info", rgb);
            assertTrue(r.out().contains("nodata:       0 (all bands)") && r.out().contains("EPSG:32618"), r.out());
        }
    }
}
