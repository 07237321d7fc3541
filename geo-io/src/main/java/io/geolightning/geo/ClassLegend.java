package io.geolightning.geo;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The classes of a class raster as GIS tools show them: each class value with its name and colour. A raster written
 * with a legend ({@link RasterWriter.Builder#legend(ClassLegend)}) carries it three ways: its colour table (in the
 * file), GDAL category names and a raster attribute table (value, class name, red, green, blue, alpha; the GTiff
 * driver keeps both in the {@code .aux.xml} sidecar, which keeps a COG valid), and a QGIS style file beside it
 * ({@code <name>.qml}, a paletted renderer with the class labels, which QGIS applies when it opens the raster).
 *
 * @param entries the classes, in value order
 */
public record ClassLegend(List<Entry> entries) {

    /**
     * One class.
     *
     * @param value its pixel value (0..65535)
     * @param name its name
     * @param color its colour
     */
    public record Entry(int value, String name, Color color) {

        /** Checks the entry. */
        public Entry {
            if (value < 0 || value > 65535) {
                throw new GeoIOException("class value " + value + " is outside 0..65535; class rasters are UINT8 or"
                        + " UINT16");
            }
            if (name == null || name.isBlank()) {
                throw new GeoIOException("class " + value + " has no name; give every class a name");
            }
            if (color == null) {
                throw new GeoIOException("class " + name + " has no colour");
            }
        }
    }

    /** Sorts the entries by value; a value given twice is refused. */
    public ClassLegend {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::value));
        Set<Integer> seen = new HashSet<>();
        for (Entry e : sorted) {
            if (!seen.add(e.value())) {
                throw new GeoIOException("class value " + e.value() + " is given twice in the legend");
            }
        }
        entries = List.copyOf(sorted);
    }

    /**
     * @param names class names; class {@code i} has value {@code i}
     * @param colors colour of each class value (every value needs one)
     * @return the legend
     */
    public static ClassLegend of(List<String> names, Map<Integer, Color> colors) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            entries.add(new Entry(i, names.get(i), colors.get(i)));
        }
        return new ClassLegend(entries);
    }

    /** @return GDAL's category names: index = pixel value, "" where a value has no class */
    public List<String> categoryNames() {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            while (names.size() < e.value()) {
                names.add("");
            }
            names.add(e.name());
        }
        return names;
    }

    /**
     * @param color a colour
     * @return {@code #rrggbb}
     */
    public static String hex(Color color) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", color.getRed(), color.getGreen(), color.getBlue());
    }

    /**
     * @param text {@code #rrggbb}, {@code rrggbb} or {@code #rgb}
     * @return the colour (opaque)
     * @throws IllegalArgumentException when the text is not a hex colour
     */
    public static Color parseHex(String text) {
        String t = text.strip();
        if (t.startsWith("#")) {
            t = t.substring(1);
        }
        if (t.length() == 3) {
            t = "" + t.charAt(0) + t.charAt(0) + t.charAt(1) + t.charAt(1) + t.charAt(2) + t.charAt(2);
        }
        if (!t.matches("[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("'" + text + "' is not a colour; write it as #rrggbb (e.g. #d62728)");
        }
        return new Color(Integer.parseInt(t, 16));
    }

    /**
     * @param raster a class raster's path
     * @return the files its legend is written to beside it: GDAL's {@code .aux.xml} and the QGIS style
     *     {@code <stem>.qml} (which QGIS applies to any raster of that stem)
     */
    public static List<Path> sidecarsOf(Path raster) {
        return List.of(LegendFiles.auxOf(raster), LegendFiles.qmlOf(raster));
    }
}
