package io.geolightning.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
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

    @Test
    void badDevicesNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> trainer("trainer.devices=[tpu()]").deviceList());
        assertTrue(e.getMessage().startsWith("trainer.devices 'tpu()': unknown device; write cpu(), gpu(0)"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.devices=[cpu(), cpu]").deviceList());
        assertTrue(e.getMessage().contains("lists cpu() twice"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.devices=0").deviceList());
        assertTrue(e.getMessage().startsWith("trainer.devices 0: a device count must be at least 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> trainer("trainer.device=2"));
        assertTrue(e.getMessage().contains("unknown key 'trainer.device'; valid keys of 'trainer': maxEpochs,")
                && e.getMessage().endsWith("ckptPath, devices"), e.getMessage());
    }
}
