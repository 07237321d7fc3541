package io.geolightning.geo;

import java.util.stream.IntStream;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdalconst.gdalconstConstants;

/**
 * GDAL's per-dataset mask of a raster, when it has one that is not its nodata: an alpha band, an internal or
 * {@code .msk} mask, or a mosaic's coverage ({@link RasterMosaic} gives a mosaic of rasters without nodata such a
 * mask). Pixels it masks are not valid ({@link RasterWindow#validMask()}).
 */
final class DatasetMask {

    private DatasetMask() {
    }

    /** @return true when band 1's mask is a per-dataset mask other than "all valid" or nodata */
    static boolean present(Dataset ds) {
        int flags = ds.GetRasterBand(1).GetMaskFlags();
        return (flags & gdalconstConstants.GMF_PER_DATASET) != 0
                && (flags & (gdalconstConstants.GMF_ALL_VALID | gdalconstConstants.GMF_NODATA)) == 0;
    }

    /**
     * @param ds a dataset
     * @return its 1-based bands but those whose colour interpretation is alpha (GDAL's per-dataset mask of an RGBA
     *     orthophoto or a warped raster: transparency, not a measurement); all bands when every one is alpha
     */
    static int[] dataBands(Dataset ds) {
        int[] data = IntStream.rangeClosed(1, ds.getRasterCount())
                .filter(b -> ds.GetRasterBand(b).GetColorInterpretation() != gdalconstConstants.GCI_AlphaBand)
                .toArray();
        return data.length == 0 ? IntStream.rangeClosed(1, ds.getRasterCount()).toArray() : data;
    }

    /**
     * @param ds the dataset (with a per-dataset mask)
     * @param in the part of {@code window} inside the raster
     * @param window the window read
     * @return per pixel of the window (row-major), true where the mask is non-zero; false outside {@code in}
     * @throws IllegalStateException when GDAL cannot read the mask
     */
    static boolean[] read(Dataset ds, PixelWindow in, PixelWindow window) {
        Band mask = ds.GetRasterBand(1).GetMaskBand();
        byte[] m = new byte[in.width() * in.height()];
        int rc = mask.ReadRaster(in.x(), in.y(), in.width(), in.height(), in.width(), in.height(),
                gdalconstConstants.GDT_Byte, m);
        if (rc != gdalconstConstants.CE_None) {
            throw new IllegalStateException(Gdal.lastError("cannot read the mask band"));
        }
        boolean[] valid = new boolean[window.width() * window.height()];
        for (int row = 0; row < in.height(); row++) {
            int dst = (in.y() - window.y() + row) * window.width() + (in.x() - window.x());
            for (int x = 0; x < in.width(); x++) {
                valid[dst + x] = m[row * in.width() + x] != 0;
            }
        }
        return valid;
    }
}
