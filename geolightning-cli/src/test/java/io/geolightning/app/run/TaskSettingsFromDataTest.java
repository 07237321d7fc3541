package io.geolightning.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.RunConfig;
import io.geolightning.app.config.RunConfigLoader;
import io.geolightning.app.data.DataModuleFactory;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.tiling.data.ChipDataModule;
import io.geolightning.trainer.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task's settings from the configuration and the data together, on a folder of AID images of two classes. */
class TaskSettingsFromDataTest {

    @TempDir
    Path tmp;

    private Path folder;

    @BeforeEach
    void twoClassesOfImages() throws IOException {
        Path aid = Path.of(System.getProperty("geolightning.root"), "..", "shared", "data", "aid150").normalize();
        assumeTrue(Files.isDirectory(aid), "AID-150 not present");
        folder = tmp.resolve("images");
        for (String c : List.of("Beach", "Forest")) {
            Files.createDirectories(folder.resolve(c));
            try (Stream<Path> s = Files.list(aid.resolve(c))) {
                for (Path p : s.sorted().limit(6).toList()) {
                    Files.createSymbolicLink(folder.resolve(c).resolve(p.getFileName()), p);
                }
            }
        }
    }

    /** @return the settings of a run of the image folder with the overrides */
    private TaskSettings resolve(String... overrides) {
        List<String> sets = new java.util.ArrayList<>(List.of("data.imageFolder=" + folder, "data.resize=32",
                "data.batchSize=2", "data.val=0.2", "data.test=0"));
        sets.addAll(List.of(overrides));
        RunConfig rc = RunConfigLoader.bind(new LinkedHashMap<>(java.util.Map.of("name", "t")), sets, "t.yaml");
        ChipDataModule data = DataModuleFactory.create(rc.data(), tmp.resolve("chips"), rc.seed());
        data.prepareData();
        data.setup(Stage.FIT);
        return TaskSettingsFromData.resolve(rc, data);
    }

    @Test
    void theNetworkTakesTheDatasBandsClassesAndChipSize() {
        TaskSettings s = resolve("trainer.maxEpochs=100", "trainer.maxSteps=3");
        assertEquals(Architecture.CNN, s.model().architecture());
        assertEquals(3, s.model().bands());
        assertEquals(2, s.model().classes());
        assertEquals(32, s.model().chipSize());
        assertEquals(List.of("Beach", "Forest"), s.classNames());
        assertEquals(255, s.ignoreIndex());
        assertEquals(3, s.optimizer().totalSteps(), "the schedule lasts the steps the run takes: maxSteps here");
        assertEquals(5, resolve("trainer.maxEpochs=5", "trainer.accumulateGradBatches=1000").optimizer().totalSteps(),
                "one optimizer step an epoch when every batch is accumulated into one");
        assertEquals(8, resolve("trainer.maxEpochs=4", "trainer.overfitBatches=2").optimizer().totalSteps(),
                "overfitBatches trains that many batches an epoch: the cosine ends with the run");
        assertEquals(3, resolve("trainer.maxEpochs=10", "trainer.fastDevRun=3").optimizer().totalSteps(),
                "fastDevRun trains its batches once");
        assertEquals(8, resolve("trainer.maxEpochs=4", "trainer.limitTrainBatches=2").optimizer().totalSteps());
    }

    @Test
    void keysThatDoNotFitTheDataAreNamed() {
        assertEquals("model.architecture unet segments pixels but the data is labelled for classification; use cnn,"
                + " resnet18, resnet34 or resnet50 or tile the data in the other mode",
                assertThrows(ConfigException.class, () -> resolve("model.architecture=unet")).getMessage());
        assertEquals("model.classWeights has 3 values but the data has 2 classes [Beach, Forest]; give one weight per"
                + " class", assertThrows(ConfigException.class, () -> resolve("model.classWeights=[1, 2, 3]"))
                .getMessage());
        assertEquals("model.ignoreIndex 1: that is a real class id (0..1); use 255, or -1 for none",
                assertThrows(ConfigException.class, () -> resolve("model.ignoreIndex=1")).getMessage());
        assertEquals("model.classColors.Desert: the data has no such class; its classes are [Beach, Forest] (values"
                + " 0..1)", assertThrows(ConfigException.class, () -> resolve("model.classColors={Desert: '#ff0000'}"))
                .getMessage());
    }
}
