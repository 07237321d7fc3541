package io.geolightning.tiling.splits;

import java.util.Random;

/**
 * Shuffles as {@link java.util.Collections#shuffle(java.util.List, Random)} does (the same swaps, drawing the same
 * numbers), on the positions 0..n-1 instead of a list of items: the splitters can shuffle millions of blocks or chips
 * as one int each, and still deal exactly what shuffling the items themselves dealt.
 */
final class Shuffle {
    private Shuffle() {
    }

    /**
     * @return p where p[i] is the original position of the item that Collections.shuffle would leave at position i
     */
    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n; i > 1; i--) {
            int j = random.nextInt(i);
            int t = p[i - 1];
            p[i - 1] = p[j];
            p[j] = t;
        }
        return p;
    }
}
