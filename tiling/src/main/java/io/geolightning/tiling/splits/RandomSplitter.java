package io.geolightning.tiling.splits;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Random train/val/test split for non-spatial data (e.g. pre-chipped image folders), optionally stratified: each
 * stratum (class) is split on its own so every class keeps the ratios. Deterministic for a given seed and input.
 */
public final class RandomSplitter {
    private final SplitRatios ratios;
    private final long seed;

    /**
     * @param ratios target fractions
     * @param seed shuffling seed
     */
    public RandomSplitter(SplitRatios ratios, long seed) {
        this.ratios = ratios;
        this.seed = seed;
    }

    /** Plain random split. */
    public <T> SplitResult<T> split(List<T> items) {
        return split(items, t -> "");
    }

    /** Stratified split: items with equal {@code stratum} are split together (each gets the ratios). */
    public <T> SplitResult<T> split(List<T> items, Function<T, ?> stratum) {
        Map<Object, List<T>> groups = new LinkedHashMap<>();
        items.forEach(it -> groups.computeIfAbsent(stratum.apply(it), k -> new ArrayList<>()).add(it));
        Map<Split, List<T>> out = new EnumMap<>(Split.class);
        Random random = new Random(seed);
        for (List<T> g : groups.values()) {
            List<T> shuffled = new ArrayList<>(g);
            java.util.Collections.shuffle(shuffled, random);
            int n = shuffled.size();
            int nVal = (int) Math.round(ratios.val() * n);
            int nTest = (int) Math.round(ratios.test() * n);
            if (nVal + nTest > n) {
                nTest = n - nVal;
            }
            int nTrain = n - nVal - nTest;
            out.computeIfAbsent(Split.TRAIN, k -> new ArrayList<>()).addAll(shuffled.subList(0, nTrain));
            out.computeIfAbsent(Split.VAL, k -> new ArrayList<>()).addAll(shuffled.subList(nTrain, nTrain + nVal));
            out.computeIfAbsent(Split.TEST, k -> new ArrayList<>()).addAll(shuffled.subList(nTrain + nVal, n));
        }
        return new SplitResult<>(out, List.of());
    }
}
