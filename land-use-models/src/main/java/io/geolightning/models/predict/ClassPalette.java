package io.geolightning.models.predict;

import io.geolightning.models.nn.ModelException;
import io.geolightning.models.tasks.TaskSettings;
import java.awt.Color;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Colours of the class raster's palette: the user's where given (by class name or value), otherwise Tableau's
 * qualitative colours (the default of matplotlib and QGIS's "Random colors" alternative that stays readable on maps).
 */
public final class ClassPalette {

    /** Tableau-like qualitative colours, then repeated with varied brightness. */
    private static final int[] BASE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
        0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5
    };

    private ClassPalette() {
    }

    /**
     * @param classNames the model's classes (class {@code i} has value {@code i})
     * @param custom user colours by class name or value
     * @param nodata the nodata value (transparent black)
     * @return value to colour for every class and nodata
     * @throws ModelException when a key names no class
     */
    public static Map<Integer, Color> of(List<String> classNames, Map<String, Color> custom, int nodata) {
        Map<Integer, Color> byValue = new HashMap<>();
        custom.forEach((key, color) -> byValue.put(classValue(key, classNames), color));
        Map<Integer, Color> table = new LinkedHashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            Color color = byValue.get(c);
            if (color == null) {
                Color base = new Color(BASE[c % BASE.length]);
                int round = c / BASE.length;
                color = round % 2 == 1 ? base.darker() : base;
            }
            table.put(c, color);
        }
        table.put(nodata, new Color(0, 0, 0, 0));
        return table;
    }

    /**
     * @param trained the colours a model was trained with ({@code #rrggbb} by class name)
     * @param given the colours asked for now, by class name or value; they win
     * @return both, as one map for {@link #of}
     */
    public static Map<String, Color> merge(Map<String, String> trained, Map<String, Color> given) {
        Map<String, Color> out = new LinkedHashMap<>();
        trained.forEach((name, hex) -> out.put(name, io.geolightning.geo.ClassLegend.parseHex(hex)));
        out.putAll(given);
        return out;
    }

    private static int classValue(String key, List<String> classNames) {
        int c = TaskSettings.classValue(key, classNames);
        if (c >= 0) {
            return c;
        }
        throw new ModelException("colour for '" + key + "': the model has no such class; its classes are "
                + classNames + " (values 0.." + (classNames.size() - 1) + ")");
    }
}
