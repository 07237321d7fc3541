package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * k-fold cross-validation over spatial blocks: blocks are shuffled with the seed and dealt round-robin to k folds;
 * fold i validates on its blocks and trains on the others (strict: items reaching into a block on the other side are
 * dropped from that fold).
 */
public final class SpatialKFold {
    private final BlockGrid grid;
    private final int k;
    private final long seed;

    /**
     * @param grid block grid
     * @param k number of folds (at least 2)
     * @param seed shuffling seed
     */
    public SpatialKFold(BlockGrid grid, int k, long seed) {
        if (k < 2) {
            throw new TilingException("k-fold: k = " + k + " folds; use k >= 2");
        }
        this.grid = grid;
        this.k = k;
        this.seed = seed;
    }

    /** @return k folds; in each, TRAIN and VAL are filled and TEST is empty */
    public <T extends SpatialItem> List<SplitResult<T>> folds(List<T> items) {
        TreeSet<BlockKey> keys = new TreeSet<>();
        items.forEach(it -> keys.add(grid.blockOf(it)));
        if (keys.size() < k) {
            throw new TilingException("k-fold: only " + keys.size() + " block(s) hold chips, fewer than k = " + k
                    + "; use a smaller block size or fewer folds");
        }
        List<BlockKey> order = new ArrayList<>(keys);
        Collections.shuffle(order, new Random(seed));
        List<SplitResult<T>> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            Map<BlockKey, Split> blocks = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                blocks.put(order.get(i), i % k == f ? Split.VAL : Split.TRAIN);
            }
            out.add(SpatialBlockSplitter.apply(items, blocks, grid, true));
        }
        return out;
    }
}
