package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels that are not usable polygons fail with one line naming the file, the problem and the fix. */
class LabelGeometryTest {
    static final Path OLINDA = TestData.data("olinda/L7_ETMs.tif");

    @TempDir
    Path tmp;

    private static String oneLine(Runnable r) {
        TilingException e = assertThrows(TilingException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    /** {@code n} geometries spread over the Olinda scene: points, or 2 km lines. */
    private static List<String> spread(int n, boolean lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = LabelLayers.OLINDA_X - 4000 + 400 * i;
            double y = LabelLayers.OLINDA_Y - 4000 + 400 * i;
            out.add(lines ? String.format(Locale.ROOT, "LINESTRING (%f %f, %f %f)", x, y, x + 2000, y)
                    : String.format(Locale.ROOT, "POINT (%f %f)", x, y));
        }
        return out;
    }

    private TilingConfig.Builder olinda(LabelConfig labels) {
        return TilingConfig.builder().scenes(OLINDA).labels(labels).chipSize(32).workers(1)
                .store(tmp.resolve("chips.parquet"));
    }

    @Test
    void pointLabelsAreRefusedForClassification() {
        Path points = LabelLayers.write(tmp.resolve("wells.gpkg"), "wells", 31985, "kind", ogrConstants.OFTString,
                spread(20, false), java.util.Collections.nCopies(20, "well"));
        String m = oneLine(() -> Tiler.run(olinda(LabelConfig.classification(points, "kind")).build()));
        assertEquals("wells.gpkg: layer 'wells' holds 20 points (of 20 features), but labels must be polygons; pass a"
                + " polygon layer with --labels (buffer points or lines into polygons first, e.g. with ST_Buffer in"
                + " ogr2ogr -dialect SQLite)", m);
        assertFalse(Files.exists(tmp.resolve("chips.parquet")), "nothing published");
    }

    @Test
    void lineLabelsAreRefusedForSegmentation() {
        Path roads = LabelLayers.write(tmp.resolve("roads.gpkg"), "roads", 31985, "kind", ogrConstants.OFTString,
                spread(20, true), java.util.Collections.nCopies(20, "road"));
        String m = oneLine(() -> Tiler.run(olinda(LabelConfig.segmentation(roads, "kind")).build()));
        assertTrue(m.startsWith("roads.gpkg: layer 'roads' holds 20 lines (of 20 features), but labels must be"
                + " polygons; pass a polygon layer with --labels"), m);
    }

    @Test
    void mixedLayersNameBothKinds() {
        List<String> wkts = new ArrayList<>(spread(2, false));
        wkts.addAll(spread(1, true));
        wkts.add(LabelLayers.olindaSquare(0, 0, 3000));
        Path mixed = LabelLayers.write(tmp.resolve("mixed.gpkg"), "mixed", 31985, "kind", ogrConstants.OFTString,
                wkts, List.of("a", "a", "b", "c"));
        String m = oneLine(() -> LabelSet.load(LabelConfig.classification(mixed, "kind")));
        assertTrue(m.startsWith("mixed.gpkg: layer 'mixed' holds 2 points and 1 line (of 4 features), but labels must"
                + " be polygons"), m);
    }

    @Test
    void missingDbfOfShapefileLabelsSaysSo() throws IOException {
        Path shp = TestData.data("olinda/olinda1.shp");
        for (String ext : new String[] {"shp", "shx", "prj"}) {
            Files.copy(shp.resolveSibling("olinda1." + ext), tmp.resolve("olinda1." + ext));
        }
        String m = oneLine(() -> Tiler.run(olinda(LabelConfig.classification(tmp.resolve("olinda1.shp"), "TIPO"))
                .build()));
        assertTrue(m.contains("olinda1.shp: layer 'olinda1' has no fields because its .dbf sidecar olinda1.dbf"), m);
        assertTrue(m.contains("is missing; copy olinda1.dbf next to olinda1.shp"), m);
    }
}
