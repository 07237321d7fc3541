package io.geolightning.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.geolightning.trainer.BatchLimit;
import io.geolightning.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerSectionTest {

    private static TrainerSection trainer(String... sets) {
        return RunConfigLoader.bind(new HashMap<>(), List.of(sets), "t").trainer();
    }

    @Test
    void everyKeyIsBoundIntoTheTrainerConfigInOnePlace() {
        TrainerSection t = trainer("trainer.maxEpochs=3", "trainer.limitTrainBatches=0.5", "trainer.devices=[cpu()]",
                "trainer.ckptPath=last.ckpt", "trainer.logEveryNSteps=7");
        TrainerConfig c = t.applyTo(TrainerConfig.builder()).seed(1).build();
        assertEquals(3, c.maxEpochs());
        assertEquals(BatchLimit.fraction(0.5), c.limitTrainBatches());
        assertEquals(BatchLimit.ALL, c.limitValBatches());
        assertEquals(List.of(Device.cpu()), c.devices());
        assertEquals(Path.of("last.ckpt"), c.ckptPath());
        assertEquals(7, c.logEveryNSteps());
        assertTrue(c.deterministic(), "the run config's default");
        assertNull(TrainerSection.defaults().deviceList(), "unset: the engine's default device");
        assertEquals(List.of(Device.gpu(1), Device.cpu()), trainer("trainer.devices=[gpu(1), cpu]").deviceList());
        assertEquals(List.of(Device.cpu()), trainer("trainer.devices=cpu()").deviceList());
    }

    /** GPUs a CPU-only machine lacks are a one-line configuration error, not libtorch's CUDA backend dump. */
    @Test
    void gpusTheMachineLacksAreRefused() {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "a machine with a GPU");
        for (String set : List.of("trainer.devices=[gpu(0)]", "trainer.devices=2", "trainer.devices=[cpu(), gpu]")) {
            TrainerSection t = trainer(set);
            ConfigException e = assertThrows(ConfigException.class, t::requireAvailable, set);
            assertTrue(e.getMessage().contains(": this machine has no GPU the PyTorch engine can use")
                    && e.getMessage().endsWith("e.g. devices: [cpu()]"), e.getMessage());
        }
        trainer("trainer.devices=[cpu()]").requireAvailable();
        TrainerSection.defaults().requireAvailable();
    }

    @Test
    void badValuesAreRefusedWhenTheConfigurationIsReadNamingTheSetThatGaveThem() {
        ConfigException e = assertThrows(ConfigException.class, () -> trainer("trainer.devices=[tpu()]"));
        assertTrue(e.getMessage().startsWith("--set trainer.devices=[tpu()]: trainer.devices 'tpu()': unknown device;"
                + " write cpu(), gpu(0)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.devices=[cpu(), cpu]"));
        assertTrue(e.getMessage().contains("lists cpu() twice"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.devices=0"));
        assertTrue(e.getMessage().startsWith("--set trainer.devices=0: a device count must be at"
                + " least 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.device=2"));
        assertTrue(e.getMessage().contains("unknown key 'trainer.device'; valid keys of 'trainer': maxEpochs,")
                && e.getMessage().endsWith("ckptPath, devices"), e.getMessage());
        // the trainer's own checks, through TrainerConfig, blamed on the --set that gave the value and not a later one
        e = assertThrows(ConfigException.class, () -> trainer("trainer.maxEpochs=0", "trainer.maxSteps=5"));
        assertEquals("--set trainer.maxEpochs=0: must be > 0; pass a positive count",
                e.getMessage());
        assertEquals("trainer.maxEpochs", e.key(), "the trainer names its setting; the key is not read off the text");
        e = assertThrows(ConfigException.class, () -> trainer("trainer.limitValBatches=1.5", "trainer.maxEpochs=2"));
        assertEquals("--set trainer.limitValBatches=1.5: a fraction must be in (0, 1];"
                + " write a whole number for a batch count", e.getMessage());
        assertEquals("trainer.limitValBatches", e.key());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.maxSteps=0"));
        assertTrue(e.getMessage().startsWith("--set trainer.maxSteps=0: invalid"),
                e.getMessage());
    }

    @Test
    void theRunsOwnDefaultsAreTheOnlyOnesThatDifferFromLightnings() {
        TrainerConfig run = TrainerSection.defaults().applyTo(TrainerConfig.builder()).seed(1).build();
        TrainerConfig lightning = TrainerConfig.builder().seed(1).build();
        assertEquals(TrainerSection.RUN_MAX_EPOCHS, run.maxEpochs());
        assertEquals(TrainerSection.RUN_LOG_EVERY_N_STEPS, run.logEveryNSteps());
        assertTrue(run.deterministic());
        assertEquals(lightning.toBuilder().maxEpochs(TrainerSection.RUN_MAX_EPOCHS)
                .logEveryNSteps(TrainerSection.RUN_LOG_EVERY_N_STEPS).deterministic(true).build(), run);
    }

    @Test
    void laterChecksAreAttributedByTheOneRuleOfBinding() {
        List<String> sets = List.of("trainer.ckptPath=a.ckpt", "optimizer.lr=2", "trainer.maxEpochs=3");
        assertEquals("--set trainer.ckptPath=a.ckpt: no such checkpoint", ValueOrigins
                .attribute(new ConfigException("trainer.ckptPath a.ckpt: no such checkpoint"), "r.yaml", sets)
                .getMessage());
        assertEquals("r.yaml: model.classWeights has 2 values", ValueOrigins.attribute(
                new ConfigException("model.classWeights has 2 values"), "r.yaml", sets).getMessage());
        assertEquals("--set optimizer.lr=2: optimizer: lr 2 is too large", ValueOrigins.attribute(
                new ConfigException("optimizer: lr 2 is too large"), "r.yaml", sets).getMessage());
        assertEquals("/data/chips: the chip store has no labels", ValueOrigins.attribute(
                new ConfigException("/data/chips: the chip store has no labels"), "r.yaml", sets).getMessage());
    }

    @Test
    void modesOptionsAndOptimizerAreCheckedWhenRead() {
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.bind(new HashMap<>(),
                List.of("callbacks.checkpoint.mode=up"), "r.yaml"));
        assertEquals("--set callbacks.checkpoint.mode=up: unknown; use min or max",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.bind(new HashMap<>(),
                List.of("model.architecture=resnet18", "model.options.width=8"), "r.yaml"));
        assertEquals("--set model.options.width=8: not an option of resnet18; valid options:"
                + " labelSmoothing", e.getMessage());
        e = assertThrows(ConfigException.class, () -> RunConfigLoader.bind(new HashMap<>(),
                List.of("optimizer.name=adagrad"), "r.yaml"));
        assertTrue(e.getMessage().startsWith("--set optimizer.name=adagrad: optimizer: "), e.getMessage());
    }
}
