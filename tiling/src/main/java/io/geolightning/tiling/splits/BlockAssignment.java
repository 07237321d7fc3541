package io.geolightning.tiling.splits;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The split of every block holding an item's centre (one byte per block), and the rule that gives an item the split
 * of its centre's block, or drops it in strict mode when it reaches into a block of another split.
 */
final class BlockAssignment implements ItemSplits {
    private final BlockCounts blocks;
    private final byte[] splits;
    private final BlockGrid grid;
    private final boolean strict;

    /**
     * @param blocks the blocks
     * @param splits the split ordinal of each block, by block ordinal
     * @param grid the block grid
     * @param strict drop items that reach into a block of another split
     */
    BlockAssignment(BlockCounts blocks, byte[] splits, BlockGrid grid, boolean strict) {
        this.blocks = blocks;
        this.splits = splits;
        this.grid = grid;
        this.strict = strict;
    }

    /** @return the split of block {@code key}, or null when no item's centre lies in it */
    Split of(BlockKey key) {
        int i = blocks.ordinalOf(key);
        return i < 0 ? null : Split.values()[splits[i]];
    }

    @Override
    public Split of(long index, SpatialItem item) {
        return splitOf(item, this::of, grid, strict);
    }

    @Override
    public boolean drops() {
        return strict;
    }

    /** @return every block with its split */
    Map<BlockKey, Split> asMap() {
        Map<BlockKey, Split> out = new HashMap<>();
        for (int i = 0; i < splits.length; i++) {
            out.put(blocks.key(i), Split.values()[splits[i]]);
        }
        return out;
    }

    /**
     * The split of the block holding the item's centre, or null when that block has no split or (strict) the item
     * reaches into a block of another split.
     */
    static Split splitOf(SpatialItem it, Function<BlockKey, Split> blockSplits, BlockGrid grid, boolean strict) {
        Split s = blockSplits.apply(grid.blockOf(it));
        if (s == null || !strict) {
            return s;
        }
        for (BlockKey k : grid.blocksTouched(it)) {
            Split other = blockSplits.apply(k);
            if (other != null && other != s) {
                return null;
            }
        }
        return s;
    }
}
