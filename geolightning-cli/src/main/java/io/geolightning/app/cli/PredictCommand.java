package io.geolightning.app.cli;

import io.geolightning.geo.ClassLegend;
import io.geolightning.foundation.ExitCodes;
import io.geolightning.foundation.GeoLightningException;
import io.geolightning.foundation.OneLine;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.Polygonizer;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterCatalog;
import io.geolightning.geo.RasterFormat;
import io.geolightning.geo.Subdatasets;
import io.geolightning.models.predict.ImageFolderPredictor;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.PredictionResult;
import io.geolightning.models.predict.ProbabilityOutput;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.torchscript.ModelFiles;
import io.geolightning.tiling.RegionRaster;
import io.geolightning.tiling.TilingException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geolightning predict}: classifies a whole scene with a checkpoint, window by window in constant memory, into
 * a Cloud-Optimised GeoTIFF of class values (uint8, nodata 255, colour table, class names in the metadata) with the
 * input's CRS and geotransform, optionally with a per-class probability raster.
 */
@Command(name = "predict", description = "Classify a raster with a trained checkpoint into a class COG.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "MODEL", description = "Checkpoint (.ckpt) from"
            + " train, or a TorchScript model (.pt) with its model card.")
    Path checkpoint;

    @Option(names = "--model-card", paramLabel = "JSON", description = "The card of a TorchScript --checkpoint (task,"
            + " bands, classes, chip size, normalisation). Default: <model>.json, else model.json, beside it.")
    Path modelCard;

    @Mixin
    RegionOptions region;

    @Option(names = "--out", paramLabel = "TIF",
            description = "Class raster to write (COG): one for the raster or the region.")
    Path out;

    @Option(names = "--out-dir", paramLabel = "FOLDER",
            description = "Instead of --out: one class raster per input raster, <name>.tif in this folder.")
    Path outDir;

    @Option(names = "--probabilities", paramLabel = "TIF", description = "Also write per-class probabilities here.")
    Path probabilities;

    @Option(names = "--probability-type", defaultValue = "float32", paramLabel = "TYPE",
            description = "float32 (0..1) or uint8 (percent). Default: ${DEFAULT-VALUE}.")
    String probabilityType;

    @Option(names = "--overwrite", description = "Replace existing outputs.")
    boolean overwrite;

    @Option(names = "--allow-padding", description = "Classify a raster smaller than the model's window (mostly"
            + " padding: unreliable) instead of refusing it.")
    boolean allowPadding;

    @Mixin
    WindowingOptions windowing;

    @Option(names = "--tta", description = "Test-time augmentation: average each window over its 8 flips and quarter"
            + " turns (8 times the compute).")
    boolean tta;

    @Option(names = "--bands", split = ",", paramLabel = "BAND",
            description = "1-based raster bands to feed the model, in model order (default: all).")
    List<Integer> bands;

    @Option(names = "--images", paramLabel = "FOLDER", description = "Instead of --raster: classify every image under"
            + " this folder (JPEG, PNG, ...; sub-folders too) with a chip classifier into --out FILE.csv"
            + " (file,class,probability).")
    Path images;

    @Option(names = "--polygons", paramLabel = "VECTOR", description = "Also polygonize the class raster into this"
            + " .gpkg, .geojson or .fgb: one feature per region with its class value, name and area, in the raster's"
            + " CRS.")
    Path polygons;

    @Mixin
    PolygonOptions polygonShapes;

    private Polygonizer.Options shapes;

    @Mixin
    ColorOptions colors;

    @Option(names = "--format", defaultValue = "COG", paramLabel = "FORMAT",
            description = "COG or GTIFF. Default: ${DEFAULT-VALUE}.")
    RasterFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        windowing.validate(spec);
        OptionChecks checks = new OptionChecks(spec);
        if (images != null) {
            return predictImages(w, checks);
        }
        region.check(checks);
        if ((out == null) == (outDir == null)) {
            throw checks.usage(out == null ? "pass --out TIF (one class raster) or --out-dir FOLDER (one per input"
                    + " raster)" : "--out and --out-dir: pass one of them");
        }
        shapes = polygonShapes.resolve(spec, polygons != null);
        if (outDir != null) {
            if (polygons != null) {
                throw checks.usage("--polygons " + polygons + ": makes one file of one class raster; pass --out");
            }
            if (probabilities != null || region.isStack()) {
                throw checks.usage("--out-dir " + outDir + ": classifies each --raster on its own; "
                        + (region.isStack() ? "a --bands-from stack is one raster, pass --out" : "--probabilities"
                        + " needs one output, pass --out"));
            }
            checks.localOutput("--out-dir", outDir);
        }
        ProbabilityOutput po = checks.choice("--probability-type", probabilityType, Map.of(
                "float32", ProbabilityOutput.FLOAT32, "uint8", ProbabilityOutput.UINT8_PERCENT), "float32 or uint8");
        if (probabilities == null) {
            po = ProbabilityOutput.NONE;
        }
        requireFile(checkpoint, "checkpoint", "pass a .ckpt from a run's checkpoints/ folder or a TorchScript .pt");
        if (modelCard != null) {
            requireFile(modelCard, "model card", "pass the JSON card of the TorchScript model");
        }
        if (outDir != null) {
            return eachRaster(w, po);
        }
        checks.localOutput("--out", out).localOutput("--probabilities", probabilities);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--checkpoint", checkpoint);
        if (modelCard != null) {
            inputs.put("--model-card", modelCard);
        }
        inputs.putAll(region.localInputs());
        checks.notAnInput("--out", out, inputs);
        if (polygons != null) {
            checks.localOutput("--polygons", polygons);
            checks.notAnInput("--polygons", polygons, inputs);
            checkOutput(polygons, "polygons.gpkg");
        }
        if (probabilities != null) {
            checks.notAnInput("--probabilities", probabilities, inputs);
            if (OptionChecks.same(probabilities, out)) {
                throw checks.usage("--probabilities " + probabilities + ": is also --out; pass another path");
            }
        }
        checks.geoTiff("--out", out).geoTiff("--probabilities", probabilities);
        for (Path local : region.localRasters()) {
            requireFile(local, "raster", "check the path");
        }
        checkOutput(out, "classes.tif");
        if (probabilities != null) {
            checkOutput(probabilities, "probabilities.tif");
        }
        try (InferenceModel model = ModelFiles.open(checkpoint, modelCard);
             RegionRaster.Opened opened = region.raster().open()) {
            PredictOptions options = options(po, model);
            GeoRaster in = opened.raster();
            PredictionResult r = new ScenePredictor(model).predict(in, out, options);
            w.printf(Locale.ROOT, "classified %s (%d x %d px) with %s (%s, classes %s): %d windows of %d px, overlap %d,"
                    + " %.1f s%n", region.describe(), r.width(), r.height(), checkpoint.getFileName(),
                    model.signature().architecture(), model.classNames(), r.windows(), r.windowSize(), r.overlap(),
                    r.seconds());
            w.printf(Locale.ROOT, "classified GeoTIFF: %s%n", r.classes().toAbsolutePath());
            if (r.probabilities() != null) {
                w.printf(Locale.ROOT, "probabilities: %s%n", r.probabilities().toAbsolutePath());
            }
            if (r.polygons() != null) {
                w.printf(Locale.ROOT, "polygons: %s%n", r.polygons().toAbsolutePath());
            }
        }
        w.flush();
        return ExitCodes.OK;
    }

    private PredictOptions options(ProbabilityOutput po, InferenceModel model) {
        return PredictOptions.builder().colors(colors.resolve(spec, model.classNames())).polygons(polygons)
                .polygonOptions(shapes).windowSize(windowing.window()).overlap(windowing.overlap())
                .batchSize(windowing.batchSize()).blending(windowing.blending()).probabilities(po)
                .probabilitiesPath(probabilities).bands(bands)
                .format(format).overwrite(overwrite).allowPadding(allowPadding).tta(tta).area(region.area()).build();
    }

    /** {@code --images}: every image of a folder into a CSV of file, class and probability. */
    private int predictImages(PrintWriter w, OptionChecks checks) {
        if (region.given() || outDir != null || probabilities != null || polygons != null || tta
                || (bands != null && !bands.isEmpty()) || colors.given()) {
            throw checks.usage("--images " + images + ": classifies images into --out FILE.csv; leave out --raster,"
                    + " --out-dir, --probabilities, --polygons, --tta, --bands and --colors");
        }
        polygonShapes.resolve(spec, false); // --connectivity, --min-area, --simplify shape polygons: refused here
        if (out == null || !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw checks.usage("--images " + images + ": pass --out FILE.csv (one row per image: file, class,"
                    + " probability)");
        }
        if (!Files.isDirectory(images)) {
            throw new CliException(images + ": not a folder; pass the folder of the images to classify");
        }
        requireFile(checkpoint, "checkpoint", "pass a .ckpt from a run's checkpoints/ folder or a TorchScript .pt");
        checks.localOutput("--out", out);
        checkOutput(out, "predictions.csv");
        try (InferenceModel model = ModelFiles.open(checkpoint, modelCard)) {
            long start = System.nanoTime();
            List<ImageFolderPredictor.Prediction> p = new ImageFolderPredictor(model).predict(images,
                    windowing.batchSize());
            ImageFolderPredictor.writeCsv(p, out, overwrite);
            w.printf(Locale.ROOT, "classified %d images of %s with %s (classes %s) in %.1f s%n", p.size(), images,
                    checkpoint.getFileName(), model.classNames(), (System.nanoTime() - start) / 1e9);
            w.printf(Locale.ROOT, "predictions: %s%n", out.toAbsolutePath());
        }
        w.flush();
        return ExitCodes.OK;
    }

    /** {@code --out-dir}: every raster of the catalog on its own grid into {@code <name>.tif}, checked first. */
    private int eachRaster(PrintWriter w, ProbabilityOutput po) {
        List<GdalPath> rasters = region.catalog().files();
        Map<Path, GdalPath> outputs = new LinkedHashMap<>();
        for (GdalPath r : rasters) {
            Path o = outDir.resolve(r.fileName().replaceFirst("\\.[^.]*$", "") + ".tif");
            GdalPath clash = outputs.put(o, r);
            if (clash != null) {
                throw new CliException(o + ": both " + clash + " and " + r + " would be classified into it; give the"
                        + " rasters distinct names or predict them with --out one by one");
            }
            if (!r.isVirtual() && OptionChecks.same(o, r.local())) {
                throw new CliException(o + ": is the input raster " + r + "; choose another --out-dir");
            }
            if (Files.exists(o) && !overwrite) {
                throw new CliException(o + ": output exists; pass --overwrite to replace it or choose another"
                        + " --out-dir");
            }
            checkSidecars(o, "--out-dir");
        }
        try {
            Files.createDirectories(outDir);
        } catch (java.io.IOException e) {
            throw new CliException(outDir + ": cannot create the output folder (" + e.getMessage() + "); choose a"
                    + " writable --out-dir");
        }
        int written = 0;
        List<String> failed = new ArrayList<>();
        try (InferenceModel model = ModelFiles.open(checkpoint, modelCard)) {
            ScenePredictor predictor = new ScenePredictor(model);
            PredictOptions options = options(po, model);
            for (Map.Entry<Path, GdalPath> e : outputs.entrySet()) {
                RegionRaster one = RegionRaster.of(RasterCatalog.of(List.of(e.getValue())), null);
                if (region.area() != null) {
                    try {
                        one = one.within(region.area());
                    } catch (TilingException outside) {
                        w.printf(Locale.ROOT, "skipped %s: outside the area%n", e.getValue().fileName());
                        continue;
                    }
                }
                try (RegionRaster.Opened in = one.open()) {
                    PredictionResult r = predictor.predict(in.raster(), e.getKey(), options);
                    w.printf(Locale.ROOT, "classified %s (%d x %d px) into %s, %.1f s%n", e.getValue().fileName(),
                            r.width(), r.height(), r.classes().toAbsolutePath(), r.seconds());
                    written++;
                } catch (GeoLightningException failure) { // one bad scene does not stop the others
                    w.flush();
                    spec.commandLine().getErr().println("failed " + e.getValue().fileName() + ": "
                            + OneLine.of(failure.getMessage()));
                    failed.add(e.getValue().fileName());
                }
            }
        }
        if (!failed.isEmpty()) {
            w.printf(Locale.ROOT, "classified %d of %d raster(s) into %s%n", written, rasters.size(),
                    outDir.toAbsolutePath());
            w.flush();
            throw new CliException("--out-dir " + outDir + ": " + failed.size() + " of " + rasters.size()
                    + " raster(s) failed (" + String.join(", ", failed.subList(0, Math.min(5, failed.size())))
                    + (failed.size() > 5 ? ", ..." : "") + "; each one's error is above); the others were classified;"
                    + " fix those and predict them again");
        }
        if (written == 0) {
            throw new CliException("--out-dir " + outDir + ": none of the " + rasters.size() + " raster(s) meets the"
                    + " area; pass an area that overlaps them");
        }
        w.printf(Locale.ROOT, "classified %d of %d raster(s) into %s%n", written, rasters.size(),
                outDir.toAbsolutePath());
        w.flush();
        return ExitCodes.OK;
    }

    private static void requireFile(Path p, String what, String fix) {
        if (!Files.isRegularFile(p)) {
            Subdatasets.name(GdalPath.of(p)).ifPresent(n -> {
                throw Subdatasets.notRead(n);
            });
            throw new CliException(p + ": " + what + " file not found; " + fix + " (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        }
    }

    private void checkOutput(Path p, String example) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CliException(p + ": the output folder " + parent + " does not exist; create it (mkdir -p "
                    + parent + ") or choose another path");
        }
        if (Files.isDirectory(p)) {
            throw new CliException(p + ": is a folder; pass a file path such as " + p.resolve(example));
        }
        if (Files.exists(p) && !overwrite) {
            throw new CliException(p + ": output exists; pass --overwrite to replace it or choose another path");
        }
        checkSidecars(p, "path");
    }

    /** A class raster's legend files (GDAL's .aux.xml, a QGIS style of the same stem) are outputs too. */
    private void checkSidecars(Path raster, String choose) {
        String name = raster.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (overwrite || !(name.endsWith(".tif") || name.endsWith(".tiff"))) {
            return;
        }
        for (Path sidecar : ClassLegend.sidecarsOf(raster)) {
            if (Files.exists(sidecar)) {
                throw new CliException(sidecar + ": exists, and predict would replace or remove it with "
                        + raster.getFileName() + "; pass --overwrite to replace it or choose another " + choose);
            }
        }
    }
}
