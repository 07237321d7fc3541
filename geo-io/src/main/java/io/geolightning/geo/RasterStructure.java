package io.geolightning.geo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.gdal.gdal.Band;
import org.gdal.gdal.ColorTable;
import org.gdal.gdal.Dataset;
import org.gdal.gdalconst.gdalconstConstants;

/**
 * What {@code gdalinfo} shows about how a raster's pixels are stored, and that changes how they are read: bands of
 * fewer bits than their data type ({@code NBITS}), colour-table (palette) bands, overviews, and the mask GDAL applies.
 *
 * @param nbits per band (index 0 = band 1), its {@code NBITS} (e.g. 1 for a 1-bit mask in a uint8 band), or 0 for the
 *     data type's full width
 * @param paletteBands the 1-based bands with a colour table: their values are indices into it, not measurements
 * @param paletteEntries the colour-table entries of the first palette band (0 without one)
 * @param colourPaletteBands the palette bands whose table is not a grey ramp (entries grey, each brighter than the
 *     one before, such as the black and white table GDAL gives 1-bit TIFFs): their indices are not in the order of
 *     their colours
 * @param overviews band 1's overviews (reduced-resolution copies), largest first
 * @param mask what GDAL masks band 1's pixels with
 */
public record RasterStructure(int[] nbits, int[] paletteBands, int paletteEntries, int[] colourPaletteBands,
                              List<Size> overviews, Mask mask) {

    /** Where a raster's invalid pixels come from (GDAL's mask flags of band 1). */
    public enum Mask {
        /** Every pixel is valid. */
        NONE,
        /** The band's nodata value. */
        NODATA,
        /** An alpha band (transparency). */
        ALPHA,
        /** A per-dataset mask that is no band: an internal mask or a {@code .msk} file. */
        DATASET,
        /** A mask of each band of its own (GeoLightning reads nodata and per-dataset masks only). */
        BAND
    }

    /**
     * @param width pixels
     * @param height pixels
     */
    public record Size(int width, int height) {
        @Override
        public String toString() {
            return width + " x " + height;
        }
    }

    /**
     * @param r an open raster
     * @return its structure
     */
    public static RasterStructure of(GeoRaster r) {
        synchronized (r) {
            Dataset ds = r.dataset();
            int n = ds.getRasterCount();
            int[] nbits = new int[n];
            List<Integer> palettes = new ArrayList<>();
            List<Integer> colours = new ArrayList<>();
            int entries = 0;
            for (int b = 1; b <= n; b++) {
                Band band = ds.GetRasterBand(b);
                nbits[b - 1] = nbits(band);
                ColorTable ct = band.GetColorInterpretation() == gdalconstConstants.GCI_PaletteIndex
                        ? band.GetColorTable() : null;
                if (ct != null) {
                    entries = palettes.isEmpty() ? ct.GetCount() : entries;
                    palettes.add(b);
                    if (!greyRamp(ct)) {
                        colours.add(b);
                    }
                }
            }
            Band first = ds.GetRasterBand(1);
            List<Size> overviews = new ArrayList<>();
            for (int i = 0; i < first.GetOverviewCount(); i++) {
                Band o = first.GetOverview(i);
                overviews.add(new Size(o.getXSize(), o.getYSize()));
            }
            return new RasterStructure(nbits, palettes.stream().mapToInt(Integer::intValue).toArray(), entries,
                    colours.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(overviews),
                    mask(first.GetMaskFlags()));
        }
    }

    /**
     * Refuses a raster whose data bands hold colour-table indices: a model would learn the palette's order (index 7
     * next to 8 whatever their colours), not the colours. A grey-ramp palette (a 1-bit TIFF's black and white) is read
     * as its indices, which keep the order of its greys. Label rasters are not checked: their values are classes.
     *
     * @param r an image to tile or classify
     * @throws GeoIOException naming the raster, the bands and the {@code gdal_translate -expand} that makes an RGB(A)
     *     image of it
     */
    public static void requireNoPalette(GeoRaster r) {
        RasterStructure s = of(r);
        int[] data = r.dataBands();
        int[] paletted = Arrays.stream(s.colourPaletteBands()).filter(b -> Arrays.stream(data).anyMatch(d -> d == b))
                .toArray();
        if (paletted.length > 0) {
            String bands = Arrays.stream(paletted).mapToObj(Integer::toString).collect(Collectors.joining(", "));
            throw GeoIOException.of(r.path(), (paletted.length == 1 ? "band " : "bands ") + bands + " is a colour"
                    + " table (palette) band, whose values are colour indices, not measurements", "expand it to its"
                    + " colours first: gdal_translate -expand rgb " + r.path().fileName() + " rgb.tif (-expand gray for"
                    + " a grey palette, rgba for one with transparency)");
        }
    }

    private static boolean greyRamp(ColorTable ct) {
        int previous = -1;
        for (int i = 0; i < ct.GetCount(); i++) {
            java.awt.Color c = ct.GetColorEntry(i);
            if (c.getRed() != c.getGreen() || c.getRed() != c.getBlue() || c.getRed() <= previous) {
                return false;
            }
            previous = c.getRed();
        }
        return true;
    }

    private static int nbits(Band band) {
        String v = band.GetMetadataItem("NBITS", "IMAGE_STRUCTURE");
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Mask mask(int flags) {
        if ((flags & gdalconstConstants.GMF_ALL_VALID) != 0) {
            return Mask.NONE;
        }
        if ((flags & gdalconstConstants.GMF_NODATA) != 0) {
            return Mask.NODATA;
        }
        if ((flags & gdalconstConstants.GMF_PER_DATASET) == 0) {
            return Mask.BAND;
        }
        return (flags & gdalconstConstants.GMF_ALPHA) != 0 ? Mask.ALPHA : Mask.DATASET;
    }
}
