package io.geolightning.trainer;

/**
 * How many batches of a loader to use, like Lightning's {@code limit_*_batches} / {@code val_check_interval}: a
 * fraction of the loader ({@code 0 < fraction <= 1}) or a count of batches.
 *
 * @param fraction a fraction of the batches, used when {@code count} is 0
 * @param count a number of batches, or 0 to use the fraction
 */
public record BatchLimit(double fraction, int count) {

    /** All batches. */
    public static final BatchLimit ALL = new BatchLimit(1.0, 0);

    /** Validates the arguments. */
    public BatchLimit {
        if (count < 0 || (count == 0 && !(fraction > 0 && fraction <= 1))) {
            throw new TrainerException("batch limit (fraction " + fraction + ", count " + count
                    + ") is invalid; pass a fraction in (0, 1] or a positive batch count");
        }
    }

    /**
     * @param fraction fraction of batches in (0, 1]
     * @return the limit
     */
    public static BatchLimit fraction(double fraction) {
        return new BatchLimit(fraction, 0);
    }

    /**
     * @param count number of batches &gt; 0
     * @return the limit
     */
    public static BatchLimit count(int count) {
        if (count <= 0) {
            throw new TrainerException("batch count " + count + " must be > 0; pass a positive count");
        }
        return new BatchLimit(0, count);
    }

    /**
     * Resolves the limit against a loader's size.
     *
     * @param total batches in the loader, or -1 when unknown
     * @return batches to use (Integer.MAX_VALUE = until the loader ends)
     */
    public int resolve(long total) {
        if (count > 0) {
            return total >= 0 ? (int) Math.min(count, total) : count;
        }
        if (fraction >= 1.0 || total < 0) {
            return total >= 0 ? (int) total : Integer.MAX_VALUE;
        }
        return (int) Math.max(1, Math.floor(total * fraction));
    }
}
