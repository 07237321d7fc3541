package io.geolightning.tiling.splits;

/**
 * How the tiler assigns chips to splits.
 *
 * @param kind spatial blocks, random, everything to train, or everything to predict
 * @param grid block grid (spatial only)
 * @param ratios target fractions (spatial and random)
 * @param seed shuffling seed
 * @param strict drop chips reaching into a block of another split (spatial only)
 */
public record SplitConfig(Kind kind, BlockGrid grid, SplitRatios ratios, long seed, boolean strict) {

    /** Kinds of split. */
    public enum Kind { SPATIAL, RANDOM, ALL_TRAIN, PREDICT }

    /** Validates. */
    public SplitConfig {
        if (kind == null) {
            kind = Kind.ALL_TRAIN;
        }
        if (kind == Kind.SPATIAL && grid == null) {
            throw new IllegalArgumentException("a spatial split needs a block grid");
        }
        if (ratios == null) {
            ratios = SplitRatios.defaults();
        }
    }

    /** Strict spatial-block split. */
    public static SplitConfig spatial(BlockGrid grid, SplitRatios ratios, long seed) {
        return new SplitConfig(Kind.SPATIAL, grid, ratios, seed, true);
    }

    /** Random split (non-spatial data). */
    public static SplitConfig random(SplitRatios ratios, long seed) {
        return new SplitConfig(Kind.RANDOM, null, ratios, seed, false);
    }

    /** Every chip goes to train. */
    public static SplitConfig allTrain() {
        return new SplitConfig(Kind.ALL_TRAIN, null, null, 0, false);
    }

    /** Every chip is for prediction (no labels needed). */
    public static SplitConfig predict() {
        return new SplitConfig(Kind.PREDICT, null, null, 0, false);
    }
}
