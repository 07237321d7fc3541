package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

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
        Map<BlockKey, Split> blocks = assignBlocks(items);
        return apply(items, blocks, grid, strict);
    }

    /** Assigns every block holding an item's centre to a split. */
    public <T extends SpatialItem> Map<BlockKey, Split> assignBlocks(List<T> items) {
        TreeMap<BlockKey, Integer> counts = new TreeMap<>();
        for (T it : items) {
            counts.merge(grid.blockOf(it), 1, Integer::sum);
        }
        List<BlockKey> order = new ArrayList<>(counts.keySet());
        Collections.shuffle(order, new Random(seed));
        Split[] splits = {Split.TRAIN, Split.VAL, Split.TEST};
        int needed = 0;
        for (Split s : splits) {
            needed += ratios.of(s) > 0 ? 1 : 0;
        }
        if (order.size() < needed) {
            throw new TilingException("spatial split: only " + order.size() + " block(s) of " + grid.size()
                    + (grid.inChips() ? " chips" : " map units") + " hold chips, fewer than the " + needed
                    + " non-empty splits requested; use a smaller block size");
        }
        Map<Split, Double> assigned = new EnumMap<>(Split.class);
        Map<BlockKey, Split> out = new HashMap<>();
        int total = items.size();
        int left = order.size();
        for (BlockKey b : order) {
            Split best = null;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (Split s : splits) {
                if (ratios.of(s) <= 0) {
                    continue;
                }
                double got = assigned.getOrDefault(s, 0.0);
                double deficit = ratios.of(s) * total - got;
                // keep one block for every split still empty while blocks run out
                int emptyOthers = 0;
                for (Split o : splits) {
                    if (o != s && ratios.of(o) > 0 && assigned.getOrDefault(o, 0.0) == 0) {
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
            out.put(b, best);
            assigned.merge(best, (double) counts.get(b), Double::sum);
            left--;
        }
        return out;
    }

    /** Distributes items by a block assignment; strict drops items that reach into a block of another split. */
    static <T extends SpatialItem> SplitResult<T> apply(List<T> items, Map<BlockKey, Split> blocks, BlockGrid grid,
                                                       boolean strict) {
        Map<Split, List<T>> subsets = new EnumMap<>(Split.class);
        List<T> dropped = new ArrayList<>();
        for (T it : items) {
            Split s = blocks.get(grid.blockOf(it));
            if (s == null) {
                dropped.add(it);
                continue;
            }
            boolean clean = true;
            if (strict) {
                for (BlockKey k : grid.blocksTouched(it)) {
                    Split other = blocks.get(k);
                    if (other != null && other != s) {
                        clean = false;
                        break;
                    }
                }
            }
            if (clean) {
                subsets.computeIfAbsent(s, k -> new ArrayList<>()).add(it);
            } else {
                dropped.add(it);
            }
        }
        return new SplitResult<>(subsets, dropped);
    }
}
