package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.geolightning.trainer.callbacks.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

    private static TrainerConfig.Builder someSettings() {
        return TrainerConfig.builder().maxEpochs(3).maxSteps(40).devices(List.of(Device.cpu())).gradientClipNorm(1.5)
                .accumulateGradBatches(2).limitTrainBatches(BatchLimit.fraction(0.5)).limitValBatches(BatchLimit.count(3))
                .valCheckInterval(BatchLimit.count(4)).checkValEveryNEpoch(2).numSanityValSteps(0).seed(7)
                .deterministic(true).ckptPath(Path.of("last.ckpt")).defaultRootDir(Path.of("runs"))
                .callbacks(new ProgressBar()).enableProgressBar(false).logEveryNSteps(5);
    }

    @Test
    void oneValueHoldsEverySettingAndBuildsTheTrainer() {
        TrainerConfig config = someSettings().build();
        assertEquals(List.of(Device.cpu()), config.devices());
        assertEquals(7, config.seed());
        Trainer trainer = new Trainer(config);
        assertEquals(config, trainer.config());
        // Trainer.builder() is the same settings, built into a trainer
        Trainer same = Trainer.builder().maxEpochs(3).maxSteps(40).devices(Device.cpu()).gradientClipNorm(1.5)
                .accumulateGradBatches(2).limitTrainBatches(BatchLimit.fraction(0.5)).limitValBatches(BatchLimit.count(3))
                .valCheckInterval(BatchLimit.count(4)).checkValEveryNEpoch(2).numSanityValSteps(0).seed(7)
                .deterministic(true).ckptPath(Path.of("last.ckpt")).defaultRootDir(Path.of("runs"))
                .callbacks(config.callbacks().get(0)).enableProgressBar(false).logEveryNSteps(5).build();
        assertEquals(config, same.config());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        TrainerConfig config = someSettings().build();
        assertEquals(config, config.toBuilder().build());
        TrainerConfig changed = config.toBuilder().maxEpochs(9).build();
        assertNotEquals(config, changed);
        assertEquals(config.toBuilder().maxEpochs(9).build(), changed);
        assertEquals(9, changed.maxEpochs());
        assertEquals(config.devices(), changed.devices());
    }

    @Test
    void theValueValidatesItself() {
        TrainerException e = assertThrows(TrainerException.class,
                () -> TrainerConfig.builder().deterministic(true).build());
        assertTrue(e.getMessage().contains("needs a seed"), e.getMessage());
        e = assertThrows(TrainerException.class, () -> TrainerConfig.builder().devices(List.of()).build());
        assertTrue(e.getMessage().startsWith("devices is empty"), e.getMessage());
        e = assertThrows(TrainerException.class,
                () -> TrainerConfig.builder().devices(Device.cpu(), Device.cpu()).build());
        assertTrue(e.getMessage().contains("lists a device twice"), e.getMessage());
        assertEquals("devices", e.setting());
    }

    /** A bad setting's error names the setting apart from its message, for front ends to name it their own way. */
    @Test
    void aBadSettingIsNamedApartFromTheMessage() {
        TrainerException e = assertThrows(TrainerException.class, () -> TrainerConfig.builder().maxEpochs(0).build());
        assertEquals("maxEpochs 0 must be > 0; pass a positive count", e.getMessage());
        assertEquals("maxEpochs", e.setting());
        e = assertThrows(TrainerException.class, () -> TrainerConfig.builder().fastDevRun(-1).build());
        assertEquals("fastDevRun", e.setting());
        e = assertThrows(TrainerException.class, () -> TrainerConfig.builder().gradientClipNorm(-1).build());
        assertEquals("gradientClipNorm", e.setting());
        e = assertThrows(TrainerException.class, () -> TrainerConfig.builder().deterministic(true).build());
        assertEquals(null, e.setting(), "about two settings together: none named");
    }
}
