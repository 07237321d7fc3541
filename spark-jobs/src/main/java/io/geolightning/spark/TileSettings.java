package io.geolightning.spark;

import io.geolightning.tiling.TilingSettings;
import io.geolightning.tiling.TilingSettingsBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The scene-list columns of the tile job: the keys of {@link TilingSettings} (the run config's {@code data} keys), each
 * overriding the job's options (its defaults) for one scene. Matched in any case, '_' or '-' ignored.
 */
final class TileSettings {

    /** Scene-list columns (besides {@code raster}) in canonical spelling: the tiling settings' keys. */
    static final List<String> COLUMNS = io.geolightning.app.config.RunConfigLoader.validKeys(TilingSettings.class);

    /** Other spellings accepted in a scene list. */
    static final Map<String, String> ALIASES = Map.of("chip", "chipSize", "vector", "labels",
            "field", "labelField", "ignore", "ignoreValue", "valFraction", "val", "testFraction", "test");

    private TileSettings() {
    }

    /**
     * @param defaults the job's settings
     * @param e a scene-list row
     * @return the settings with the row's non-empty cells in place of the defaults
     */
    static TilingSettings overriddenBy(TilingSettings defaults, SceneList.Entry e) {
        TilingSettingsBuilder b = defaults.toBuilder();
        set(e, "labels", k -> Objects.toString(e.input(k), null), b::labels);
        set(e, "layer", e::string, b::layer);
        set(e, "labelField", e::string, b::labelField);
        set(e, "mode", e::string, b::mode);
        set(e, "classes", e::list, b::classes);
        set(e, "background", e::string, b::background);
        set(e, "ignoreValue", k -> whole(e, k), b::ignoreValue);
        set(e, "minCoverage", e::number, b::minCoverage);
        set(e, "allTouched", e::bool, b::allTouched);
        set(e, "chipSize", k -> whole(e, k), b::chipSize);
        set(e, "stride", k -> whole(e, k), b::stride);
        set(e, "edge", e::string, b::edge);
        set(e, "maxNodata", e::number, b::maxNodata);
        set(e, "split", e::string, b::split);
        set(e, "val", e::number, b::val);
        set(e, "test", e::number, b::test);
        set(e, "block", e::string, b::block);
        set(e, "seed", e::integer, b::seed);
        set(e, "unknown", e::string, b::unknown);
        return b.build();
    }

    /** Passes the cell {@code key}, read with {@code read}, to {@code to} unless it is empty. */
    private static <T> void set(SceneList.Entry e, String key, Function<String, T> read, Consumer<T> to) {
        T v = read.apply(key);
        if (v != null) {
            to.accept(v);
        }
    }

    private static Integer whole(SceneList.Entry e, String key) {
        Long v = e.integer(key);
        return v == null ? null : v.intValue();
    }
}
