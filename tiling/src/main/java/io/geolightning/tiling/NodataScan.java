package io.geolightning.tiling;

/**
 * Share of nodata pixels in raw band-major chip pixels, with GDAL's per-dataset mask semantics (as geo-io's
 * RasterWindow.nodataFraction): a pixel is nodata when every band holds its nodata value (or NaN). One pass, with a
 * fast path for uint8.
 */
public final class NodataScan {
    private NodataScan() {
    }

    /** True when some band has no nodata value or never holds it: then no pixel is nodata in every band. */
    private static boolean someBandNeverNodata(byte[] px, int bands, int ppb, Double[] nodata) {
        for (int b = 0; b < bands; b++) {
            Double nd = nodata == null ? null : nodata[b];
            if (nd == null || nd != Math.rint(nd) || nd < 0 || nd > 255) {
                return true;
            }
            byte v = (byte) nd.intValue();
            boolean seen = false;
            for (int i = b * ppb, end = i + ppb; i < end && !seen; i++) {
                seen = px[i] == v;
            }
            if (!seen) {
                return true;
            }
        }
        return false;
    }

    /** @return nodata pixels / all pixels, 0..1 */
    public static double fraction(byte[] px, DataType dtype, int bands, int pixelsPerBand, Double[] nodata) {
        boolean floating = dtype == DataType.FLOAT32 || dtype == DataType.FLOAT64;
        boolean any = floating;
        for (int b = 0; b < bands; b++) {
            any |= nodata != null && nodata[b] != null;
        }
        if (!any || pixelsPerBand == 0) {
            return pixelsPerBand == 0 ? 1 : 0;
        }
        if (dtype == DataType.UINT8 && someBandNeverNodata(px, bands, pixelsPerBand, nodata)) {
            return 0;
        }
        boolean[] invalid = new boolean[pixelsPerBand];
        java.util.Arrays.fill(invalid, true);
        for (int b = 0; b < bands; b++) {
            Double nd = nodata == null ? null : nodata[b];
            int base = b * pixelsPerBand;
            if (dtype == DataType.UINT8) {
                int v0 = nd != null && nd == Math.rint(nd) && nd >= 0 && nd <= 255 ? nd.intValue() : -1;
                for (int i = 0; i < pixelsPerBand; i++) {
                    invalid[i] &= (px[base + i] & 0xFF) == v0;
                }
            } else {
                double ndv = nd == null ? Double.NaN : nd;
                for (int i = 0; i < pixelsPerBand; i++) {
                    if (invalid[i]) {
                        double v = dtype.get(px, base + i);
                        invalid[i] = Double.isNaN(v) || v == ndv;
                    }
                }
            }
        }
        int n = 0;
        for (boolean x : invalid) {
            n += x ? 1 : 0;
        }
        return n / (double) pixelsPerBand;
    }
}
