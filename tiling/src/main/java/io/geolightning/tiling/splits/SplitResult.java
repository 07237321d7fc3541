package io.geolightning.tiling.splits;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a split: items per subset (in input order) and items dropped because they straddle blocks of
 * different subsets.
 *
 * @param subsets items per split
 * @param dropped items left out of every split
 * @param <T> item type
 */
public record SplitResult<T>(Map<Split, List<T>> subsets, List<T> dropped) {

    /** Copies the map. */
    public SplitResult {
        Map<Split, List<T>> m = new EnumMap<>(Split.class);
        for (Split s : new Split[] {Split.TRAIN, Split.VAL, Split.TEST}) {
            m.put(s, List.copyOf(subsets.getOrDefault(s, List.of())));
        }
        subsets = m;
        dropped = List.copyOf(dropped);
    }

    /** @return the items of one split */
    public List<T> get(Split s) {
        return subsets.getOrDefault(s, List.of());
    }
}
