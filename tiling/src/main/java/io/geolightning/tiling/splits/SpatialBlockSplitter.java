package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Splits items into train/val/test by spatial blocks so that no block contributes to two splits: each item goes to
 * the block holding its centre, blocks are shuffled with the seed and dealt to the split furthest below its target
 * share of items, and (strict mode, the default) an item whose extent reaches into a block of another split is
 * dropped, so overlapping chips never leak pixels across splits. Deterministic for a given seed and input.
 */
public final class SpatialBlockSplitter {
    private final BlockGrid grid;
    private final SplitRatios ratios;
    private final long seed;
    private final boolean strict;

    /**
     * @param grid block grid
     * @param ratios target fractions of items
     * @param seed shuffling seed
     * @param strict drop items reaching into a block of another split
     */
    public SpatialBlockSplitter(BlockGrid grid, SplitRatios ratios, long seed, boolean strict) {
        this.grid = grid;
        this.ratios = ratios;
        this.seed = seed;
        this.strict = strict;
    }

    /** Strict splitter. */
    public SpatialBlockSplitter(BlockGrid grid, SplitRatios ratios, long seed) {
        this(grid, ratios, seed, true);
    }

    /** @return the block grid */
    public BlockGrid grid() {
        return grid;
    }

    /** Splits {@code items}; each subset keeps input order. */
    public <T extends SpatialItem> SplitResult<T> split(List<T> items) {
        return distribute(items, assign(BlockCounts.ofItems(grid, items))::of, grid, strict);
    }

    /** Assigns every block holding an item's centre to a split. */
    public <T extends SpatialItem> Map<BlockKey, Split> assignBlocks(List<T> items) {
        return assign(BlockCounts.ofItems(grid, items)).asMap();
    }

    /**
     * Deals the blocks: shuffled with the seed, each goes to the split furthest below its target share of items,
     * keeping one block for every split still empty while blocks run out.
     */
    BlockAssignment assign(BlockCounts counts) {
        Split[] splits = {Split.TRAIN, Split.VAL, Split.TEST};
        int needed = 0;
        for (Split s : splits) {
            needed += ratios.of(s) > 0 ? 1 : 0;
        }
        if (counts.size() < needed) {
            throw new TilingException("spatial split: only " + counts.size() + " block(s) of " + grid.sizeText()
                    + (grid.inChips() ? " chips" : " map units") + " hold chips, fewer than the " + needed
                    + " non-empty splits requested; use smaller blocks (--block, data.block), fewer splits (--val 0 or"
                    + " --test 0) or --split random");
        }
        int[] order = Shuffle.permutation(counts.size(), new Random(seed));
        double[] assigned = new double[Split.values().length]; // items dealt to each split, by ordinal
        byte[] out = new byte[counts.size()];
        long total = counts.total();
        int left = order.length;
        for (int b : order) {
            Split best = null;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (Split s : splits) {
                if (ratios.of(s) <= 0) {
                    continue;
                }
                double got = assigned[s.ordinal()];
                double deficit = ratios.of(s) * total - got;
                // keep one block for every split still empty while blocks run out
                int emptyOthers = 0;
                for (Split o : splits) {
                    if (o != s && ratios.of(o) > 0 && assigned[o.ordinal()] == 0) {
                        emptyOthers++;
                    }
                }
                if (got > 0 && left <= emptyOthers) {
                    continue;
                }
                if (deficit > bestDeficit) {
                    bestDeficit = deficit;
                    best = s;
                }
            }
            out[b] = (byte) best.ordinal();
            assigned[best.ordinal()] += counts.count(b);
            left--;
        }
        return new BlockAssignment(counts, out, grid, strict);
    }

    /** Distributes items by a block assignment; strict drops items that reach into a block of another split. */
    static <T extends SpatialItem> SplitResult<T> apply(List<T> items, Map<BlockKey, Split> blocks, BlockGrid grid,
                                                       boolean strict) {
        return distribute(items, blocks::get, grid, strict);
    }

    private static <T extends SpatialItem> SplitResult<T> distribute(List<T> items, Function<BlockKey, Split> blocks,
                                                                    BlockGrid grid, boolean strict) {
        Map<Split, List<T>> subsets = new EnumMap<>(Split.class);
        List<T> dropped = new ArrayList<>();
        for (T it : items) {
            Split s = BlockAssignment.splitOf(it, blocks, grid, strict);
            if (s == null) {
                dropped.add(it);
            } else {
                subsets.computeIfAbsent(s, k -> new ArrayList<>()).add(it);
            }
        }
        return new SplitResult<>(subsets, dropped);
    }
}
