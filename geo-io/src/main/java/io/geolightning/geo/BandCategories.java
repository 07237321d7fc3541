package io.geolightning.geo;

import java.util.Map;
import java.util.TreeMap;
import java.util.Vector;
import org.gdal.gdal.Band;
import org.gdal.gdal.RasterAttributeTable;
import org.gdal.gdalconst.gdalconstConstants;

/**
 * The class names a band gives its values: GDAL's category names, else its raster attribute table (the first name or
 * string column, by the value column).
 */
final class BandCategories {

    private BandCategories() {
    }

    /**
     * @param band the band
     * @return value -> name for the values that have a (non-blank) name; empty when the band names none
     */
    static Map<Integer, String> of(Band band) {
        Map<Integer, String> out = new TreeMap<>();
        Vector<?> names = band.GetCategoryNames();
        if (names != null) {
            for (int v = 0; v < names.size(); v++) {
                String n = names.get(v) == null ? "" : names.get(v).toString().trim();
                if (!n.isEmpty()) {
                    out.put(v, n);
                }
            }
        }
        RasterAttributeTable rat = out.isEmpty() ? band.GetDefaultRAT() : null;
        if (rat != null) {
            int value = -1;
            int name = -1;
            for (int c = 0; c < rat.GetColumnCount(); c++) {
                int usage = rat.GetUsageOfCol(c);
                if (value < 0 && (usage == gdalconstConstants.GFU_MinMax || usage == gdalconstConstants.GFU_Min)) {
                    value = c;
                } else if (name < 0 && (usage == gdalconstConstants.GFU_Name
                        || rat.GetTypeOfCol(c) == gdalconstConstants.GFT_String)) {
                    name = c;
                }
            }
            for (int row = 0; name >= 0 && row < rat.GetRowCount(); row++) {
                String n = rat.GetValueAsString(row, name);
                int v = value >= 0 ? rat.GetValueAsInt(row, value) : row;
                if (n != null && !n.isBlank()) {
                    out.put(v, n.trim());
                }
            }
        }
        return out;
    }
}
