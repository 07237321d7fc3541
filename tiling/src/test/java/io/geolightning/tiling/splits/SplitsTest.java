package io.geolightning.tiling.splits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** A chip of {@code size} px at 10 m pixels, origin (500000, 0) going north-down. */
    record Item(String sceneKey, int x, int y, int width, int height) implements SpatialItem {
        public double minx() {
            return 500000 + x * 10.0;
        }

        public double maxx() {
            return minx() + width * 10.0;
        }

        public double maxy() {
            return 1_000_000 - y * 10.0;
        }

        public double miny() {
            return maxy() - height * 10.0;
        }
    }

    static List<Item> grid(int size, int stride, int n) {
        List<Item> out = new ArrayList<>();
        for (int y = 0; y + size <= n; y += stride) {
            for (int x = 0; x + size <= n; x += stride) {
                out.add(new Item("a.tif", x, y, size, size));
            }
        }
        return out;
    }

    static void assertNoSharedBlock(BlockGrid g, SplitResult<Item> r) {
        Map<BlockKey, Split> owner = new HashMap<>();
        for (Split s : new Split[] {Split.TRAIN, Split.VAL, Split.TEST}) {
            for (Item it : r.get(s)) {
                for (BlockKey k : g.blocksTouched(it)) {
                    Split prev = owner.putIfAbsent(k, s);
                    assertTrue(prev == null || prev == s, k + " in " + prev + " and " + s);
                }
            }
        }
    }

    @Test
    void mapUnitBlocksAreDeterministicDisjointAndNearTheRatios() {
        List<Item> items = grid(32, 32, 1024); // 32 x 32 chips of 320 m
        BlockGrid g = BlockGrid.mapUnits(1280); // 4 x 4 chips per block (grid not aligned to blocks)
        SpatialBlockSplitter sp = new SpatialBlockSplitter(g, SplitRatios.defaults(), 5);
        SplitResult<Item> a = sp.split(items);
        assertEquals(a, sp.split(items), "same seed, same split");
        assertNotEquals(a.get(Split.VAL), new SpatialBlockSplitter(g, SplitRatios.defaults(), 6).split(items)
                .get(Split.VAL));
        assertNoSharedBlock(g, a);
        int total = items.size() - a.dropped().size();
        assertEquals(0.70, a.get(Split.TRAIN).size() / (double) total, 0.06);
        assertEquals(0.15, a.get(Split.VAL).size() / (double) total, 0.06);
        assertEquals(0.15, a.get(Split.TEST).size() / (double) total, 0.06);
    }

    @Test
    void strictModeDropsOverlappingChipsThatCrossIntoAnotherSplit() {
        List<Item> items = grid(32, 16, 512); // overlapping chips
        BlockGrid g = BlockGrid.chips(4);
        SplitResult<Item> strict = new SpatialBlockSplitter(g, SplitRatios.defaults(), 1).split(items);
        assertNoSharedBlock(g, strict);
        assertTrue(strict.dropped().size() > 0, "straddling chips dropped");
        SplitResult<Item> loose = new SpatialBlockSplitter(g, SplitRatios.defaults(), 1, false).split(items);
        assertEquals(0, loose.dropped().size());
    }

    @Test
    void spatialKFoldValidatesEveryBlockExactlyOnce() {
        List<Item> items = grid(32, 32, 640); // 20 x 20 chips
        BlockGrid g = BlockGrid.chips(5); // 16 blocks
        List<SplitResult<Item>> folds = new SpatialKFold(g, 4, 3).folds(items);
        assertEquals(4, folds.size());
        Set<Item> seen = new HashSet<>();
        for (SplitResult<Item> f : folds) {
            assertNoSharedBlock(g, f);
            assertEquals(items.size(), f.get(Split.TRAIN).size() + f.get(Split.VAL).size());
            assertEquals(100, f.get(Split.VAL).size(), "4 blocks of 25 chips per fold");
            for (Item it : f.get(Split.VAL)) {
                assertTrue(seen.add(it), "validated once");
            }
        }
        assertEquals(items.size(), seen.size());
    }

    @Test
    void randomSplitIsStratifiedAndSeeded() {
        List<Item> items = grid(8, 8, 400); // 2500 items
        RandomSplitter rs = new RandomSplitter(new SplitRatios(0.8, 0.1, 0.1), 2);
        SplitResult<Item> r = rs.split(items, it -> it.x() % 3);
        assertEquals(r, rs.split(items, it -> it.x() % 3));
        for (int stratum = 0; stratum < 3; stratum++) {
            int s = stratum;
            long all = items.stream().filter(it -> it.x() % 3 == s).count();
            long val = r.get(Split.VAL).stream().filter(it -> it.x() % 3 == s).count();
            assertEquals(Math.round(all * 0.1), val);
        }
    }

    @Test
    void shuffledPositionsAreWhatCollectionsShuffleDeals() {
        for (int n : new int[] {0, 1, 2, 4, 5, 17, 1000}) {
            for (long seed : new long[] {0, 1, 42}) {
                List<Integer> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(i);
                }
                java.util.Collections.shuffle(list, new java.util.Random(seed));
                int[] p = Shuffle.permutation(n, new java.util.Random(seed));
                assertEquals(list, java.util.Arrays.stream(p).boxed().toList(), "n " + n + ", seed " + seed);
            }
        }
    }
}
