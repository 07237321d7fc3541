package io.geolightning.models.predict;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoRaster;
import io.geolightning.models.nn.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What {@link ScenePredictor} checks before it reads a pixel: the bands the model reads and the output path. */
final class PredictionChecks {

    private PredictionChecks() {
    }

    /**
     * @return the raster's bands the model reads: all, those {@code --bands} selects, or all but an alpha band
     * @throws ModelException naming the file when the count is not the model's
     */
    static int[] bands(InferenceModel model, GeoRaster in, PredictOptions options, ModelSignature spec, String file) {
        int[] bands;
        if (options.bands().isEmpty()) { // all bands; a raster with an alpha band (transparency) without it
            bands = in.bandCount() == spec.bands() ? IntStream.rangeClosed(1, in.bandCount()).toArray()
                    : in.dataBands();
        } else {
            bands = options.bands().stream().mapToInt(Integer::intValue).toArray();
            for (int b : bands) {
                if (b > in.bandCount()) {
                    throw new ModelException(file + ": has " + in.bandCount() + " bands, so band " + b
                            + " cannot be selected; choose bands 1.." + in.bandCount());
                }
            }
        }
        if (bands.length != spec.bands()) {
            String fix = in.bandCount() >= spec.bands()
                    ? "select " + spec.bands() + " of its bands in the model's order (geolightning predict --bands "
                            + IntStream.rangeClosed(1, spec.bands()).mapToObj(String::valueOf)
                                    .collect(Collectors.joining(",")) + ", say)"
                    : "pass a raster with the model's " + spec.bands() + " bands (or stack single-band files with "
                            + "--bands-from)";
            throw new ModelException(file + ": " + (options.bands().isEmpty() ? "has " : "selects ") + bands.length
                    + (bands.length == 1 ? " band" : " bands") + " but the model (" + model.source() + ") expects "
                    + spec.bands() + "; " + fix);
        }
        if (model.normalization().bands() != spec.bands()) {
            throw new ModelException(model.source() + ": band statistics for " + model.normalization().bands()
                    + " bands but the network takes " + spec.bands() + "; the model is inconsistent, re-export it");
        }
        return bands;
    }

    /** @throws ModelException when the output's folder is missing, it is the input or a folder, or exists */
    static void output(Path out, GdalPath input, boolean overwrite) {
        GdalPath.requireGdalCanName(out.toString()); // GDAL writes it
        Path abs = out.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ModelException(out + ": output folder " + parent + " does not exist; create it first (mkdir -p "
                    + parent + ") or choose another output path");
        }
        if (!input.isVirtual() && abs.equals(input.local().toAbsolutePath().normalize())) {
            throw new ModelException(out + ": is the input raster; choose a different output path");
        }
        if (Files.isDirectory(abs)) {
            throw new ModelException(out + ": is a folder; pass a file path such as " + out.resolve("classes.tif"));
        }
        if (Files.exists(abs) && !overwrite) {
            throw new ModelException(out + ": already exists; pass overwrite (--overwrite) to replace it or choose "
                    + "another output path");
        }
    }
}
