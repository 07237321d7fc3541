package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A field's distinct values sort by number for integer and real fields, in natural order for text fields. */
class FieldValueOrderTest {
    @TempDir
    Path tmp;

    @Test
    void distinctValuesOfNumericFieldsSortByNumber() throws IOException {
        // GDAL types the properties from the values: int -> Integer, real -> Real, text -> String
        StringBuilder features = new StringBuilder();
        Object[][] rows = {{10, 10.5, "10"}, {2, 2.0, "2"}, {-1, -1.25, "-1"}, {2, 100.0, "1"}};
        for (Object[] r : rows) {
            features.append(features.length() == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"type\":\"Feature\",\"properties\":{\"int\":%d,\"real\":%.2f,\"text\":\"%s\"},"
                            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}", r[0], r[1], r[2]));
        }
        Path file = Files.writeString(tmp.resolve("values.geojson"),
                "{\"type\":\"FeatureCollection\",\"features\":[" + features + "]}");
        try (VectorSource v = VectorSource.open(file)) {
            assertEquals(List.of("-1", "2", "10"), List.copyOf(v.distinctValues("int")));
            assertEquals(FieldValueOrder.NUMERIC, v.valueOrder("real"));
            assertEquals(List.of("-1.25", "2", "10.5", "100"), List.copyOf(v.distinctValues("real")));
            assertEquals(List.of("-1", "1", "2", "10"), List.copyOf(v.distinctValues("text")));
        }
    }

    @Test
    void textSortsInNaturalOrder() {
        List<String> values = List.of("zone 10", "255", "3", "zone 9", "B", "a", "07", "7", "1", "Zone 2", "x1y10",
                "x1y9", "x01y9", "", "99999999999999999999999", "100000000000000000000000");
        TreeSet<String> sorted = new TreeSet<>(FieldValueOrder.TEXT);
        sorted.addAll(values);
        assertEquals(List.of("", "1", "3", "07", "7", "255", "99999999999999999999999", "100000000000000000000000",
                "B", "Zone 2", "a", "x01y9", "x1y9", "x1y10", "zone 9", "zone 10"), List.copyOf(sorted));
        for (String a : values) { // a total order consistent with equals: antisymmetric and transitive
            assertEquals(0, FieldValueOrder.TEXT.compare(a, a));
            for (String b : values) {
                assertEquals(-Integer.signum(FieldValueOrder.TEXT.compare(b, a)),
                        Integer.signum(FieldValueOrder.TEXT.compare(a, b)), a + " vs " + b);
                for (String c : values) {
                    if (FieldValueOrder.TEXT.compare(a, b) < 0 && FieldValueOrder.TEXT.compare(b, c) < 0) {
                        assertEquals(-1, Integer.signum(FieldValueOrder.TEXT.compare(a, c)), a + " < " + b + " < " + c);
                    }
                }
            }
        }
    }

    @Test
    void numericOrderIsExactBeyondDoublePrecision() {
        TreeSet<String> ids = new TreeSet<>(FieldValueOrder.NUMERIC);
        ids.addAll(List.of("-9007199254740992", "-9007199254740993", "9007199254740993", "9007199254740992", "3"));
        assertEquals(List.of("-9007199254740993", "-9007199254740992", "3", "9007199254740992", "9007199254740993"),
                List.copyOf(ids));
    }
}
