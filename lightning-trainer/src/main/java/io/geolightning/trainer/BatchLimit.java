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
     * Reads a limit as Lightning does: a whole number is a count of batches, any other number a fraction of the loader.
     *
     * @param n a whole number of batches ({@code 10}) or a fraction ({@code 0.25}, {@code 1.0} = all)
     * @return the limit
     * @throws TrainerException one line starting with the value, for a count below 1 or a fraction outside (0, 1]
     */
    public static BatchLimit of(Number n) {
        if (n == null) {
            throw new TrainerException("null: a batch limit is a whole number of batches or a fraction such as 0.5");
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof java.math.BigInteger) {
            if (n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE || n instanceof java.math.BigInteger b
                    && b.bitLength() > 31) {
                throw new TrainerException(n + ": a batch count must be at least 1 (or use a fraction such as 0.5)");
            }
            return count(n.intValue());
        }
        double f = n.doubleValue();
        if (!(f > 0 && f <= 1)) {
            throw new TrainerException(n + ": a fraction must be in (0, 1]; write a whole number for a batch count");
        }
        return f == 1.0 ? ALL : fraction(f);
    }

    /** @return the limit as {@link #of(Number)} reads it: an Integer count or a Double fraction */
    public Number value() {
        return count > 0 ? Integer.valueOf(count) : Double.valueOf(fraction);
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
