package io.geolightning.tiling;

import io.geolightning.foundation.Progress;
import io.geolightning.tiling.splits.ItemSplits;
import io.geolightning.tiling.splits.Split;
import io.geolightning.geo.PixelWindow;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.slf4j.LoggerFactory;

/**
 * The candidate chips a split keeps, numbered 0, 1, ... in candidate order (a chip's number seeds its negative
 * sampling and places it in a part of the store). When the split may drop chips (strict spatial blocks) one pass
 * counts them, logging its progress, and remembers where every 4096th kept chip lies among the candidates, so that a
 * worker can start at any number; otherwise kept chip {@code k} is candidate {@code k}. Immutable.
 */
final class KeptChips {
    private static final int MARK_EVERY = 4096;

    /**
     * A kept chip.
     *
     * @param index its number among the kept chips
     * @param chip the chip
     * @param split its split
     */
    record Kept(long index, Chip chip, Split split) {
    }

    private final ChipCandidates candidates;
    private final ItemSplits splits;
    private final PixelWindow block;
    private final long size;
    private final long[] marks;

    private KeptChips(ChipCandidates candidates, ItemSplits splits, PixelWindow block, long size, long[] marks) {
        this.candidates = candidates;
        this.splits = splits;
        this.block = block;
        this.size = size;
        this.marks = marks;
    }

    /**
     * The candidates {@code splits} keeps (one counting pass when it may drop some).
     *
     * @param candidates all chips placed
     * @param splits their splits (null for a chip dropped)
     * @param block keep only chips whose top-left pixel lies in it, or null for all
     * @return the kept chips
     */
    static KeptChips of(ChipCandidates candidates, ItemSplits splits, PixelWindow block) {
        long n = candidates.size();
        if (!splits.drops() && block == null) {
            return new KeptChips(candidates, splits, null, n, null);
        }
        Progress progress = new Progress(LoggerFactory.getLogger(Tiler.class), "splitting", "candidate chips", n);
        long[] marks = new long[16];
        long kept = 0;
        for (long i = 0; i < n; i++) {
            if (keep(splits, block, i, candidates.get(i)) != null) {
                if (kept % MARK_EVERY == 0) {
                    int m = (int) (kept / MARK_EVERY);
                    if (m == marks.length) {
                        marks = Arrays.copyOf(marks, m * 2);
                    }
                    marks[m] = i;
                }
                kept++;
            }
            if (i > 0 && (i & 0xFFFF) == 0) {
                progress.at(i);
            }
        }
        progress.at(n);
        progress.finish();
        return new KeptChips(candidates, splits, block, kept, marks);
    }

    private static Split keep(ItemSplits splits, PixelWindow block, long i, Chip c) {
        if (block != null && !block.contains(c.window().x(), c.window().y())) {
            return null;
        }
        return splits.of(i, c);
    }

    /** @return the number of kept chips */
    long size() {
        return size;
    }

    /** @return the number of candidates the split dropped (and those outside the block) */
    long dropped() {
        return candidates.size() - size;
    }

    /** @return the kept chips from number {@code first} on, in order */
    Iterator<Kept> from(long first) {
        return new Iterator<>() {
            private long index = first;
            private long candidate = first >= size ? candidates.size()
                    : marks == null ? first : marks[(int) (first / MARK_EVERY)];
            private long skip = marks == null ? 0 : first % MARK_EVERY; // kept chips between the mark and first
            private Kept next;

            @Override
            public boolean hasNext() {
                while (next == null && index < size && candidate < candidates.size()) {
                    Chip c = candidates.get(candidate);
                    Split s = keep(splits, block, candidate, c);
                    candidate++;
                    if (s != null) {
                        if (skip > 0) {
                            skip--;
                        } else {
                            next = new Kept(index++, c, s);
                        }
                    }
                }
                return next != null;
            }

            @Override
            public Kept next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Kept k = next;
                next = null;
                return k;
            }
        };
    }
}
