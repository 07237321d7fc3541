package io.geolightning.geo;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gdal.ogr.DataSource;

/**
 * A vector layer as QGIS writes its source (Layer Properties, Information, "Source", or a layer's copied source):
 * {@code buildings.gpkg|layername=footprints}, {@code zones.geojson|layerid=0}. GeoLightning's flags name the layer
 * on their own ({@code --layer}, {@code --aoi-layer}); a path in QGIS's form is split here, so a user can paste it.
 * A file whose name holds a {@code |} is taken as it is.
 *
 * @param file the vector file
 * @param layer the layer's name, or null for the first
 */
public record VectorLayerPath(GdalPath file, String layer) {

    private static final String NAME = "layername=";
    private static final String ID = "layerid=";

    /**
     * @param text a vector file, possibly followed by QGIS's {@code |layername=NAME} or {@code |layerid=N}
     * @param layer the layer given on its own (null: none)
     * @param layerFlag the flag that gives it ({@code --layer}), for the message when the two disagree
     * @return the file and the layer to read
     * @throws GeoIOException for a layer id out of range, a QGIS option other than the layer's (a {@code subset}
     *     filter), or a layer named twice, differently
     */
    public static VectorLayerPath parse(String text, String layer, String layerFlag) {
        int bar = text.indexOf('|');
        if (bar < 0 || existsAsWritten(text)) {
            return new VectorLayerPath(GdalPath.of(text), layer);
        }
        GdalPath file = GdalPath.of(text.substring(0, bar));
        String named = null;
        for (String part : text.substring(bar + 1).split("\\|")) {
            String lower = part.toLowerCase(Locale.ROOT);
            if (lower.startsWith(NAME)) {
                named = part.substring(NAME.length());
            } else if (lower.startsWith(ID)) {
                named = layerById(file, part.substring(ID.length()));
            } else if (lower.startsWith("subset=")) {
                throw GeoIOException.of(file, "QGIS's filter '|" + part + "' is not read here",
                        "write the filtered layer to a file first (ogr2ogr -where \"...\" filtered.gpkg "
                                + file.fileName() + ") and pass that");
            } else {
                throw GeoIOException.of(file, "QGIS's option '|" + part + "' is not read here (only |layername="
                        + " and |layerid=)", "pass the file alone and name its layer with " + layerFlag);
            }
        }
        if (layer != null && named != null && !layer.equals(named)) {
            throw GeoIOException.of(file, "'|layername=" + named + "' and " + layerFlag + " " + layer
                    + " name two layers", "name the layer once");
        }
        return new VectorLayerPath(file, named != null ? named : layer);
    }

    private static boolean existsAsWritten(String text) {
        try {
            return !GdalPath.isVirtual(text) && Files.exists(Path.of(text));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** QGIS's layer id is the layer's index in the file, from 0. */
    private static String layerById(GdalPath file, String id) {
        DataSource ds = VectorOpening.dataSource(file);
        try {
            List<String> names = VectorOpening.layerNames(ds);
            int index;
            try {
                index = Integer.parseInt(id.trim());
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= names.size()) {
                throw GeoIOException.of(file, "has no layer id " + id + " (ids 0 to " + (names.size() - 1) + ": "
                        + String.join(", ", names) + ")", "pass one of these ids or |layername=NAME");
            }
            return names.get(index);
        } finally {
            ds.delete();
        }
    }
}
