package io.geolightning.app.cli;

import io.geolightning.geo.ClassLegend;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.predict.ClassPalette;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Class colours of a prediction, shared as a picocli mixin by {@code geolightning predict} and the Spark predict job:
 * {@code --colors CLASS=#RRGGBB,...} by class name or value.
 */
public final class ColorOptions {

    @Option(names = "--colors", split = ",", paramLabel = "CLASS=#RRGGBB", description = "Class colours of the"
            + " palette, legend and QGIS style (by class name or value), e.g. --colors URBANO=#d62728,RURAL=#2ca02c;"
            + " other classes keep the checkpoint's or the default palette.")
    Map<String, String> colors = new LinkedHashMap<>();

    /** @return whether the command line gives colours */
    public boolean given() {
        return !colors.isEmpty();
    }

    /**
     * @param spec the command
     * @param classNames the model's classes
     * @return the colours by class name or value, as the predictor takes them
     * @throws picocli.CommandLine.ParameterException a usage error naming the flag, for a value that is not a colour or
     *     a class the model does not have
     */
    public Map<String, Color> resolve(CommandSpec spec, List<String> classNames) {
        OptionChecks checks = new OptionChecks(spec);
        Map<String, Color> palette = new LinkedHashMap<>();
        colors.forEach((k, v) -> {
            try {
                palette.put(k, ClassLegend.parseHex(v));
            } catch (IllegalArgumentException e) {
                throw checks.usage("--colors " + k + "=" + v + ": " + e.getMessage());
            }
        });
        try {
            ClassPalette.of(classNames, palette, 255);
        } catch (ModelException e) {
            throw checks.usage("--colors: " + e.getMessage());
        }
        return palette;
    }
}
