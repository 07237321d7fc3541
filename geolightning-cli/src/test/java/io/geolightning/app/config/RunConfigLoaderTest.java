package io.geolightning.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigLoaderTest {

    @TempDir
    Path tmp;

    private Path yaml(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static void oneLine(String m) {
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void sampleRunConfigLoadsWithDefaultsAndOverrides() {
        Path sample = Path.of(System.getProperty("geolightning.root"), "sample-data", "run.yaml");
        RunConfig rc = RunConfigLoader.load(sample, List.of("trainer.maxEpochs=3", "optimizer.lr=1e-2",
                "data.batchSize=8", "model.options.width=8", "trainer.limitTrainBatches=2"));
        assertEquals("olinda", rc.name());
        assertEquals(3, rc.trainer().maxEpochs());
        assertEquals(0.01, rc.optimizer().lr(), 1e-12, "YAML 1.1 reads 1e-2 as text; Jackson coerces it");
        assertEquals(8, rc.data().batchSize());
        assertEquals(8, ((Number) rc.model().options().get("width")).intValue());
        assertEquals(2, rc.model().options().get("stages"));
        assertEquals(2, rc.trainer().limitTrainBatches(), "a whole number is a batch count");
        assertEquals(1.0, rc.trainer().limitValBatches(), "default: all batches");
        assertEquals("cnn", rc.model().architecture());
        assertTrue(rc.callbacks().earlyStopping().enabled());
        assertEquals(-1L, rc.trainer().maxSteps());
    }

    @Test
    void resolvedConfigRoundTripsThroughYaml() throws Exception {
        RunConfig rc = RunConfigLoader.load(yaml("a.yaml", "model:\n  architecture: resnet18\ndata:\n  chips: c\n"),
                List.of("callbacks.checkpoint.saveTopK=3"));
        assertEquals("a", rc.name(), "the name defaults to the file's base name");
        String text = RunConfigLoader.toYaml(rc);
        assertTrue(text.contains("architecture: resnet18") && text.contains("saveTopK: 3"), text);
        RunConfig again = RunConfigLoader.load(yaml("b.yaml", text), List.of());
        assertEquals(rc, again);
    }

    /**
     * {@code model.options} and {@code model.normalization} keep the file's order in the resolved configuration (they
     * were copied into a map of no order: config.yaml wrote the options of one file in another order), and a key left
     * empty there takes its default, as any other key does (it failed with "model: no detail; fix that value").
     */
    @Test
    void modelMapsKeepTheirOrderAndAnEmptyValueIsTheDefault() throws Exception {
        List<String> keys = List.of("width", "stages", "convsPerStage", "dropout");
        for (List<String> order : List.of(keys, List.of("dropout", "convsPerStage", "stages", "width"))) {
            StringBuilder text = new StringBuilder("data:\n  chips: c\nmodel:\n  options:\n");
            order.forEach(k -> text.append("    ").append(k).append(": ")
                    .append(k.equals("dropout") ? "0.1" : k.equals("width") ? "8" : "2").append('\n'));
            text.append("  normalization: {").append(order == keys ? "mean: [1], std: [2]" : "std: [2], mean: [1]")
                    .append("}\n");
            RunConfig rc = RunConfigLoader.load(yaml("o.yaml", text.toString()), List.of());
            assertEquals(order, List.copyOf(rc.model().options().keySet()));
            String yaml = RunConfigLoader.toYaml(rc);
            for (int i = 1; i < order.size(); i++) {
                assertTrue(yaml.indexOf("    " + order.get(i - 1) + ": ") < yaml.indexOf("    " + order.get(i) + ": "),
                        yaml);
            }
            assertEquals(order == keys ? List.of("mean", "std") : List.of("std", "mean"),
                    List.copyOf(rc.model().normalization().keySet()));
        }
        RunConfig rc = RunConfigLoader.load(yaml("e.yaml", "data:\n  chips: c\nmodel:\n  options:\n    width:\n"
                + "    stages: 3\n"), List.of("model.normalization.scale=", "model.normalization.mean=[1]",
                "model.normalization.std=[2]"));
        assertEquals(Map.of("stages", 3), rc.model().options());
        assertEquals(Map.of("mean", List.of(1), "std", List.of(2)), rc.model().normalization());
    }

    @Test
    void unknownKeyNamesTheKeyAndListsTheValidKeysOfItsSection() throws Exception {
        Path p = yaml("run.yaml", "trainer:\n  maxEpoch: 5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(p, List.of()));
        oneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("run.yaml: unknown key 'trainer.maxEpoch'; valid keys of 'trainer': "
                + "maxEpochs, maxSteps, accumulateGradBatches"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("t.yaml", "modle: {}\n"), List.of()));
        assertTrue(e.getMessage().contains("unknown key 'modle'; valid keys of the top level: name, runs, seed, model,"
                + " data, trainer, callbacks, optimizer"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("n.yaml", "callbacks:\n"
                + "  checkpoint:\n    monitr: val_acc\n"), List.of()));
        assertTrue(e.getMessage().contains("unknown key 'callbacks.checkpoint.monitr'; valid keys of "
                + "'callbacks.checkpoint': monitor, mode, saveTopK, saveLast, filename,"
                + " autoInsertMetricName"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(p.resolveSibling("t.yaml"),
                List.of("data.batchSise=4")));
        assertTrue(e.getMessage().startsWith("--set data.batchSise=4: unknown key 'data.batchSise'; valid keys of"
                + " 'data': chips, raster"), e.getMessage());
    }

    @Test
    void augmentIsASwitchOrAMappingWithPhotometricChanges() throws Exception {
        assertEquals(io.geolightning.tiling.data.Augmentation.none(), RunConfigLoader.bind(new java.util.HashMap<>(),
                List.of(), "t").data().augment().toAugmentation(), "off by default");
        RunConfig on = RunConfigLoader.load(yaml("on.yaml", "data:\n  chips: c\n  augment: true\n"), List.of());
        assertEquals(io.geolightning.tiling.data.Augmentation.flipsAndRotations(),
                on.data().augment().toAugmentation());
        assertTrue(RunConfigLoader.toYaml(on).contains("\n  augment: true\n"), "a switch stays a switch");

        RunConfig rc = RunConfigLoader.load(yaml("p.yaml", "data:\n  chips: c\n  augment: {brightness: 0.2, noise:"
                + " 0.05}\n"), List.of("data.augment.contrast=0.1", "data.augment.rotate90=false"));
        var a = rc.data().augment().toAugmentation();
        assertEquals(0.5, a.flipProbability(), "flips stay on in a mapping");
        assertFalse(a.rotate90());
        assertEquals(0.2, a.brightness());
        assertEquals(0.1, a.contrast());
        assertEquals(0.05, a.noise());
        String text = RunConfigLoader.toYaml(rc);
        assertTrue(text.contains("brightness: 0.2") && text.contains("rotate90: false"), text);
        assertEquals(rc, RunConfigLoader.load(yaml("again.yaml", text), List.of()), "the resolved mapping reads back");

        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("c.yaml",
                "data:\n  augment: {contrast: 1.5}\n"), List.of()));
        oneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("c.yaml: data.augment.contrast 1.5: must be below 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("n.yaml", "data:\n  augment: {}\n"),
                List.of("data.augment.noise=-1")));
        assertTrue(e.getMessage().startsWith("--set data.augment.noise=-1: must be a standard"
                + " deviation of at least 0"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("k.yaml",
                "data:\n  augment: {brightnes: 0.2}\n"), List.of()));
        assertTrue(e.getMessage().startsWith("k.yaml: unknown key 'data.augment.brightnes'; valid keys of"
                + " 'data.augment': flips, rotate90, brightness, contrast, noise"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("w.yaml",
                "data:\n  augment: lots\n"), List.of()));
        oneLine(e.getMessage());
        assertEquals("w.yaml: 'data.augment' must be true, false or a mapping of keys (flips, rotate90, brightness,"
                + " contrast, noise); fix its value", e.getMessage());
    }

    /** Callback and schedule values the trainer would refuse after making the run folder are refused on reading. */
    @Test
    void badCallbackAndScheduleValuesAreRefusedWhenTheConfigIsRead() throws Exception {
        Path p = yaml("cb.yaml", "name: cb\n");
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("callbacks.checkpoint.saveTopK=-2", "use -1 (keep all), 0 (none) or a positive count");
        bad.put("callbacks.checkpoint.filename=a/b", "ModelCheckpoint filename 'a/b' is"
                + " invalid; pass a template without folders");
        bad.put("callbacks.checkpoint.filename='e{epoch}-{val_loss:.4q}'", "ModelCheckpoint filename"
                + " 'e{epoch}-{val_loss:.4q}': {val_loss:.4q} is not a number format; use"
                + " e.g. {val_loss:.4f}");
        bad.put("callbacks.checkpoint.filename=last", "ModelCheckpoint filename 'last' is the last-epoch checkpoint's"
                + " name (saveLast), which would overwrite the best; pick another, e.g. \"best\"");
        bad.put("callbacks.earlyStopping.patience=-1", "use 0 or more epochs");
        bad.put("callbacks.earlyStopping.minDelta=-0.1", "use 0 or a positive change");
        bad.put("optimizer.warmupSteps=-5", "optimizer: warmupSteps -5 is negative; pass 0 or more steps");
        bad.put("data.chips=[a/chips, ./a/chips/]", "data.chips names ./a/chips/ twice; name each store once");
        bad.put("model.options.width=abc", "not an integer; pass a whole number");
        bad.put("data.grid.crs=EPSG:99999", "CRS 'EPSG:99999': not understood by GDAL");
        bad.put("model.options.dropout=1.5", "outside [0, 1); pass e.g. 0.2");
        bad.put("model.classWeights=[1, -2]", "a weight is missing, negative or not finite; pass finite weights >= 0,"
                + " one per class");
        bad.put("data.batchSize=1", "must be at least 2 (batch norm trains on the statistics of a"
                + " batch: one sample has none)");
        bad.put("data.workers=0", "must be at least 1 (chips are always decoded on worker threads; PyTorch's"
                + " num_workers=0, loading in the training thread, is closest to 1)");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(p,
                    List.of(b.getKey())), b.getKey());
            oneLine(e.getMessage());
            assertTrue(e.getMessage().startsWith("--set " + b.getKey() + ": " + b.getValue()), e.getMessage());
        }
        // options the network checked only when it was built, after the run folder was made
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(p,
                List.of("model.architecture=unet", "model.options.depth=9")));
        assertEquals("--set model.options.depth=9: outside 1..6; pass e.g. 4", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(p,
                List.of("model.architecture=unet_resnet18", "model.options.upsampling=pixelshuffle")));
        assertEquals("--set model.options.upsampling=pixelshuffle: for the plain unet; use bilinear or nearest",
                e.getMessage());
    }

    @Test
    void tilingKeysAreWrittenFlatAndBoundWhole() throws Exception {
        RunConfig rc = RunConfigLoader.load(yaml("t.yaml", "data:\n  raster: a.tif\n  labels: l.shp\n  chipSize: 32\n"
                + "  block: 5000m\n  batchSize: 4\n"), List.of("data.seed=7"));
        assertEquals(32, rc.data().tiling().chipSize());
        assertEquals(32, rc.data().tiling().stride(), "an unset stride is the chip size");
        assertEquals("5000m", rc.data().tiling().block());
        assertEquals(7L, rc.data().seed());
        assertEquals(4, rc.data().batchSize());
        String text = RunConfigLoader.toYaml(rc);
        assertTrue(text.contains("\n  chipSize: 32\n") && !text.contains("tiling"), text);
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.bind(new java.util.HashMap<>(),
                List.of("data.chipSise=4"), "t"));
        assertTrue(e.getMessage().startsWith("--set data.chipSise=4: unknown key 'data.chipSise'; valid keys of 'data':"
                + " chips, raster, rasters, bandsFrom, grid, labels, layer, labelField,"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.bind(new java.util.HashMap<>(),
                List.of("data.chipSize=big"), "t"));
        assertEquals("--set data.chipSize=big: must be a whole number; fix its value", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.bind(new java.util.HashMap<>(),
                List.of("data.tiling={chipSize: 4}"), "t"));
        assertTrue(e.getMessage().startsWith("--set data.tiling={chipSize: 4}: unknown key 'data.tiling'"), e.getMessage());
    }

    @Test
    void numbersOutOfRangeAreBlamedOnWhereTheyCameFrom() throws Exception {
        Path file = yaml("o.yaml", "seed: 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(file,
                List.of("seed=99999999999999999999")));
        assertEquals("--set seed=99999999999999999999: out of range; use a whole"
                + " number from -2147483648 to 2147483647", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("p.yaml",
                "trainer:\n  maxEpochs: 3000000000\n"), List.of()));
        assertEquals("p.yaml: 'trainer.maxEpochs' 3000000000: out of range; use a whole number from -2147483648 to"
                + " 2147483647", e.getMessage());
    }

    @Test
    void wrongTypesAndBadSyntaxAreExplained() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(
                yaml("r.yaml", "trainer:\n  maxEpochs: five\n"), List.of()));
        oneLine(e.getMessage());
        assertTrue(e.getMessage().contains("r.yaml: 'trainer.maxEpochs' 'five': must be a whole number"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("r2.yaml", "trainer:\n"
                + "  maxEpochs: 2.5\n"), List.of()));
        assertTrue(e.getMessage().contains("'trainer.maxEpochs' 2.5: must be a whole number"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("r3.yaml", "data: [1, 2]\n"),
                List.of()));
        assertTrue(e.getMessage().contains("'data' must be a mapping of keys (chips, raster"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("bad.yaml", "trainer:\n"
                + "  maxEpochs: 1\n   x: [\n"), List.of()));
        oneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.yaml: not valid YAML at line"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("list.yaml", "- a\n- b\n"),
                List.of()));
        assertTrue(e.getMessage().contains("top level is a list, not a mapping"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("ok.yaml", ""),
                List.of("trainer.maxEpochs")));
        assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(yaml("ok2.yaml", ""),
                List.of("name=a/b")));
        assertEquals("--set name=a/b: a run name becomes a folder name; use letters, digits, '-' or '_' without"
                + " slashes", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(tmp.resolve("missing.yaml"), List.of()));
        assertTrue(e.getMessage().contains("missing.yaml: configuration file not found"), e.getMessage());
    }
}
