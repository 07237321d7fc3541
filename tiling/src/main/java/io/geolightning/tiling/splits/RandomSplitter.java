package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
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
    private static final int MAX_ITEMS = Integer.MAX_VALUE - 8;

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
            int[] order = Shuffle.permutation(g.size(), random);
            int[] sizes = sizes(g.size());
            for (int p = 0; p < order.length; p++) {
                out.computeIfAbsent(splitAt(p, sizes), k -> new ArrayList<>()).add(g.get(order[p]));
            }
        }
        return new SplitResult<>(out, List.of());
    }

    /**
     * The plain split of {@code n} items by position, as {@link #split(List)} splits a list of {@code n} items: one
     * byte per item (and four more while shuffling), not the items themselves.
     *
     * @throws TilingException when {@code n} is more than an array can hold
     */
    public ItemSplits splitPositions(long n) {
        if (n > MAX_ITEMS) {
            throw new TilingException("random split of " + n + " chips: more than " + MAX_ITEMS + " to shuffle; use a"
                    + " spatial split (--split spatial), a larger chip size or a larger stride");
        }
        int[] order = Shuffle.permutation((int) n, new Random(seed));
        int[] sizes = sizes((int) n);
        byte[] split = new byte[(int) n];
        for (int p = 0; p < order.length; p++) {
            split[order[p]] = (byte) splitAt(p, sizes).ordinal();
        }
        return new ItemSplits() {
            @Override
            public Split of(long index, SpatialItem item) {
                return Split.values()[split[(int) index]];
            }

            @Override
            public boolean drops() {
                return false;
            }
        };
    }

    /** @return how many of {@code n} shuffled items go to train and to validation (the rest is test) */
    private int[] sizes(int n) {
        int nVal = (int) Math.round(ratios.val() * n);
        int nTest = (int) Math.round(ratios.test() * n);
        if (nVal + nTest > n) {
            nTest = n - nVal;
        }
        return new int[] {n - nVal - nTest, nVal};
    }

    private static Split splitAt(int position, int[] sizes) {
        return position < sizes[0] ? Split.TRAIN : position < sizes[0] + sizes[1] ? Split.VAL : Split.TEST;
    }
}
