package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelSet;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classes derived from a label field's values: numbers by value, text in natural order (digit runs by value). */
class LabelClassOrderTest {
    @TempDir
    Path tmp;

    @Test
    void numericLabelValuesSortByNumberAndTextInNaturalOrder() {
        List<String> squares = List.of(LabelLayers.olindaSquare(-3000, 0, 1000), LabelLayers.olindaSquare(0, 0, 1000),
                LabelLayers.olindaSquare(3000, 0, 1000), LabelLayers.olindaSquare(0, 3000, 1000));
        Path ints = LabelLayers.write(tmp.resolve("ints.gpkg"), "ints", 31985, "code", ogrConstants.OFTInteger,
                squares, List.of(10, 2, 1, 2));
        LabelSet intLabels = LabelSet.load(LabelConfig.classification(ints, "code"));
        assertEquals(List.of("1", "2", "10"), intLabels.classNames());
        assertEquals(2, intLabels.classMap().get("10"));
        Path reals = LabelLayers.write(tmp.resolve("reals.gpkg"), "reals", 31985, "code", ogrConstants.OFTReal,
                squares, List.of(10.0, 2.5, -1.0, 100.0));
        assertEquals(List.of("-1", "2.5", "10", "100"), LabelSet.load(LabelConfig.classification(reals, "code"))
                .classNames());
        Path text = LabelLayers.write(tmp.resolve("text.gpkg"), "text", 31985, "code", ogrConstants.OFTString,
                squares, List.of("10", "2", "1", "2"));
        assertEquals(List.of("1", "2", "10"), LabelSet.load(LabelConfig.classification(text, "code")).classNames());
        Path names = LabelLayers.write(tmp.resolve("names.gpkg"), "names", 31985, "code", ogrConstants.OFTString,
                squares, List.of("zone 10", "zone 9", "Forest", "zone 9"));
        assertEquals(List.of("Forest", "zone 9", "zone 10"), LabelSet.load(LabelConfig.classification(names, "code"))
                .classNames());
    }

    /** One name stored composed (NFC) and decomposed (NFD, as macOS writes) is one class, either form in --classes. */
    @Test
    void aNameInTwoUnicodeFormsIsOneClass() {
        String nfc = "\u00c1gua";
        String nfd = "A\u0301gua";
        List<String> squares = List.of(LabelLayers.olindaSquare(-3000, 0, 1000), LabelLayers.olindaSquare(0, 0, 1000),
                LabelLayers.olindaSquare(3000, 0, 1000));
        Path layer = LabelLayers.write(tmp.resolve("forms.gpkg"), "forms", 31985, "cls", ogrConstants.OFTString,
                squares, List.of(nfc, "Forest", nfd));
        LabelSet found = LabelSet.load(LabelConfig.classification(layer, "cls"));
        assertEquals(List.of("Forest", nfc), found.classNames());
        LabelSet named = LabelSet.load(LabelConfig.classification(layer, "cls").withClassNames(List.of("Forest", nfd)));
        assertEquals(List.of("Forest", nfc), named.classNames());
        assertEquals(1, named.classMap().get(nfc));
    }

    /**
     * A value with spaces around it is the value ("URBANO " is URBANO, as a Shapefile's padded field reads it), and a
     * blank one is no value: unlabelled, as an unset field, so it is an error without an ignore value and ignored with
     * one ("--ignore-value: polygons whose label field is empty ... are ignored too"). Both made classes of their own.
     */
    @Test
    void spacesAroundAValueAreNotAClassAndABlankValueIsNoValue() {
        List<String> squares = List.of(LabelLayers.olindaSquare(-3000, 0, 1500), LabelLayers.olindaSquare(0, 0, 1500),
                LabelLayers.olindaSquare(3000, 0, 1500), LabelLayers.olindaSquare(0, 3000, 1500),
                LabelLayers.olindaSquare(0, -3000, 1500));
        List<String> values = List.of("URBANO", "URBANO ", " RURAL", "", "  ");
        Path layer = LabelLayers.write(tmp.resolve("spaces.gpkg"), "spaces", 31985, "TIPO", ogrConstants.OFTString,
                squares, values);
        TilingException e = assertThrows(TilingException.class,
                () -> LabelSet.load(LabelConfig.classification(layer, "TIPO")));
        assertEquals("spaces.gpkg: feature 4 has no value in field 'TIPO'; fill it, or pass --ignore-value 255"
                + " (data.ignoreValue: 255) to ignore unlabelled polygons", e.getMessage());
        LabelConfig config = LabelConfig.segmentation(layer, "TIPO").withIgnoreValue(255);
        assertEquals(List.of("background", "RURAL", "URBANO"), LabelSet.load(config).classNames());
        Path store = tmp.resolve("spaces.parquet");
        Tiler.run(TilingConfig.builder().scenes(LabelGeometryTest.OLINDA).labels(config).chipSize(32).workers(1)
                .store(store).build());
        List<ChipRow> rows = new ArrayList<>();
        ChipStoreReader.open(store).forEach(rows::add);
        // the mask value at each square's centre: URBANO, URBANO, RURAL, then ignore for the blank ones
        List<Integer> expected = List.of(2, 2, 1, 255, 255);
        double[][] centres = {{-3000, 0}, {0, 0}, {3000, 0}, {0, 3000}, {0, -3000}};
        for (int i = 0; i < centres.length; i++) {
            assertEquals(expected.get(i), maskAt(rows, LabelLayers.OLINDA_X + centres[i][0],
                    LabelLayers.OLINDA_Y + centres[i][1]), "square of '" + values.get(i) + "'");
        }
    }

    /** The mask value of the chip pixel holding map point x, y of the Olinda scene. */
    private static int maskAt(List<ChipRow> rows, double x, double y) {
        for (ChipRow r : rows) {
            if (x >= r.minx() && x < r.maxx() && y > r.miny() && y <= r.maxy()) {
                int px = (int) ((x - r.minx()) / (r.maxx() - r.minx()) * r.width());
                int py = (int) ((r.maxy() - y) / (r.maxy() - r.miny()) * r.height());
                return r.mask()[py * r.width() + px] & 0xFF;
            }
        }
        assertTrue(false, "no chip holds " + x + ", " + y);
        return -1;
    }
}
