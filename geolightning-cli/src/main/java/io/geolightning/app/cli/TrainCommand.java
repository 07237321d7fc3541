package io.geolightning.app.cli;

import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.RunConfig;
import io.geolightning.app.config.RunConfigLoader;
import io.geolightning.app.config.ValueOrigins;
import io.geolightning.app.run.TrainingRun;
import io.geolightning.foundation.ExitCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geolightning train --config run.yaml [--set trainer.maxEpochs=5 ...]}: a LightningCLI-style run from a YAML
 * file with sections model, data, trainer, callbacks and optimizer. The resolved configuration is saved as
 * {@code config.yaml} in the run folder {@code <runs>/<name>/version_N/}, next to metrics, checkpoints and
 * {@code report.html}.
 */
@Command(name = "train", aliases = "fit", description = "Train a model from a YAML run configuration (alias: fit,"
        + " as in LightningCLI).",
        footer = {"", "Sections: model, data, trainer, callbacks, optimizer (see sample-data/run.yaml).",
            "Unknown keys are errors that list the valid keys of their section."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "YAML", description = "Run configuration file (required unless"
            + " --print-config, which then prints the defaults).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a value, e.g. --set trainer.maxEpochs=5 (repeatable; values are YAML).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--print-config", description = "Print the resolved configuration and exit.")
    boolean printConfig;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (config == null && !printConfig) {
            throw new OptionChecks(spec).usage("pass --config YAML (a run configuration such as sample-data/run.yaml),"
                    + " or --print-config alone to print the defaults");
        }
        RunConfig rc = config == null ? RunConfigLoader.bind(new java.util.LinkedHashMap<>(java.util.Map.of("name",
                "run")), overrides, "defaults") : RunConfigLoader.load(config, overrides);
        if (printConfig) {
            spec.commandLine().getOut().print(RunConfigLoader.toYaml(rc));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        try {
            new TrainingRun(rc, spec.commandLine().getOut()).run();
        } catch (ConfigException e) {
            throw ValueOrigins.attribute(e, config.getFileName().toString(), overrides);
        }
        return ExitCodes.OK;
    }
}
