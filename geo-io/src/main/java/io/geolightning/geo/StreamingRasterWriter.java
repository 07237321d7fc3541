package io.geolightning.geo;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.OutputSet;
import io.geolightning.foundation.TempFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Vector;
import org.gdal.gdal.Band;
import org.gdal.gdal.ColorTable;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.Driver;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.osr.SpatialReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open raster being written window by window into a temporary file next to the final path. {@link #commit()}
 * finishes it (COG translation if asked) and renames it onto the final path; {@link #close()} without commit deletes
 * the temporary files, so a failure never leaves a half-written output. Obtain from {@link RasterWriter#open()}.
 * Methods are synchronized; windows may be written in any order, each pixel's last write wins.
 */
public final class StreamingRasterWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingRasterWriter.class);

    private final RasterWriter spec;
    private final Path tiff;
    private Dataset dataset;
    private boolean committed;
    private long pixelsWritten;

    StreamingRasterWriter(RasterWriter spec) {
        Gdal.quietThread();
        this.spec = spec;
        Path target = spec.path().toAbsolutePath();
        TempFiles.removeStale(target); // left by a run killed with SIGKILL
        this.tiff = TempFiles.reserve(target, ".part.tif");
        Driver driver = gdal.GetDriverByName("GTiff");
        Vector<String> options = new Vector<>();
        if (spec.format() == RasterFormat.GTIFF) {
            spec.creationOptions().forEach((k, v) -> options.add(k + "=" + v));
        } else {
            options.add("TILED=YES");
            options.add("BLOCKXSIZE=512");
            options.add("BLOCKYSIZE=512");
            options.add("COMPRESS=DEFLATE");
            options.add("ZLEVEL=1");
            options.add("BIGTIFF=IF_SAFER");
        }
        if (spec.dataType() == RasterDataType.INT8) {
            options.add("PIXELTYPE=SIGNEDBYTE");
        }
        try {
            dataset = driver.Create(tiff.toString(), spec.width(), spec.height(), spec.bandCount(),
                    spec.dataType().gdalType(), options);
            if (dataset == null) {
                throw new IllegalStateException(Gdal.lastError("create failed"));
            }
            describe(dataset);
        } catch (RuntimeException e) {
            discard();
            throw GeoIOException.of(spec.path(), "cannot create the raster (" + Gdal.lastError(e, "unknown error") + ")",
                    "check the creation options, free disk space and write permission of the folder", e);
        }
    }

    private void describe(Dataset ds) {
        if (spec.geoTransform() != null) {
            ds.SetGeoTransform(spec.geoTransform().toGdal());
        }
        if (spec.crs() != null) {
            SpatialReference srs = spec.crs().spatialReference();
            try {
                ds.SetSpatialRef(srs);
            } finally {
                srs.delete();
            }
        }
        spec.metadata().forEach((k, v) -> ds.SetMetadataItem(k, v));
        for (int b = 1; b <= spec.bandCount(); b++) {
            Band band = ds.GetRasterBand(b);
            if (spec.nodata() != null) {
                band.SetNoDataValue(spec.nodata());
            }
            if (b <= spec.bandDescriptions().size()) {
                band.SetDescription(spec.bandDescriptions().get(b - 1));
            }
        }
        if (spec.colorTable() != null) {
            ColorTable ct = new ColorTable(gdalconstConstants.GPI_RGB);
            for (Map.Entry<Integer, Color> e : spec.colorTable().entrySet()) {
                ct.SetColorEntry(e.getKey(), e.getValue());
            }
            Band band = ds.GetRasterBand(1);
            band.SetRasterColorTable(ct);
            band.SetRasterColorInterpretation(gdalconstConstants.GCI_PaletteIndex);
        }
    }

    /** The final path. */
    public Path path() {
        return spec.path();
    }

    /** Writes {@code data} at its own {@link RasterWindow#window()} position. */
    public void writeWindow(RasterWindow data) {
        writeWindow(data.window(), data);
    }

    /**
     * Writes {@code data} (all its bands, converted to the output type by GDAL) at {@code target}; the part of
     * {@code target} outside the raster is skipped.
     */
    public synchronized void writeWindow(PixelWindow target, RasterWindow data) {
        if (data.width() != target.width() || data.height() != target.height()) {
            throw GeoIOException.of(spec.path(), "window data " + data.width() + "x" + data.height()
                    + " does not match target " + target, "pass data of the target window's size");
        }
        write(target, data.data(), data.dataType(), data.bandCount());
    }

    /**
     * Writes a band-major array ({@code byte[]/short[]/int[]/float[]/double[]} matching the output type's carrier) of
     * all bands at {@code target}; the part outside the raster is skipped.
     */
    public synchronized void writeWindow(PixelWindow target, Object bandMajorArray) {
        Object probe = SampleArrays.allocate(spec.dataType(), 0);
        if (bandMajorArray == null || bandMajorArray.getClass() != probe.getClass()) {
            throw GeoIOException.of(spec.path(), "window array of type " + (bandMajorArray == null ? "null"
                    : bandMajorArray.getClass().getSimpleName()) + " does not match " + spec.dataType(),
                    "pass a " + probe.getClass().getSimpleName());
        }
        if (SampleArrays.length(bandMajorArray) != (long) spec.bandCount() * target.area()) {
            throw GeoIOException.of(spec.path(), "window array of " + SampleArrays.length(bandMajorArray)
                    + " samples does not match " + spec.bandCount() + " bands x " + target.width() + "x"
                    + target.height(), "pass a band-major array of exactly that length");
        }
        write(target, bandMajorArray, spec.dataType(), spec.bandCount());
    }

    private void write(PixelWindow target, Object array, RasterDataType type, int bands) {
        requireOpen();
        if (bands != spec.bandCount()) {
            throw GeoIOException.of(spec.path(), "window has " + bands + " bands but the raster has " + spec.bandCount(),
                    "write windows with all " + spec.bandCount() + " bands");
        }
        PixelWindow full = PixelWindow.full(spec.width(), spec.height());
        PixelWindow in = target.intersection(full).orElse(null);
        if (in == null) {
            return;
        }
        Object src = array;
        if (!in.equals(target)) {
            src = SampleArrays.allocate(type, bands * (int) in.area());
            int tN = (int) target.area();
            int iN = (int) in.area();
            for (int b = 0; b < bands; b++) {
                for (int row = 0; row < in.height(); row++) {
                    int from = b * tN + (in.y() - target.y() + row) * target.width() + (in.x() - target.x());
                    System.arraycopy(array, from, src, b * iN + row * in.width(), in.width());
                }
            }
        }
        int[] bandList = new int[bands];
        for (int b = 0; b < bands; b++) {
            bandList[b] = b + 1;
        }
        int t = type.gdalType();
        int x = in.x(), y = in.y(), w = in.width(), h = in.height();
        int rc;
        try {
            rc = switch (type) {
                case UINT8, INT8 -> dataset.WriteRaster(x, y, w, h, w, h, t, (byte[]) src, bandList);
                case UINT16, INT16 -> dataset.WriteRaster(x, y, w, h, w, h, t, (short[]) src, bandList);
                case UINT32, INT32 -> dataset.WriteRaster(x, y, w, h, w, h, t, (int[]) src, bandList);
                case FLOAT32 -> dataset.WriteRaster(x, y, w, h, w, h, t, (float[]) src, bandList);
                case FLOAT64 -> dataset.WriteRaster(x, y, w, h, w, h, t, (double[]) src, bandList);
            };
        } catch (RuntimeException e) {
            throw writeFailure(Gdal.lastError(e, "write failed"), e);
        }
        if (rc != gdalconstConstants.CE_None) {
            throw writeFailure(Gdal.lastError("write failed"), null);
        }
        pixelsWritten += in.area();
    }

    /**
     * Finishes the raster and moves it onto the final path (atomically replacing an existing file), with the
     * {@code .aux.xml} (category names, attribute table) and {@code .qml} of a raster with a {@link ClassLegend}: all
     * of them or none ({@link OutputSet}).
     *
     * @return the final path
     */
    public synchronized Path commit() {
        try (OutputSet set = new OutputSet()) {
            finish(set);
            set.publish();
        } catch (IOException e) {
            throw GeoIOException.of(spec.path(), "cannot move the finished raster into place (" + e.getMessage()
                    + "); the earlier file is kept", AtomicFiles.fixFor(e), e);
        }
        return spec.path();
    }

    /**
     * Finishes the raster (COG translation if asked, the legend's sidecars) into temporaries beside the final path
     * and hands them to {@code set}, to be published with the command's other outputs.
     *
     * @param set the outputs to publish together
     * @return the finished raster's temporary (readable until the set is published or closed)
     */
    public synchronized Path finish(OutputSet set) {
        requireOpen();
        Path target = spec.path().toAbsolutePath();
        Path cog = null;
        Path finished = tiff;
        long start = System.nanoTime();
        try {
            dataset.FlushCache();
            dataset.delete();
            dataset = null;
            if (spec.format() == RasterFormat.COG) {
                cog = TempFiles.reserve(target, ".cog.tif");
                translateToCog(cog);
                finished = cog;
            }
            Path aux = LegendFiles.auxOf(target);
            if (spec.legend() != null) {
                set.add(LegendFiles.writeAux(finished, spec.legend()), aux);
                set.add(LegendFiles.qmlTemporary(LegendFiles.qmlOf(target), spec.legend()), LegendFiles.qmlOf(target));
            } else {
                set.remove(aux); // the sidecars of the file being replaced: GDAL's and its QGIS style
                set.remove(LegendFiles.qmlOf(target));
            }
            set.add(finished, target);
            committed = true;
            LOG.info("{}: finished {}x{}x{} {} {} in {} ms", spec.path(), spec.width(), spec.height(),
                    spec.bandCount(), spec.dataType(), spec.format(), (System.nanoTime() - start) / 1_000_000);
            return finished;
        } catch (IOException e) {
            throw GeoIOException.of(spec.path(), "cannot write the QGIS style (" + e.getMessage() + ")",
                    AtomicFiles.fixFor(e), e);
        } catch (RuntimeException e) {
            if (e instanceof GeoIOException g) {
                throw g;
            }
            throw writeFailure(Gdal.lastError(e, "finishing the file failed"), e);
        } finally {
            if (!committed) {
                discard();
                deleteQuietly(cog);
            } else if (finished != tiff) {
                deleteQuietly(tiff); // and the .aux.xml GDAL may have written beside it
            }
            if (cog != null && spec.legend() == null) {
                deleteQuietly(Path.of(cog + ".aux.xml"));
            }
        }
    }

    private void translateToCog(Path cog) {
        Dataset src = gdal.Open(tiff.toString(), gdalconstConstants.GA_ReadOnly);
        if (src == null) {
            throw new IllegalStateException(Gdal.lastError("cannot reopen the finished temporary raster " + tiff));
        }
        try {
            Vector<String> args = new Vector<>();
            args.add("-of");
            args.add("COG");
            spec.creationOptions().forEach((k, v) -> {
                args.add("-co");
                args.add(k + "=" + v);
            });
            if (!spec.creationOptions().containsKey("RESAMPLING")) {
                args.add("-co");
                args.add("RESAMPLING=" + spec.overviewResampling());
            }
            Dataset out = gdal.Translate(cog.toString(), src, new TranslateOptions(args),
                    new ProgressLog(LOG, spec.path() + ": COG"));
            if (out == null) {
                throw new IllegalStateException(Gdal.lastError("COG translation failed"));
            }
            out.delete();
        } finally {
            src.delete();
        }
    }

    /** Discards the output unless committed; idempotent. */
    @Override
    public synchronized void close() {
        if (!committed) {
            discard();
        }
    }

    private void discard() {
        if (dataset != null) {
            try {
                dataset.delete();
            } catch (RuntimeException ignored) {
                // already failing; the file is deleted below
            }
            dataset = null;
        }
        deleteQuietly(tiff);
        if (pixelsWritten > 0 && !committed) {
            LOG.debug("{}: discarded unfinished output", spec.path());
        }
    }

    private static void deleteQuietly(Path p) {
        TempFiles.discard(p);
    }

    private void requireOpen() {
        if (dataset == null) {
            throw GeoIOException.of(spec.path(), committed ? "writer already committed" : "writer was closed",
                    "open a new writer with RasterWriter.open()");
        }
    }

    private GeoIOException writeFailure(String why, Throwable cause) {
        Path dir = spec.path().toAbsolutePath().getParent();
        long need = (long) spec.width() * spec.height() * spec.bandCount() * spec.dataType().bytes();
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < Math.min(need, 64L << 20) + (1L << 20)) {
                return GeoIOException.of(spec.path(), "no space left on device (" + (free >> 10) + " KiB free in "
                        + dir + ", the raster needs up to " + Math.max(1, need >> 20) + " MiB uncompressed)",
                        "free disk space or write to another folder", cause);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot query free space of {}: {}", dir, e.toString());
        }
        return GeoIOException.of(spec.path(), "cannot write the raster (" + why + ")",
                "check free disk space and write permission of the folder", cause);
    }
}
