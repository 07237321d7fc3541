package io.geolightning.app.cli;

import io.geolightning.app.report.Numbers;
import io.geolightning.geo.BandScale;
import io.geolightning.geo.Crs;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.GeoTransform;
import io.geolightning.geo.RasterStructure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.locationtech.jts.geom.Envelope;

/** Prints what {@code info} knows about a raster. */
final class RasterDescriber {

    private final PrintWriter out;

    RasterDescriber(PrintWriter out) {
        this.out = out;
    }

    void describe(GeoRaster r) {
        Table t = new Table(out, 14);
        t.title("raster " + r.path());
        t.row("size", r.width() + " x " + r.height() + " pixels");
        int alpha = r.bandCount() - r.dataBands().length;
        t.row("bands", r.bandCount() + " (" + r.dataType().name().toLowerCase(Locale.ROOT) + ")" + (alpha == 0 ? ""
                : "; " + alpha + " alpha (transparency): tile and predict read the other " + r.dataBands().length));
        RasterStructure s = RasterStructure.of(r);
        structure(t, r, s);
        t.row("nodata", nodata(r));
        scales(r, t);
        t.row("crs", r.crs().map(RasterDescriber::crs).orElseGet(() -> "none (" + r.missingCrsFix() + ")"));
        if (r.hasGeoTransform()) {
            GeoTransform g = r.geoTransform();
            t.row("geotransform", Numbers.nums(g.toGdal()) + (r.storedMirrored()
                    ? " (stored south-up or east-to-west; tile and predict read it north-up, as here)" : ""));
            t.row("pixel size", Numbers.num(g.pixelSizeX()) + " x " + Numbers.num(g.pixelSizeY())
                    + (g.hasRotation() ? " (rotated)" : ""));
            Envelope b = r.bounds();
            t.row("bounds", "minx " + Numbers.num(b.getMinX()) + ", miny " + Numbers.num(b.getMinY()) + ", maxx "
                    + Numbers.num(b.getMaxX()) + ", maxy " + Numbers.num(b.getMaxY()));
        } else {
            t.row("geotransform", "none (pixel coordinates only)");
        }
        t.row("block size", r.blockSize().width() + " x " + r.blockSize().height());
        List<String> names = new ArrayList<>();
        for (int b = 1; b <= r.bandCount(); b++) {
            String d = r.bandDescription(b);
            names.add(d == null || d.isBlank() ? "-" : d);
        }
        if (names.stream().anyMatch(n -> !n.equals("-"))) {
            t.row("band names", String.join(", ", names));
        }
        Map<String, String> md = r.metadata();
        if (md != null) {
            md.forEach((k, v) -> t.row("metadata " + k, v));
        }
    }

    /** Bits, palette, overviews and mask: what gdalinfo shows and changes what tile and predict read. */
    private static void structure(Table t, GeoRaster r, RasterStructure s) {
        if (Arrays.stream(s.nbits()).anyMatch(n -> n > 0)) {
            List<String> bits = Arrays.stream(s.nbits()).mapToObj(n -> n > 0 ? Integer.toString(n) : "full").toList();
            String type = r.dataType().name().toLowerCase(Locale.ROOT);
            long max = (1L << Arrays.stream(s.nbits()).max().orElse(1)) - 1;
            t.row("bits", (bits.stream().distinct().count() == 1 ? bits.get(0) : String.join(", ", bits))
                    + " (NBITS: values 0.." + max + ", read as " + type + ")");
        }
        if (s.paletteBands().length > 0) {
            t.row("palette", "band " + Arrays.stream(s.paletteBands()).mapToObj(Integer::toString)
                    .collect(Collectors.joining(", ")) + ", " + s.paletteEntries() + " colours: " + (s
                    .colourPaletteBands().length == 0 ? "a grey ramp, read as its indices"
                    : "values are colour indices; tile and predict refuse it as an image (gdal_translate -expand"
                    + " rgb), a label raster reads each value as a class"));
        }
        t.row("overviews", s.overviews().isEmpty() ? "none" : s.overviews().size() + " (" + s.overviews().stream()
                .map(RasterStructure.Size::toString).collect(Collectors.joining(", ")) + ")");
        if (s.mask() == RasterStructure.Mask.DATASET) {
            t.row("mask", "per-dataset (internal or .msk): tile and predict read masked pixels as no data");
        } else if (s.mask() == RasterStructure.Mask.BAND) {
            t.row("mask", "per band: not read (tile and predict go by nodata, alpha and per-dataset masks)");
        }
    }

    static String crs(Crs c) {
        return c.name() + c.epsg().stream().mapToObj(e -> " (EPSG:" + e + ")").findFirst().orElse(" (no EPSG code)");
    }

    /** A row only when a band declares a scale or offset, with what GeoLightning does with them. */
    private static void scales(GeoRaster r, Table t) {
        List<String> values = new ArrayList<>();
        boolean any = false;
        for (int b = 1; b <= r.bandCount(); b++) {
            BandScale s = r.scale(b);
            any |= s.isSet();
            values.add(Numbers.num(s.scale()) + " / " + Numbers.num(s.offset()));
        }
        if (any) {
            t.row("scale/offset", (values.stream().distinct().count() == 1 ? values.get(0) + " (all bands)"
                    : String.join(", ", values)) + "; not applied: tile, train and predict read the stored values"
                    + " (gdal_translate -unscale -ot Float32 applies them)");
        }
    }

    private static String nodata(GeoRaster r) {
        List<String> values = new ArrayList<>();
        boolean any = false;
        for (int b = 1; b <= r.bandCount(); b++) {
            OptionalDouble nd = r.nodata(b);
            any |= nd.isPresent();
            values.add(nd.isPresent() ? Numbers.num(nd.getAsDouble()) : "none");
        }
        if (!any) {
            return "none";
        }
        return values.stream().distinct().count() == 1 ? values.get(0) + " (all bands)" : String.join(", ", values);
    }
}
