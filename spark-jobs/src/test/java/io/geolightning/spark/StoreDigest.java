package io.geolightning.spark;

import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chip store holds, per scene: rows per split, label sums, mask sums and a digest of every chip (split, label,
 * mask and pixel bytes), so two stores can be compared scene by scene.
 */
record StoreDigest(Map<String, Map<String, Long>> counts, Map<String, Long> labelSums, Map<String, Long> maskSums,
                   Map<String, Map<String, Integer>> chips) {

    static StoreDigest of(Path store) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        Map<String, Long> labels = new TreeMap<>();
        Map<String, Long> masks = new TreeMap<>();
        Map<String, Map<String, Integer>> chips = new TreeMap<>();
        ChipStoreReader.open(store).forEach(r -> add(r, counts, labels, masks, chips));
        return new StoreDigest(counts, labels, masks, chips);
    }

    private static void add(ChipRow r, Map<String, Map<String, Long>> counts, Map<String, Long> labels,
                            Map<String, Long> masks, Map<String, Map<String, Integer>> chips) {
        counts.computeIfAbsent(r.scene(), k -> new TreeMap<>()).merge(r.split().id(), 1L, Long::sum);
        labels.merge(r.scene(), r.label() == null ? 0L : r.label().longValue(), Long::sum);
        long m = 0;
        if (r.mask() != null) {
            for (byte b : r.mask()) {
                m += b & 0xFF;
            }
        }
        masks.merge(r.scene(), m, Long::sum);
        int h = r.split().id().hashCode();
        h = 31 * h + (r.label() == null ? -1 : r.label());
        h = 31 * h + Arrays.hashCode(r.mask());
        h = 31 * h + Arrays.hashCode(r.pixels());
        chips.computeIfAbsent(r.scene(), k -> new TreeMap<>()).put(r.chipId(), h);
    }

    /** @return the digest restricted to one scene */
    StoreDigest scene(String scene) {
        return new StoreDigest(Map.of(scene, counts.getOrDefault(scene, Map.of())),
                Map.of(scene, labelSums.getOrDefault(scene, 0L)), Map.of(scene, maskSums.getOrDefault(scene, 0L)),
                Map.of(scene, chips.getOrDefault(scene, Map.of())));
    }
}
