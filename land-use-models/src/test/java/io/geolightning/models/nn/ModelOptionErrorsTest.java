package io.geolightning.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.geolightning.models.tasks.OptimizerSettings;
import io.geolightning.models.tasks.SegmentationLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A bad option's error carries the option, its value and the problem apart from its message, so that a front end
 * names it in its own vocabulary without reading the message; the message itself reads as before.
 */
class ModelOptionErrorsTest {

    private static ModelSpec spec(Architecture a, String key, String value) {
        return new ModelSpec(a, 3, 2, 1 << 20, Map.of(key, value));
    }

    private static void bad(Executable check, String option, String value, String problem, String message) {
        ModelException e = assertThrows(ModelException.class, check, message);
        assertEquals(message, e.getMessage());
        assertEquals(option, e.option(), message);
        assertEquals(value, e.value(), message);
        assertEquals(problem, e.problem(), message);
    }

    @Test
    void networkOptionsAreNamedApartFromTheMessage() {
        bad(() -> ModelFactory.resolvedOptions(spec(Architecture.CNN, "dropout", "1.5")), "dropout", "1.5",
                "outside [0, 1); pass e.g. 0.2", "model option dropout = 1.5 is outside [0, 1); pass e.g. 0.2");
        bad(() -> ModelFactory.resolvedOptions(spec(Architecture.CNN, "width", "abc")), "width", "'abc'",
                "not an integer; pass a whole number", "model option width = 'abc' is not an integer; pass a whole"
                        + " number");
        bad(() -> ModelFactory.resolvedOptions(spec(Architecture.CNN, "stages", "0")), "stages", "0",
                "must be positive; pass e.g. 4", "model option stages = 0 must be positive; pass e.g. 4");
        bad(() -> ModelFactory.resolvedOptions(spec(Architecture.UNET, "upsampling", "deconv")), "upsampling",
                "'deconv'", "unknown; use bilinear, nearest or pixelshuffle",
                "model option upsampling = 'deconv' is unknown; use bilinear, nearest or pixelshuffle");
        bad(() -> ModelFactory.resolvedOptions(spec(Architecture.UNET, "width", "12")), "width", "12",
                "not a multiple of 8; pass e.g. 16 (PyTorch's CPU convolutions return sporadic NaN for other channel"
                        + " counts)", "model option width = 12 is not a multiple of 8; pass e.g. 16 (PyTorch's CPU"
                        + " convolutions return sporadic NaN for other channel counts)");
    }

    @Test
    void lossOptionsAreCheckedWithoutAnEngineAndNamed() {
        bad(() -> SegmentationLoss.checkOptions(spec(Architecture.UNET, "focalGamma", "-1")), "focalGamma", "-1.0",
                "must be a finite number >= 0, e.g. 2",
                "model option focalGamma = -1.0: must be a finite number >= 0, e.g. 2");
        bad(() -> SegmentationLoss.checkOptions(spec(Architecture.UNET, "loss", "lovasz")), "loss", "'lovasz'",
                "unknown; use ce, dice_ce or focal",
                "model option loss = 'lovasz' is unknown; use ce, dice_ce or focal");
        bad(() -> SegmentationLoss.checkOptions(spec(Architecture.CNN, "labelSmoothing", "1")), "labelSmoothing",
                "1.0", "outside [0, 1); pass e.g. 0.1", "model option labelSmoothing = 1.0 is outside [0, 1); pass e.g."
                        + " 0.1");
        SegmentationLoss.checkOptions(spec(Architecture.UNET, "loss", "dice_ce")); // a good value passes
    }

    @Test
    void optimizerSettingsAreNamedApartFromTheMessage() {
        bad(() -> OptimizerSettings.builder().optimizer("rmsprop").build(), "optimizer", "'rmsprop'",
                "unknown; use adam, adamw or sgd", "optimizer 'rmsprop' is unknown; use adam, adamw or sgd");
        bad(() -> OptimizerSettings.builder().lr(0).build(), "lr", "0.0", "not a positive number; pass e.g. 1e-3",
                "learning rate 0.0 is not a positive number; pass e.g. 1e-3");
        bad(() -> OptimizerSettings.builder().warmupSteps(-5).build(), "warmupSteps", "-5",
                "negative; pass 0 or more steps", "warmupSteps -5 is negative; pass 0 or more steps");
        bad(() -> OptimizerSettings.fromMap(Map.of("lr", "fast")), "lr", "'fast'", "not a number; pass e.g. 0.001",
                "optimizer setting lr = 'fast' is not a number; pass e.g. 0.001");
    }

    @Test
    void anErrorAboutNoOptionNamesNone() {
        ModelException e = assertThrows(ModelException.class, () -> ModelSpec.of(Architecture.CNN, 0, 2, 32));
        assertNull(e.option());
        assertNull(e.value());
        assertNull(e.problem());
    }
}
