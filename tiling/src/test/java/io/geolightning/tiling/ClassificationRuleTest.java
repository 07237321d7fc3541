package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.labels.ClassificationRule;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Majority by area vs a minimum coverage with a background class or skipping, on Olinda. */
class ClassificationRuleTest {
    @TempDir
    Path tmp;

    private Map<String, String> labelsById(Path store) {
        Map<String, String> out = new HashMap<>();
        var reader = ChipStoreReader.open(store);
        var names = reader.requireMetadata().classNames();
        reader.forEach(r -> out.put(r.chipId(), names.get(r.label())));
        return out;
    }

    @Test
    void minimumCoverageFallsBackToBackgroundOrSkips() {
        Path tif = TestData.data("olinda/L7_ETMs.tif");
        LabelConfig base = LabelConfig.classification(TestData.data("olinda/olinda1.shp"), "TIPO");
        TilingConfig.Builder b = TilingConfig.builder().scenes(tif).chipSize(48).workers(2);
        TilingResult majority = Tiler.run(b.labels(base).store(tmp.resolve("m.parquet")).build());
        TilingResult mixed = Tiler.run(b.labels(base.withRule(ClassificationRule.minCoverage(0.95))
                .withBackground("MIXED")).store(tmp.resolve("b.parquet")).build());
        TilingResult skip = Tiler.run(b.labels(base.withRule(ClassificationRule.minCoverage(0.95)))
                .store(tmp.resolve("s.parquet")).build());

        assertEquals(java.util.List.of("MIXED", "RURAL", "URBANO"), mixed.metadata().classNames());
        Map<String, String> m = labelsById(tmp.resolve("m.parquet"));
        Map<String, String> x = labelsById(tmp.resolve("b.parquet"));
        Map<String, String> s = labelsById(tmp.resolve("s.parquet"));
        long background = x.values().stream().filter("MIXED"::equals).count();
        assertTrue(background > 0 && background < x.size(), "mixed chips: " + background + " of " + x.size());
        assertEquals(mixed.candidates(), x.size(), "background keeps every chip");
        assertEquals(majority.candidates(), m.size() + majority.skippedUnlabelled(), "majority skips chips on no polygon");
        assertEquals(x.size() - background, s.size(), "without a background the mixed chips are skipped");
        assertEquals(background, skip.skippedUnlabelled());
        for (var e : s.entrySet()) {
            assertEquals(m.get(e.getKey()), e.getValue(), "a well-covered chip has its majority class");
            assertEquals(x.get(e.getKey()), e.getValue());
        }
        ChipRow any = ChipStoreReader.open(tmp.resolve("m.parquet")).rows().next();
        assertEquals(48, any.width());
    }
}
