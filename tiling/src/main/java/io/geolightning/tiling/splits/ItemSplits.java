package io.geolightning.tiling.splits;

import java.util.List;

/**
 * The split of every item of a sequence of scenes, answered one item at a time so that the items need not be held:
 * the tiler asks it for each candidate chip in turn. Built by {@link #plan}, which deals exactly what the list-based
 * splitters deal for the same items in the same order.
 */
public interface ItemSplits {

    /**
     * @param index the item's position in the sequence of all scenes' items
     * @param item the item
     * @return its split, or null when it is dropped (a strict spatial split drops items straddling blocks of two
     *         splits)
     */
    Split of(long index, SpatialItem item);

    /** @return true when {@link #of} may return null */
    boolean drops();

    /** Every item goes to {@code split}. */
    static ItemSplits all(Split split) {
        return new ItemSplits() {
            @Override
            public Split of(long index, SpatialItem item) {
                return split;
            }

            @Override
            public boolean drops() {
                return false;
            }
        };
    }

    /**
     * Plans the splits of {@code scenes}' items (taken in order, scene after scene) as {@code config} says: spatial
     * blocks ({@link SpatialBlockSplitter}, memory per block, not per item), random ({@link RandomSplitter}, one byte
     * per item), everything to train, or everything to predict.
     */
    static ItemSplits plan(SplitConfig config, List<? extends ItemSequence<?>> scenes) {
        return switch (config.kind()) {
            case ALL_TRAIN -> all(Split.TRAIN);
            case PREDICT -> all(Split.PREDICT);
            case RANDOM -> new RandomSplitter(config.ratios(), config.seed())
                    .splitPositions(scenes.stream().mapToLong(ItemSequence::size).sum());
            case SPATIAL -> new SpatialBlockSplitter(config.grid(), config.ratios(), config.seed(), config.strict())
                    .assign(BlockCounts.ofScenes(config.grid(), scenes));
        };
    }
}
