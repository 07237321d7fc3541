package io.geolightning.models.predict;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.OutputSet;
import io.geolightning.foundation.Progress;
import io.geolightning.geo.ClassLegend;
import io.geolightning.geo.Crs;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.GeoTransform;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.Polygonizer;
import io.geolightning.geo.RasterDataType;
import io.geolightning.geo.RasterStructure;
import io.geolightning.geo.RasterWriter;
import io.geolightning.geo.StreamingRasterWriter;
import io.geolightning.models.nn.ModelException;
import io.geolightning.tiling.labels.LabelTask;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies a whole scene with a trained model, in constant memory, into a class raster (COG by default).
 *
 * <p>The scene is covered by square windows of the model's chip size (or a larger size for a segmenter) that overlap
 * by {@code overlap} pixels; the last window of a row or column is moved back to end at the raster's edge. Windows
 * are read from GDAL one at a time, normalised with the model's band statistics (nodata samples become 0, the
 * normalised mean, as in training), run through the model in batches, and their class probabilities are blended
 * ({@link Blending}) into a strip buffer one window tall and the raster wide. When a row of windows is done, the
 * rows no later window can reach are finished (arg-max) and streamed to the output through geo-io's
 * {@link StreamingRasterWriter}, so memory does not grow with the raster's height. A chip classifier's probability
 * vector is painted over its whole window.
 *
 * <p>Output: one uint8 band of class values with the input's size, CRS and geotransform, nodata 255 where the
 * input is nodata in every band (or outside its extent), a colour table, metadata {@code CLASS_<i>=<name>},
 * {@code CLASS_COUNT}, {@code MODEL}, {@code MODEL_SOURCE}, {@code WINDOW_SIZE}, {@code OVERLAP}, {@code BLENDING};
 * optionally a probability raster with one band per class. Each file appears atomically when complete.
 */
public final class ScenePredictor {

    /** Class value of nodata pixels in the output. */
    public static final int NODATA = 255;

    private static final Logger LOG = LoggerFactory.getLogger(ScenePredictor.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final InferenceModel model;

    /** @param model the trained model (not closed by the predictor) */
    public ScenePredictor(InferenceModel model) {
        this.model = model;
    }

    /** @return the model */
    public InferenceModel model() {
        return model;
    }

    /**
     * Predicts a scene.
     *
     * @param in the input raster (must have a CRS and a geotransform, and the model's band count)
     * @param out the class raster to write
     * @param options window, overlap, blending, outputs
     * @return what was written
     * @throws ModelException one line naming the file and the fix, for a band-count mismatch, a raster without CRS or
     *     geotransform, a missing output folder, or an existing output without {@code overwrite}
     */
    public PredictionResult predict(GeoRaster in, Path out, PredictOptions options) {
        if (options.polygons() != null) {
            PredictionChecks.output(options.polygons(), in.path(), options.overwrite());
            Polygonizer.checkOutput(options.polygons(), in.crs().orElse(null)); // before the model runs
        }
        try (OutputSet set = new OutputSet(options.overwrite())) {
            Finished f = predict(in, PixelWindow.full(in.width(), in.height()), out, options, set);
            PredictionResult r = options.polygons() == null ? f.result()
                    : f.result().withPolygons(polygonize(f.classes(), options, set));
            publish(set, out);
            return r;
        }
    }

    /** A prediction whose outputs are finished temporaries in an {@link OutputSet}, {@code classes} the raster's. */
    private record Finished(PredictionResult result, Path classes) {
    }

    /** @return the polygons (in {@code set}) of a finished class raster */
    private Path polygonize(Path classes, PredictOptions options, OutputSet set) {
        return Polygonizer.polygonize(classes, options.polygons(), model.classNames(), options.polygonOptions(), set)
                .path();
    }

    /** Publishes a prediction's outputs (class raster, legend, probabilities, polygons) together, or none. */
    private static void publish(OutputSet set, Path out) {
        try {
            set.publish();
        } catch (FileAlreadyExistsException e) {
            throw new ModelException(e.getFile() + ": another command wrote it while this one ran; nothing of this"
                    + " one's outputs was published; pass --overwrite to replace it or choose another path", e);
        } catch (IOException e) {
            throw new ModelException(out + ": cannot move the finished outputs into place (" + e.getMessage()
                    + "); any earlier outputs are kept as they were; " + AtomicFiles.fixFor(e), e);
        }
    }

    /**
     * Predicts one block of a scene: its pixels get exactly the values {@link #predict(GeoRaster, Path,
     * PredictOptions)} of the whole raster gives them (the same windows of the whole raster's window grid, blended in
     * the same order), written to a raster covering only the block (its geotransform moved to the block). Blocks that
     * tile a raster therefore assemble into the whole-raster prediction; this is how a region is split across
     * machines.
     *
     * @param in the whole input raster
     * @param block the pixels to classify, inside {@code in}
     * @param out the class raster of the block
     * @param options window, overlap, blending, outputs
     * @return what was written ({@code windows} counts the windows run for the block)
     * @throws ModelException as for a whole scene, or when the block is not inside the raster
     */
    public PredictionResult predict(GeoRaster in, PixelWindow block, Path out, PredictOptions options) {
        try (OutputSet set = new OutputSet(options.overwrite())) {
            PredictionResult r = predict(in, block, out, options, set).result();
            publish(set, out);
            return r;
        }
    }

    private Finished predict(GeoRaster in, PixelWindow block, Path out, PredictOptions options, OutputSet set) {
        long start = System.nanoTime();
        ModelSignature spec = model.signature();
        String file = in.path().fileName();
        if (!PixelWindow.full(in.width(), in.height()).contains(block) || block.isEmpty()) {
            throw new ModelException(file + ": block " + block + " is not inside the raster's " + in.width() + " x "
                    + in.height() + " pixels; pass a block of its pixel grid");
        }
        RasterStructure.requireNoPalette(in); // colour indices are no measurements
        int[] bands = PredictionChecks.bands(model, in, options, spec, file);
        Crs crs = in.crs().orElseThrow(() -> new ModelException(file + ": has no CRS, so the classified raster could "
                + "not be placed on a map; " + in.missingCrsFix() + ", and retry"));
        if (!in.hasGeoTransform()) {
            throw new ModelException(file + ": has no geotransform (pixel-to-map coordinates); georeference it "
                    + "(gdal_translate -a_ullr ... or gdalwarp) and retry");
        }
        if (spec.classes() > NODATA) {
            throw new ModelException(model.source() + ": " + spec.classes() + " classes do not fit a uint8 class "
                    + "raster (255 is nodata); use a model with at most 255 classes");
        }
        boolean classifier = spec.kind() == LabelTask.CLASSIFICATION;
        int size = options.resolvedWindow(spec.chipSize());
        if (classifier && size != spec.chipSize()) {
            throw new PredictOptionException("--window " + size + ": does not match the classifier's chip size "
                    + spec.chipSize() + " (" + model.source() + "); classifiers predict chip-sized windows, pass 0 or "
                    + spec.chipSize());
        }
        if (size < spec.minWindow()) {
            throw new PredictOptionException("--window " + size + ": below the smallest input of "
                    + spec.architecture() + " (" + spec.minWindow() + "); pass a larger window");
        }
        int overlap = options.resolvedOverlap(size, classifier);
        Path probPath = options.probabilities() == ProbabilityOutput.NONE ? null
                : options.probabilitiesPath() != null ? options.probabilitiesPath() : probabilitiesPathFor(out);
        PredictionChecks.output(out, in.path(), options.overwrite());
        if (probPath != null) {
            PredictionChecks.output(probPath, in.path(), options.overwrite());
            if (probPath.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new PredictOptionException(probPath + ": the probability raster would overwrite the class raster;"
                        + " pass another --probabilities path");
            }
        }

        int width = in.width();
        int height = in.height();
        if ((width < size || height < size) && !options.allowPadding()) {
            // a region's raster is a VRT in GDAL's memory: named by its file name, as in every other message
            boolean degrees = in.crs().map(Crs::isGeographic).orElse(false);
            throw new ModelException(in.path().fileName() + ": " + width + " x " + height + " pixels is smaller than"
                    + " the " + size + "-pixel window of " + model.source() + " (trained on " + spec.chipSize()
                    + "-pixel chips), so the prediction would be mostly padding; predict a larger extent"
                    + (degrees ? String.format(java.util.Locale.ROOT, " (its pixels are %.4g degrees wide: in a"
                    + " geographic CRS, --resolution is in degrees)", in.geoTransform().pixelSizeX()) : "")
                    + (classifier ? "" : " or pass a smaller --window") + ", or pass --allow-padding to classify it"
                    + " anyway");
        }
        AreaMask mask = AreaMask.of(in, options.area());
        int stride = size - overlap;
        // the windows meeting the block; a row's windows go through the model in batches of batchSize consecutive
        // windows of the whole raster's grid, so a block's windows are widened to whole batches: each window then
        // sees the same batch as in the whole-raster run, and a block's values are bit for bit the same
        int batch = options.batchSize();
        int[] xs = wholeBatches(meeting(WindowGrid.starts(width, size, stride), size, block.x(), block.endX()), batch,
                WindowGrid.starts(width, size, stride));
        int[] ys = meeting(WindowGrid.starts(height, size, stride), size, block.y(), block.endY());
        long total = (long) xs.length * ys.length;
        float[] weight = BlendWeights.window(options.blending(), size, overlap);
        StripAccumulator strip = new StripAccumulator(spec.classes(), block.x(), block.width(), size, ys[0]);
        boolean whole = block.width() == width && block.height() == height;
        LOG.info("{}: predicting {}x{} px{} with {} ({}), {} windows of {} px, overlap {}, {} blending", file,
                block.width(), block.height(), whole ? "" : " (block " + block + ")", spec.architecture(),
                model.source(), total, size, overlap, options.blending());

        Map<String, String> metadata = metadata(spec, size, overlap, options);
        GeoTransform gt = in.geoTransform().forWindow(block);
        try (StreamingRasterWriter classes = classWriter(out, block, gt, crs, options, metadata).open();
             StreamingRasterWriter probs = probPath == null ? null
                     : probabilityWriter(probPath, block, gt, crs, options, metadata).open()) {
            WindowBatcher batcher = new WindowBatcher(options.tta() ? TestTimeAugmentation.of(model) : model, in,
                    bands, size, classifier, options.batchSize(), strip, weight, mask);
            Progress progress = new Progress(LOG, file, "windows", total, PROGRESS_EVERY_NANOS);
            for (int r = 0; r < ys.length; r++) {
                for (int i = 0; i < xs.length; i++) {
                    if (i % batch == 0) {
                        batcher.flush();
                    }
                    batcher.add(xs[i], ys[r]);
                    progress.step();
                }
                batcher.flush();
                // rows above the next row of windows are final: no later window reaches them
                int end = r + 1 < ys.length ? ys[r + 1] : Math.min(height, strip.top() + size);
                int rows = end - strip.top();
                if (rows > 0) {
                    StripRows.write(strip, rows, block, mask, classes, probs, options.probabilities(),
                            spec.classes());
                    strip.advance(Math.min(rows, size));
                }
            }
            progress.finish();
            List<String> warnings = batcher.scale().warning(file, model.source()).stream().toList();
            warnings.forEach(w -> LOG.warn("{}", w));
            if (probs != null) {
                probs.finish(set);
            }
            Path finished = classes.finish(set);
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("{}: classified {} in {} s ({} windows, {} skipped as nodata)", file, out,
                    String.format(Locale.ROOT, "%.1f", seconds), total, batcher.skipped());
            return new Finished(new PredictionResult(out, probPath, null, block.width(), block.height(), size, overlap,
                    total, batcher.skipped(), strip.bufferBytes(), seconds, warnings), finished);
        }
    }

    /**
     * Writes the class raster of {@code in} from the class rasters of its blocks (written by
     * {@link #predict(GeoRaster, PixelWindow, Path, PredictOptions)} with the same options): the same size,
     * geotransform, metadata, colour table and format as predicting it whole, and, as each block holds the whole
     * prediction's values, the same pixels. Streams one block at a time; the output appears atomically.
     *
     * @param in the whole input raster
     * @param blocks each block and its class raster; together they must cover the raster once
     * @param out the class raster to write
     * @param options the options the blocks were predicted with (window, overlap, blending, format, overwrite), and
     *     the polygons to make of the whole raster
     * @return the path written
     * @throws ModelException when the blocks do not cover the raster or a block file does not match its block
     */
    public Path assemble(GeoRaster in, Map<PixelWindow, Path> blocks, Path out, PredictOptions options) {
        PixelWindow whole = PixelWindow.full(in.width(), in.height());
        long area = 0;
        for (PixelWindow b : blocks.keySet()) {
            if (!whole.contains(b)) {
                throw new ModelException(in.path().fileName() + ": block " + b + " is outside the raster's " + whole);
            }
            area += b.area();
        }
        if (area != whole.area()) {
            throw new ModelException(in.path().fileName() + ": the blocks cover " + area + " of " + whole.area()
                    + " pixels; predict every block of the raster before assembling them");
        }
        PredictionChecks.output(out, in.path(), options.overwrite());
        if (options.polygons() != null) {
            PredictionChecks.output(options.polygons(), in.path(), options.overwrite());
            Polygonizer.checkOutput(options.polygons(), in.crs().orElse(null));
        }
        ModelSignature spec = model.signature();
        boolean classifier = spec.kind() == LabelTask.CLASSIFICATION;
        int size = options.resolvedWindow(spec.chipSize());
        Crs crs = in.crs().orElseThrow(() -> new ModelException(in.path().fileName() + ": has no CRS"));
        Map<String, String> metadata = metadata(spec, size, options.resolvedOverlap(size, classifier), options);
        try (OutputSet set = new OutputSet();
             StreamingRasterWriter classes = classWriter(out, whole, in.geoTransform(), crs, options, metadata)
                     .open()) {
            for (Map.Entry<PixelWindow, Path> e : blocks.entrySet()) {
                PixelWindow b = e.getKey();
                try (GeoRaster part = GeoRaster.open(e.getValue())) {
                    if (part.width() != b.width() || part.height() != b.height() || part.bandCount() != 1) {
                        throw new ModelException(e.getValue() + ": " + part.width() + " x " + part.height() + " x "
                                + part.bandCount() + " is not the class raster of block " + b + "; predict the block"
                                + " again");
                    }
                    classes.writeWindow(b, part.readAll().bytes());
                }
            }
            Path finished = classes.finish(set);
            if (options.polygons() != null) {
                polygonize(finished, options, set);
            }
            publish(set, out);
            return out;
        }
    }

    /** @return the window starts whose windows of {@code size} meet {@code [from, to)} (never empty) */
    private static int[] meeting(int[] starts, int size, int from, int to) {
        int[] out = Arrays.stream(starts).filter(s -> s < to && s + size > from).toArray();
        return out.length > 0 ? out : new int[] {starts[0]};
    }

    /** @return {@code some} of {@code all} (consecutive) widened to whole batches of {@code batch} from the first */
    private static int[] wholeBatches(int[] some, int batch, int[] all) {
        int first = Arrays.binarySearch(all, some[0]);
        int last = first + some.length - 1;
        first = first / batch * batch;
        last = Math.min(all.length - 1, (last / batch + 1) * batch - 1);
        return Arrays.copyOfRange(all, first, last + 1);
    }

    /**
     * @param out the class raster path
     * @return {@code <name>_probabilities.tif} next to it
     */
    public static Path probabilitiesPathFor(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return out.resolveSibling(stem + "_probabilities.tif");
    }

    private Map<String, String> metadata(ModelSignature spec, int size, int overlap, PredictOptions options) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> names = model.classNames();
        for (int c = 0; c < names.size(); c++) {
            m.put("CLASS_" + c, names.get(c));
        }
        m.put("CLASS_COUNT", Integer.toString(names.size()));
        m.put("CLASS_NODATA", Integer.toString(NODATA));
        m.put("MODEL", spec.architecture());
        m.put("MODEL_SOURCE", model.source());
        m.put("WINDOW_SIZE", Integer.toString(size));
        m.put("OVERLAP", Integer.toString(overlap));
        m.put("BLENDING", options.blending().name().toLowerCase(Locale.ROOT));
        return m;
    }

    private RasterWriter classWriter(Path out, PixelWindow block, GeoTransform gt, Crs crs, PredictOptions options,
                                     Map<String, String> metadata) {
        Map<Integer, Color> palette = ClassPalette.of(model.classNames(), ClassPalette.merge(model.classColors(),
                options.colors()), NODATA);
        return RasterWriter.builder(out).format(options.format()).size(block.width(), block.height()).bandCount(1)
                .dataType(RasterDataType.UINT8).crs(crs).geoTransform(gt).nodata(NODATA)
                .colorTable(palette).legend(ClassLegend.of(model.classNames(), palette))
                .bandDescriptions(List.of("class")).metadata(metadata).build();
    }

    private RasterWriter probabilityWriter(Path out, PixelWindow block, GeoTransform gt, Crs crs,
                                           PredictOptions options, Map<String, String> metadata) {
        boolean percent = options.probabilities() == ProbabilityOutput.UINT8_PERCENT;
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put("PROBABILITY_UNITS", percent ? "percent" : "fraction");
        return RasterWriter.builder(out).format(options.format()).size(block.width(), block.height())
                .bandCount(model.signature().classes())
                .dataType(percent ? RasterDataType.UINT8 : RasterDataType.FLOAT32).crs(crs)
                .geoTransform(gt).nodata(percent ? NODATA : Double.NaN)
                .bandDescriptions(model.classNames()).metadata(m).build();
    }
}
