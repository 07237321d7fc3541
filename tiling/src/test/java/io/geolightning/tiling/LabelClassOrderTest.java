package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelSet;
import java.nio.file.Path;
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
}
