package io.geolightning.app.cli;

import io.geolightning.models.predict.Blending;
import picocli.CommandLine.Option;

/**
 * The sliding-window options of scene prediction, shared as a picocli mixin by {@code geolightning predict} and the
 * Spark predict job so both read them the same way.
 */
public final class WindowingOptions {

    @Option(names = "--window", defaultValue = "0", paramLabel = "PIXELS",
            description = "Window side (0 = the model's chip size; segmenters accept larger). Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--overlap", defaultValue = "-1", paramLabel = "PIXELS",
            description = "Overlap of neighbouring windows (-1 = automatic). Default: ${DEFAULT-VALUE}.")
    int overlap;

    @Option(names = "--blending", defaultValue = "tapered", paramLabel = "MODE",
            description = "tapered, central_crop or uniform. Default: ${DEFAULT-VALUE}.")
    Blending blending;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    /**
     * Checks the values' ranges as usage errors naming the flags.
     *
     * @param spec the command (CLI predict or the Spark predict job)
     */
    public void validate(picocli.CommandLine.Model.CommandSpec spec) {
        OptionChecks c = new OptionChecks(spec).atLeast("--window", window, 0, "0").atLeast("--overlap", overlap, -1, "-1")
                .atLeast("--batch-size", batchSize, 1, "8");
        if (window > 0 && overlap >= window) {
            throw c.usage("--overlap " + overlap + ": must be below --window " + window + "; pass a smaller overlap"
                    + " or -1 (automatic)");
        }
    }

    /** @return window side in pixels (0 = the model's chip size) */
    public int window() {
        return window;
    }

    /** @return overlap in pixels (-1 = automatic) */
    public int overlap() {
        return overlap;
    }

    /** @return how overlapping windows are blended */
    public Blending blending() {
        return blending;
    }

    /** @return windows per forward batch */
    public int batchSize() {
        return batchSize;
    }
}
