package io.geolightning.tiling.splits;

import io.geolightning.tiling.TilingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blocks of a {@link BlockGrid} holding the centre of at least one item, in {@link BlockKey} order (scene, block
 * row, block column), each with its number of items; a block's position in that order is its ordinal. Kept compact:
 * a scene laid out as an axis-aligned {@link ItemSequence.Grid} is counted per block column and per block row (its
 * blocks are every pair of the two, holding the product of their counts) without visiting its items; other scenes
 * are counted item by item into sorted arrays.
 */
final class BlockCounts {
    private static final int MAX_BLOCKS = Integer.MAX_VALUE - 8;

    private final List<Segment> segments;
    private final Map<String, Segment> byScene = new HashMap<>();
    private final long total;
    private final int size;

    private BlockCounts(List<Segment> segments, long total) {
        this.segments = segments;
        this.total = total;
        long n = 0;
        for (Segment s : segments) {
            s.base = (int) n;
            n += s.size();
            if (n > MAX_BLOCKS) {
                throw new TilingException("spatial split: more than " + MAX_BLOCKS + " blocks hold chips; use a"
                        + " larger block size (--block)");
            }
            byScene.put(s.scene, s);
        }
        this.size = (int) n;
    }

    /** Counts the items of a list. */
    static BlockCounts ofItems(BlockGrid grid, List<? extends SpatialItem> items) {
        TreeMap<BlockKey, Long> counts = new TreeMap<>();
        items.forEach(it -> counts.merge(grid.blockOf(it), 1L, Long::sum));
        return new BlockCounts(explicit(counts), items.size());
    }

    /** Counts the items of scenes given as sequences (several sequences may share a scene). */
    static BlockCounts ofScenes(BlockGrid grid, List<? extends ItemSequence<?>> scenes) {
        Map<String, List<ItemSequence<?>>> byKey = new LinkedHashMap<>();
        long total = 0;
        for (ItemSequence<?> s : scenes) {
            if (s.size() > 0) {
                byKey.computeIfAbsent(s.get(0).sceneKey(), k -> new ArrayList<>()).add(s);
                total += s.size();
            }
        }
        TreeMap<String, Segment> sorted = new TreeMap<>();
        TreeMap<BlockKey, Long> counted = new TreeMap<>();
        for (Map.Entry<String, List<ItemSequence<?>>> e : byKey.entrySet()) {
            List<ItemSequence<?>> seqs = e.getValue();
            if (seqs.size() == 1 && seqs.get(0) instanceof ItemSequence.Grid<?> g
                    && (grid.inChips() || g.axisAligned())) {
                sorted.put(e.getKey(), product(grid, e.getKey(), g));
            } else {
                for (ItemSequence<?> s : seqs) {
                    for (long i = 0, n = s.size(); i < n; i++) {
                        counted.merge(grid.blockOf(s.get(i)), 1L, Long::sum);
                    }
                }
            }
        }
        explicit(counted).forEach(s -> sorted.put(s.scene, s));
        return new BlockCounts(new ArrayList<>(sorted.values()), total);
    }

    /** @return the number of blocks */
    int size() {
        return size;
    }

    /** @return the number of items counted */
    long total() {
        return total;
    }

    /** @return the items whose centre lies in block {@code ordinal} */
    long count(int ordinal) {
        Segment s = segmentOf(ordinal);
        return s.count(ordinal - s.base);
    }

    /** @return the block of ordinal {@code ordinal} */
    BlockKey key(int ordinal) {
        Segment s = segmentOf(ordinal);
        return s.key(ordinal - s.base);
    }

    /** @return the ordinal of {@code key}, or -1 when no item's centre lies in it */
    int ordinalOf(BlockKey key) {
        Segment s = byScene.get(key.scene());
        if (s == null) {
            return -1;
        }
        int local = s.indexOf(key.bx(), key.by());
        return local < 0 ? -1 : s.base + local;
    }

    private Segment segmentOf(int ordinal) {
        if (ordinal < 0 || ordinal >= size) {
            throw new IndexOutOfBoundsException(ordinal);
        }
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).base <= ordinal) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    /** Blocks of one scene. */
    private abstract static class Segment {
        final String scene;
        int base;

        Segment(String scene) {
            this.scene = scene;
        }

        abstract int size();

        abstract long count(int local);

        abstract BlockKey key(int local);

        abstract int indexOf(long bx, long by);
    }

    /** A grid scene: every (block row, block column) pair, row-major. */
    private static final class Product extends Segment {
        final long[] bx;
        final long[] cx;
        final long[] by;
        final long[] cy;

        Product(String scene, long[][] columns, long[][] rows) {
            super(scene);
            bx = columns[0];
            cx = columns[1];
            by = rows[0];
            cy = rows[1];
            if ((long) bx.length * by.length > MAX_BLOCKS) {
                throw new TilingException(scene + ": spatial split: " + bx.length + " x " + by.length + " blocks hold"
                        + " chips, more than " + MAX_BLOCKS + "; use a larger block size (--block)");
            }
        }

        @Override
        int size() {
            return bx.length * by.length;
        }

        @Override
        long count(int local) {
            return cx[local % bx.length] * cy[local / bx.length];
        }

        @Override
        BlockKey key(int local) {
            return new BlockKey(scene, bx[local % bx.length], by[local / bx.length]);
        }

        @Override
        int indexOf(long x, long y) {
            int i = Arrays.binarySearch(bx, x);
            int j = Arrays.binarySearch(by, y);
            return i < 0 || j < 0 ? -1 : j * bx.length + i;
        }
    }

    /** A scene counted item by item: its blocks in (row, column) order. */
    private static final class Listed extends Segment {
        final long[] bx;
        final long[] by;
        final long[] counts;

        Listed(String scene, List<Map.Entry<BlockKey, Long>> blocks) {
            super(scene);
            int n = blocks.size();
            bx = new long[n];
            by = new long[n];
            counts = new long[n];
            for (int i = 0; i < n; i++) {
                bx[i] = blocks.get(i).getKey().bx();
                by[i] = blocks.get(i).getKey().by();
                counts[i] = blocks.get(i).getValue();
            }
        }

        @Override
        int size() {
            return counts.length;
        }

        @Override
        long count(int local) {
            return counts[local];
        }

        @Override
        BlockKey key(int local) {
            return new BlockKey(scene, bx[local], by[local]);
        }

        @Override
        int indexOf(long x, long y) {
            int lo = 0;
            int hi = counts.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = by[mid] != y ? Long.compare(by[mid], y) : Long.compare(bx[mid], x);
                if (c == 0) {
                    return mid;
                }
                if (c < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -1;
        }
    }

    private static Product product(BlockGrid grid, String scene, ItemSequence.Grid<?> g) {
        long[] columns = new long[g.columns()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = grid.blockOf(g.item(c, 0)).bx();
        }
        long[] rows = new long[g.rows()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = grid.blockOf(g.item(0, r)).by();
        }
        return new Product(scene, histogram(columns), histogram(rows));
    }

    /** @return {distinct sorted values, how often each occurs} */
    private static long[][] histogram(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int distinct = 0;
        for (int i = 0; i < v.length; i++) {
            distinct += i == 0 || v[i] != v[i - 1] ? 1 : 0;
        }
        long[][] out = {new long[distinct], new long[distinct]};
        int k = -1;
        for (int i = 0; i < v.length; i++) {
            if (i == 0 || v[i] != v[i - 1]) {
                out[0][++k] = v[i];
            }
            out[1][k]++;
        }
        return out;
    }

    private static List<Segment> explicit(TreeMap<BlockKey, Long> counts) {
        List<Segment> out = new ArrayList<>();
        List<Map.Entry<BlockKey, Long>> scene = new ArrayList<>();
        for (Map.Entry<BlockKey, Long> e : counts.entrySet()) {
            if (!scene.isEmpty() && !scene.get(0).getKey().scene().equals(e.getKey().scene())) {
                out.add(new Listed(scene.get(0).getKey().scene(), scene));
                scene = new ArrayList<>();
            }
            scene.add(e);
        }
        if (!scene.isEmpty()) {
            out.add(new Listed(scene.get(0).getKey().scene(), scene));
        }
        return out;
    }
}
