package io.geolightning.tiling.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.tiling.ChipDataType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BandStatisticsAccumulatorTest {

    @Test
    void histogramCountsEveryByteWhateverTheLengthAndOffset() {
        Random r = new Random(3);
        for (int n : new int[] {0, 1, 3, 4, 5, 1023, 4099}) {
            byte[] px = new byte[n + 7];
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) (r.nextInt(5) == 0 ? r.nextInt(256) : 200 + i / 50);
            }
            int[] expected = new int[256];
            for (int i = 5; i < 5 + n; i++) {
                expected[px[i] & 0xFF]++;
            }
            assertArrayEquals(expected, BandStatisticsAccumulator.histogram(px, 5, n), "n=" + n);
        }
    }

    @Test
    void byteStatisticsEqualAPlainPassOverThePixelsSkippingNodata() {
        int bands = 3;
        int ppb = 37 * 29; // not a multiple of four
        Random r = new Random(11);
        byte[] px = new byte[bands * ppb];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (r.nextInt(4) == 0 ? 0 : 30 + r.nextInt(180));
        }
        Double[] nodata = {0.0, null, 255.0};
        BandStatisticsAccumulator acc = new BandStatisticsAccumulator(bands, ChipDataType.UINT8, nodata);
        acc.add(px, ppb);
        BandStatistics s = acc.result();
        for (int b = 0; b < bands; b++) {
            long n = 0;
            double sum = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = b * ppb; i < (b + 1) * ppb; i++) {
                int v = px[i] & 0xFF;
                if (nodata[b] != null && v == nodata[b]) {
                    continue;
                }
                n++;
                sum += v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double mean = sum / n;
            double ss = 0;
            for (int i = b * ppb; i < (b + 1) * ppb; i++) {
                int v = px[i] & 0xFF;
                if (nodata[b] == null || v != nodata[b]) {
                    ss += (v - mean) * (v - mean);
                }
            }
            assertEquals(n, s.count()[b], "band " + b);
            assertEquals(mean, s.mean()[b], 1e-9, "band " + b);
            assertEquals(Math.sqrt(ss / n), s.std()[b], 1e-9, "band " + b + " (population std)");
            assertEquals(lo, s.min()[b]);
            assertEquals(hi, s.max()[b]);
        }
        assertEquals(ppb, s.count()[1], "band 2 has no nodata: every pixel counts");
    }
}
