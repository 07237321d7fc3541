package io.geolightning.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bad {@code model.options} or {@code optimizer} value is named by the key the models module says is bad (carried by
 * the exception, not read from its message) and blamed on the file or the {@code --set} that gave it.
 */
class ModelOptionOriginsTest extends BadConfigFiles {

    @Test
    void aBadOptionInTheFileIsNamedByItsYamlKey() throws Exception {
        assertEquals("model.options.dropout", fails("m.yaml: model.options.dropout 1.5: outside [0, 1); pass e.g. 0.2",
                "m.yaml", "model:\n  options:\n    dropout: 1.5\n", "model.options.width=16").key());
        fails("l.yaml: model.options.loss 'lovasz': unknown; use ce, dice_ce or focal", "l.yaml",
                "model:\n  architecture: unet\n  options:\n    loss: lovasz\n");
    }

    @Test
    void lossOptionsAreCheckedWhenTheConfigIsRead() throws Exception {
        fails("--set model.options.focalGamma=-1: must be a finite number >= 0, e.g. 2", "g.yaml",
                "model:\n  architecture: unet\n", "model.options.focalGamma=-1");
        fails("s.yaml: model.options.labelSmoothing 1.0: outside [0, 1); pass e.g. 0.1", "s.yaml",
                "model:\n  options:\n    labelSmoothing: 1\n");
    }

    @Test
    void aBadOptimizerValueIsBlamedOnItsOwnKeyNotOnAnotherSetOfTheSection() throws Exception {
        assertEquals("optimizer.name", fails("o.yaml: optimizer: optimizer 'rmsprop' is unknown; use adam, adamw or"
                + " sgd", "o.yaml", "optimizer:\n  name: rmsprop\n", "optimizer.lr=0.01").key());
        fails("--set optimizer.name=rmsprop: optimizer: optimizer 'rmsprop' is unknown; use adam, adamw or sgd",
                "o2.yaml", "optimizer:\n  lr: 0.01\n", "optimizer.name=rmsprop");
        fails("--set optimizer.warmupSteps=-5: optimizer: warmupSteps -5 is negative; pass 0 or more steps",
                "o3.yaml", "optimizer:\n  lr: 0.01\n", "optimizer.warmupSteps=-5");
    }

    @Test
    void aCarriedKeyIsAttributedWhateverTheMessageSays() {
        ConfigException e = ValueOrigins.attribute(new ConfigException("model.options.width", "too wide for the data",
                null), "r.yaml", List.of("model.options.width=64"));
        assertEquals("--set model.options.width=64: too wide for the data", e.getMessage());
        assertEquals("model.options.width", e.key());
        e = ValueOrigins.attribute(new ConfigException("model.options.width", "too wide for the data", null), "r.yaml",
                List.of("model.options.depth=3"));
        assertEquals("r.yaml: too wide for the data", e.getMessage());
    }
}
