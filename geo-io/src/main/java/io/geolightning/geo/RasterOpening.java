package io.geolightning.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;

/**
 * How a path becomes the GDAL dataset of a {@link GeoRaster}, and the one-line errors when it does not: a missing file
 * (or a subdataset name), a folder, a file GDAL reads as no raster (an archive, a container of subdatasets), a VRT
 * whose sources are missing.
 */
final class RasterOpening {

    private RasterOpening() {
    }

    /**
     * @param path a raster path
     * @return the dataset, opened read-only, with at least one band and one pixel
     * @throws GeoIOException when the file is missing, is not a raster GDAL can read, or is unreadable
     */
    static Dataset dataset(GdalPath path) {
        Gdal.quietThread();
        if (!path.isVirtual()) {
            Path local = path.local();
            if (!Files.exists(local)) {
                throw notFound(path);
            }
            if (Files.isDirectory(local)) {
                throw GeoIOException.of(path, "is a folder, not a raster file",
                        "pass a GeoTIFF or another GDAL raster file");
            }
        }
        Dataset ds;
        gdal.ErrorReset();
        try {
            ds = gdal.OpenEx(path.text(), gdalconstConstants.OF_RASTER | gdalconstConstants.OF_READONLY
                    | gdalconstConstants.OF_VERBOSE_ERROR);
        } catch (RuntimeException e) {
            if (path.isVirtual() && VirtualFiles.missing(path)) {
                throw notFound(path);
            }
            throw notRaster(path, Gdal.lastError(e, "format not recognised", path), e);
        }
        if (ds == null) {
            if (path.isVirtual() && VirtualFiles.missing(path)) {
                throw notFound(path);
            }
            throw notRaster(path, Gdal.lastError(null, "format not recognised", path), null);
        }
        if (ds.getRasterCount() < 1 || ds.getRasterXSize() < 1 || ds.getRasterYSize() < 1) {
            GeoIOException container = Subdatasets.container(path, ds).orElse(null);
            ds.delete();
            if (container != null) {
                throw container;
            }
            throw notRaster(path, "it has no raster bands", null);
        }
        GeoIOException missingSource = VrtSources.missing(path, ds).orElse(null);
        if (missingSource != null) {
            ds.delete();
            throw missingSource;
        }
        return ds;
    }

    private static GeoIOException notFound(GdalPath path) {
        return Subdatasets.name(path).map(Subdatasets::notRead)
                .orElseGet(() -> GeoIOException.of(path, "file not found", VirtualFiles.checkHint(path)));
    }

    private static GeoIOException notRaster(GdalPath path, String why, Throwable cause) {
        return VirtualFiles.archiveHint(path).map(h -> new GeoIOException(path + ": " + h, cause)).orElseGet(() ->
                GeoIOException.of(path, "not a raster GDAL can read (" + why + ")",
                "pass a GeoTIFF or another GDAL raster", cause));
    }
}
