package io.geolightning.app.cli;

import io.geolightning.geo.GdalPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that picocli's types cannot express (ranges, choices, outputs that would replace an
 * input). A failure is a usage error naming the flag as typed: {@code error: --batch-size 0: must be at least 1;
 * see 'geolightning evaluate --help'} and exit code 2.
 */
public final class OptionChecks {

    private final CommandSpec spec;

    /** @param spec the command being checked (for the usage message) */
    public OptionChecks(CommandSpec spec) {
        this.spec = spec;
    }

    /** Fails unless {@code value >= min}. */
    public OptionChecks atLeast(String flag, long value, long min, String example) {
        if (value < min) {
            throw usage(flag + " " + value + ": must be at least " + min + (example == null ? "" : ", e.g. " + flag
                    + " " + example));
        }
        return this;
    }

    /** Fails unless {@code 0 <= value <= 1}. */
    OptionChecks fraction(String flag, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw usage(flag + " " + value + ": must be a fraction between 0 and 1");
        }
        return this;
    }

    /**
     * @param choices lower-case names (and aliases) to values
     * @param listed the names the message offers, e.g. "train, val or test"
     * @return the choice {@code value} names (case-insensitive)
     * @throws ParameterException listing the valid choices
     */
    <T> T choice(String flag, String value, Map<String, T> choices, String listed) {
        T t = value == null ? null : choices.get(value.trim().toLowerCase(Locale.ROOT));
        if (t == null) {
            throw usage(flag + " " + value + ": unknown; use " + listed);
        }
        return t;
    }

    /**
     * Fails when an output path is one of the command's inputs (the same file, through any path spelling or link).
     *
     * @param outFlag the output's flag
     * @param out the output path
     * @param inputs input flag to path
     */
    OptionChecks notAnInput(String outFlag, Path out, Map<String, Path> inputs) {
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            if (in.getValue() != null && same(out, in.getValue())) {
                throw usage(outFlag + " " + out + ": is the file given to " + in.getKey() + "; writing it would replace"
                        + " that input; choose another " + outFlag + " path");
            }
        }
        return this;
    }

    /**
     * Fails when an output is a GDAL virtual path: inputs may be read from archives and URLs, outputs are local files.
     *
     * @param flag the output's flag
     * @param out the output path (null: not given)
     * @return this
     */
    public OptionChecks localOutput(String flag, Path out) {
        if (out != null && GdalPath.isVirtual(out.toString())) {
            throw usage(flag + " " + out + ": outputs are written to local files, not to GDAL virtual paths; write to a"
                    + " local path and copy it with your storage's tools");
        }
        return this;
    }

    /**
     * Fails when a raster output is named for another format ({@code classes.png}): it is written as a GeoTIFF, which
     * a viewer going by the name would misread.
     *
     * @param flag the output's flag
     * @param out the output path (null: not given)
     * @return this
     */
    OptionChecks geoTiff(String flag, Path out) {
        String name = out == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && !name.endsWith(".tif") && !name.endsWith(".tiff")) {
            throw usage(flag + " " + out + ": is written as a Cloud-Optimized GeoTIFF, not as " + name.substring(dot)
                    + "; name it .tif (and convert it afterwards, e.g. gdal_translate -of PNG)");
        }
        return this;
    }

    /** @return the local file of an input, or null for a GDAL virtual path (which no output can be) */
    static Path local(GdalPath input) {
        return input == null || input.isVirtual() ? null : input.local();
    }

    /** @return whether two paths name the same file (existing files compared by identity) */
    public static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** @return a usage error for this command */
    public ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
