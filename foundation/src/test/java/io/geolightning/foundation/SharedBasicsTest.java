package io.geolightning.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SharedBasicsTest {

    @Test
    void kindsCarryTheirExitCodes() {
        assertEquals(1, new GeoLightningException("x").exitCode());
        assertEquals(ExitCodes.USAGE, new GeoLightningException(GeoLightningException.Kind.USAGE, "x").exitCode());
        assertEquals(ExitCodes.FAILURE, GeoLightningException.Kind.FAILURE.exitCode());
        assertEquals(0, ExitCodes.OK);
    }

    @Test
    void findWalksTheCauseChain() {
        GeoLightningException inner = new GeoLightningException("a.tif: broken; fix it");
        assertSame(inner, GeoLightningException.find(new RuntimeException("wrap", new IllegalStateException(inner))));
        assertNull(GeoLightningException.find(new RuntimeException("plain")));
        assertNull(GeoLightningException.find(null));
    }

    @Test
    void oneLineCollapsesBreaksAndBlanks() {
        assertEquals("a b c d", OneLine.of("  a \r\n  b\n\nc    d \n"));
        assertEquals("no detail", OneLine.of(null));
        assertEquals("no detail", OneLine.of(" \n "));
        assertEquals("unknown", OneLine.of(null, "unknown"));
    }

    @Test
    void progressLinesAreUniform() {
        assertEquals("tiling: 1,234/56,789 chips (2%), 123/s, ETA 7m30s",
                Progress.line("tiling", "chips", 1234, 56789, 10));
        assertEquals("x: 0/10 scenes (0%), 0/s, ETA ?", Progress.line("x", "scenes", 0, 10, 3));
        assertEquals("x: 5/0 scenes (100%), 0/s, ETA 0s", Progress.line("x", "scenes", 5, 0, 0));
        assertEquals("f: COG: 40% after 12s, ETA 18s", Progress.fractionLine("f: COG", 0.4, 12));
        assertEquals("tiling: 1,664 chips in 1.9s (876/s)", Progress.summary("tiling", "chips", 1664, 1.9));
        assertEquals("x: 90,000 windows in 1m05s (1,385/s)", Progress.summary("x", "windows", 90000, 65));
        assertEquals("1.2/min", Progress.rate(0.02));
        assertEquals("2.5/s", Progress.rate(2.5));
        assertEquals("42s", Progress.duration(42.2));
        assertEquals("1m05s", Progress.duration(65));
        assertEquals("2h03m", Progress.duration(2 * 3600 + 3 * 60 + 10));
        assertEquals("?", Progress.duration(Double.NaN));
    }

    @Test
    void progressCountsFromAnyThread() throws Exception {
        Progress p = new Progress(org.slf4j.LoggerFactory.getLogger(SharedBasicsTest.class), "t", "items", 4000, 0);
        Thread[] ts = new Thread[4];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                for (int j = 0; j < 1000; j++) {
                    p.step();
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(4000, p.done());
    }
}
