package io.geolightning.tiling;

/**
 * Share of nodata pixels in raw band-major chip pixels, with GDAL's per-dataset mask semantics (as geo-io's
 * RasterWindow.nodataFraction): a pixel is nodata when every band holds its nodata value (or NaN or an infinity). One
 * pass, with a fast path for uint8.
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
    public static double fraction(byte[] px, ChipDataType dtype, int bands, int pixelsPerBand, Double[] nodata) {
        boolean floating = dtype == ChipDataType.FLOAT32 || dtype == ChipDataType.FLOAT64;
        boolean any = floating;
        for (int b = 0; b < bands; b++) {
            any |= nodata != null && nodata[b] != null;
        }
        if (!any || pixelsPerBand == 0) {
            return pixelsPerBand == 0 ? 1 : 0;
        }
        if (dtype == ChipDataType.UINT8) {
            if (someBandNeverNodata(px, bands, pixelsPerBand, nodata)) {
                return 0;
            }
            int[] nd = new int[bands];
            for (int b = 0; b < bands; b++) {
                nd[b] = nodata[b].intValue();
            }
            int n = 0;
            for (int i = 0; i < pixelsPerBand; i++) {
                boolean all = true;
                for (int b = 0, o = i; b < bands && all; b++, o += pixelsPerBand) {
                    all = (px[o] & 0xFF) == nd[b];
                }
                n += all ? 1 : 0;
            }
            return n / (double) pixelsPerBand;
        }
        int n = 0;
        for (int i = 0; i < pixelsPerBand; i++) {
            boolean all = true;
            for (int b = 0; b < bands && all; b++) {
                Double nd = nodata == null ? null : nodata[b];
                double v = dtype.get(px, b * pixelsPerBand + i);
                all = !Double.isFinite(v) || (nd != null && v == nd);
            }
            n += all ? 1 : 0;
        }
        return n / (double) pixelsPerBand;
    }
}
