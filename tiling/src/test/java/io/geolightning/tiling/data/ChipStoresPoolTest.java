package io.geolightning.tiling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.tiling.stats.BandStatistics;
import org.junit.jupiter.api.Test;

/** Training statistics of several stores pooled as those of the union of their pixels. */
class ChipStoresPoolTest {

    /**
     * A store whose training chips have no valid pixel in a band (its mean NaN, as the statistics of no pixel are)
     * leaves the band's pooled figures to the other store's: the count-weighted sum gave NaN (0 x NaN).
     */
    @Test
    void aBandWithoutPixelsInOneStoreTakesTheOthersStatistics() {
        BandStatistics none = new BandStatistics(new long[] {0, 4}, new double[] {Double.NaN, 2},
                new double[] {Double.NaN, 1}, new double[] {Double.NaN, 1}, new double[] {Double.NaN, 3});
        BandStatistics some = new BandStatistics(new long[] {2, 4}, new double[] {10, 4}, new double[] {3, 1},
                new double[] {7, 3}, new double[] {13, 5});
        for (BandStatistics pooled : new BandStatistics[] {ChipStores.pool(none, some), ChipStores.pool(some, none)}) {
            assertArrayEquals(new long[] {2, 8}, pooled.count());
            assertEquals(10, pooled.mean()[0], 0, "band 1 from the store that has its pixels");
            assertEquals(3, pooled.std()[0], 0);
            assertEquals(7, pooled.min()[0], 0);
            assertEquals(13, pooled.max()[0], 0);
            // band 2: pixels {1, 3, 1, 3} and {3, 5, 3, 5}: mean 3, population variance 2
            assertEquals(3, pooled.mean()[1], 1e-12);
            assertEquals(Math.sqrt(2), pooled.std()[1], 1e-12);
            assertEquals(1, pooled.min()[1], 0);
            assertEquals(5, pooled.max()[1], 0);
        }
    }
}
