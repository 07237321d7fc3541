package io.geolightning.app.cli;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.Subdatasets;
import io.geolightning.geo.VectorSource;
import io.geolightning.models.torchscript.ModelCard;
import io.geolightning.models.torchscript.ModelFiles;
import io.geolightning.models.torchscript.TorchScriptModel;
import io.geolightning.models.torchscript.TorchScriptSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code geolightning info <path>}: what a file is. Rasters (size, bands, data type, NBITS, palette, overviews, mask,
 * nodata, CRS and EPSG code, geotransform, bounds), vector files (layers, CRS, feature count, fields, extent), chip
 * stores (rows per split, classes, band statistics, after checking their files against the sidecar) and checkpoints
 * (architecture, bands, classes, epoch/step, metrics, hyperparameters).
 */
@Command(name = "info", description = "Describe a raster, vector file, chip store, checkpoint, TorchScript model or"
        + " model card (an export's model.json or folder).")
final class InfoCommand implements Callable<Integer> {

    private static final Set<String> VECTOR_SUFFIXES = Set.of("shp", "gpkg", "geojson", "json", "fgb", "gml", "kml",
            "tab", "mif", "sqlite", "gdb", "geojsonl", "geojsons");

    @Parameters(paramLabel = "PATH", description = "A raster (GeoTIFF, ...), vector file (Shapefile, GeoPackage, ...),"
            + " chip store (.parquet or folder with chips.json), checkpoint (.ckpt), TorchScript model (.pt) or model"
            + " card (model.json, or the folder export wrote); rasters"
            + " and vectors also as GDAL paths (/vsizip/labels.zip/a.shp, /vsicurl/https://host/scene.tif).")
    GdalPath path;

    @Option(names = "--model-card", paramLabel = "JSON", description = "The card of a TorchScript model (.pt)."
            + " Default: <model>.json, else model.json, beside it.")
    Path modelCard;

    @Option(names = "--verify", description = "A chip store: also read every page of every file (the pixels too) and"
            + " check its checksum, as a training would read them; reads the whole store. Without it, info checks every"
            + " file's footer and row counts, and the split and label columns' pages.")
    boolean verify;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (path.isVirtual()) { // only GDAL reads these: a vector by its suffix, anything else a raster
            requireStoreToVerify(false);
            describeVectorOrRaster(out, isVectorName(path.fileName()));
            out.flush();
            return ExitCodes.OK;
        }
        Path local = path.local();
        if (!Files.exists(local)) {
            Subdatasets.name(path).ifPresent(n -> {
                throw Subdatasets.notRead(n);
            });
            throw new CliException(path + ": file not found; check the path (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        Kind kind = kind(local);
        requireStoreToVerify(kind == Kind.CHIPS);
        switch (kind) {
            case CHIPS -> new ChipStoreDescriber(out).describe(storeOf(local), verify);
            case CHECKPOINT -> new CheckpointDescriber(out).describe(local);
            case TORCHSCRIPT -> describeTorchScript(out, local);
            case MODEL_CARD -> new ModelCardDescriber(out).describe(Files.isDirectory(local)
                    ? local.resolve("model.json") : local);
            case VECTOR -> describeVectorOrRaster(out, true);
            case RASTER -> describeVectorOrRaster(out, false);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void requireStoreToVerify(boolean store) {
        if (verify && !store) {
            throw new OptionChecks(spec).usage("--verify: " + path + " is not a chip store; --verify reads the pages"
                    + " of chip stores only, leave it out");
        }
    }

    private void describeVectorOrRaster(PrintWriter out, boolean vectorFirst) {
        GeoIOException first;
        try {
            describeGeo(out, vectorFirst);
            return;
        } catch (GeoIOException e) {
            first = e;
        }
        try {
            describeGeo(out, !vectorFirst);
        } catch (GeoIOException second) {
            String msg = first.getMessage();
            if (msg != null && msg.contains(": is a ZIP archive;")) {
                throw first;
            }
            if (msg != null && msg.contains("(the file is empty (0 bytes))")) {
                throw new CliException(path + ": the file is empty (0 bytes); pass a GeoTIFF, Shapefile, GeoPackage,"
                        + " chip store or .ckpt file (an interrupted copy or download leaves such files)");
            }
            if (msg != null && (msg.contains("not a raster") || msg.contains("not a vector"))) {
                throw new CliException(path + ": neither a raster nor a vector file GDAL can read, nor a chip store"
                        + " or checkpoint; pass a GeoTIFF, Shapefile, GeoPackage, chip store or .ckpt file");
            }
            throw first;
        }
    }

    private void describeGeo(PrintWriter out, boolean vector) {
        if (vector) {
            try (VectorSource v = VectorSource.open(path)) {
                new VectorDescriber(out).describe(v);
            }
        } else {
            try (GeoRaster r = GeoRaster.open(path)) {
                new RasterDescriber(out).describe(r);
            }
        }
    }

    /** A TorchScript model, described by its card and checked by running it once on a zero chip of its size. */
    private void describeTorchScript(PrintWriter out, Path file) {
        Path card = modelCard != null ? modelCard : ModelCard.beside(file);
        TorchScriptSpec ts = ModelCard.read(card);
        try (TorchScriptModel model = TorchScriptModel.load(file, ts)) {
            Table t = new Table(out, 16);
            t.title("TorchScript model " + file);
            t.row("model card", card);
            t.row("task", ts.kind().id() + (ts.outputsProbabilities() ? " (outputs probabilities)"
                    : " (outputs logits)"));
            ModelCardDescriber.inputRows(t, ts);
            t.row("check", "runs on a 1 x " + ts.bands() + " x " + ts.chipSize() + " x " + ts.chipSize()
                    + " input with the card's output shape");
        }
    }

    enum Kind { RASTER, VECTOR, CHIPS, CHECKPOINT, TORCHSCRIPT, MODEL_CARD }

    static Kind kind(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            if (Files.exists(p.resolve("chips.json")) || hasParquet(p)) {
                return Kind.CHIPS;
            }
            if (name.endsWith(".gdb")) {
                return Kind.VECTOR;
            }
            if (ModelCardDescriber.isCard(p.resolve("model.json"))) {
                return Kind.MODEL_CARD; // a folder export wrote
            }
            throw new CliException(p + ": a folder, but not a chip store (no chips.json or .parquet files) nor an"
                    + " export (no model.json); pass a raster, vector file, chip store or .ckpt checkpoint");
        }
        if (name.endsWith(".parquet") || storeOf(p) != p) {
            return Kind.CHIPS;
        }
        if (ModelFiles.isTorchScript(p)) {
            return Kind.TORCHSCRIPT;
        }
        if (ModelCardDescriber.isCard(p)) {
            return Kind.MODEL_CARD;
        }
        if (name.endsWith(".ckpt") || GdalPath.isZip(p) && hasEntry(p, "meta.json")) {
            return Kind.CHECKPOINT;
        }
        if (name.endsWith(".npz") || name.endsWith(".safetensors") || name.endsWith(".pth")) {
            Path card = p.resolveSibling("model.json");
            throw new CliException(p + ": a weights file (tensors without a model card), which info does not describe;"
                    + " pass " + (ModelCardDescriber.isCard(card) ? "the model card beside it, " + card
                    : "the checkpoint or the model card it came with") + " (to train from it, set model.weights)");
        }
        return isVectorName(name) ? Kind.VECTOR : Kind.RASTER;
    }

    /**
     * @return the chip store a sidecar belongs to ({@code chips/chips.json} -> {@code chips/}, {@code a.chips.json}
     *     -> {@code a.parquet}) when that store exists, else {@code p} itself
     */
    private static Path storeOf(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (name.equals("chips.json")) {
            Path folder = p.toAbsolutePath().getParent();
            return folder != null && Files.isDirectory(folder) ? folder : p;
        }
        String single = name.endsWith(".chips.json") ? name.substring(0, name.length() - ".chips.json".length()) : "";
        return !single.isEmpty() && Files.isRegularFile(p.resolveSibling(single + ".parquet"))
                ? p.resolveSibling(single + ".parquet") : p;
    }

    private static boolean isVectorName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && VECTOR_SUFFIXES.contains(name.substring(dot + 1));
    }

    private static boolean hasParquet(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasEntry(Path zip, String entry) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getEntry(entry) != null;
        } catch (IOException e) {
            return true; // a damaged archive: the checkpoint reader says what is wrong with it
        }
    }
}
