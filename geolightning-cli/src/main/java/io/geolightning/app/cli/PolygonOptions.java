package io.geolightning.app.cli;

import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.Polygonizer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How a class raster becomes polygons, shared as a picocli mixin by {@code geolightning predict --polygons FILE} and
 * the Spark predict job's {@code --polygons}: connectivity, minimum area and simplification.
 */
public final class PolygonOptions {

    @Option(names = "--connectivity", defaultValue = "4", paramLabel = "4|8", description = "Polygons: pixels touching"
            + " at a corner are one region with 8 (default: ${DEFAULT-VALUE}, edges only).")
    int connectivity;

    @Option(names = "--min-area", defaultValue = "0", paramLabel = "M2", description = "Polygons: drop regions smaller"
            + " than this, in square metres, whatever the CRS (default: ${DEFAULT-VALUE}).")
    double minArea;

    @Option(names = "--simplify", defaultValue = "0", paramLabel = "M", description = "Polygons: simplify each polygon"
            + " with this tolerance in metres (default: ${DEFAULT-VALUE}, pixel edges kept).")
    double simplify;

    /**
     * @param spec the command
     * @param polygons whether the command line asks for polygons
     * @return the polygonizer's options
     * @throws picocli.CommandLine.ParameterException a usage error naming the flag, for a bad value or a polygon flag
     *     without polygons
     */
    public Polygonizer.Options resolve(CommandSpec spec, boolean polygons) {
        OptionChecks checks = new OptionChecks(spec);
        if (connectivity != 4 && connectivity != 8) {
            throw checks.usage("--connectivity " + connectivity + ": pass 4 (regions joined by edges) or 8 (also by"
                    + " corners)");
        }
        Polygonizer.Options options;
        try {
            options = new Polygonizer.Options(connectivity == 8, minArea, simplify);
        } catch (GeoIOException e) {
            boolean area = !(minArea >= 0) || Double.isInfinite(minArea);
            throw checks.usage((area ? "--min-area " + minArea : "--simplify " + simplify) + ": " + e.getMessage());
        }
        if (!polygons && !options.equals(Polygonizer.Options.DEFAULTS)) {
            throw checks.usage((minArea != 0 ? "--min-area" : simplify != 0 ? "--simplify" : "--connectivity")
                    + " applies to polygons only; pass --polygons too");
        }
        return options;
    }
}
