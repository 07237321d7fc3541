package io.geolightning.tiling;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs how far one step of a tiling run has come, at INFO with its rate and an ETA, at most every five seconds (the
 * first line five seconds after the step starts), e.g. {@code "tiling: 120000/156250000 chips (0%), 24000 chips/s,
 * ETA 6505 s"}. Thread-safe.
 */
final class TilingProgress {
    private static final Logger LOG = LoggerFactory.getLogger(Tiler.class);
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final String step;
    private final String unit;
    private final long total;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long last = start;

    /**
     * @param step what is under way, e.g. "tiling"
     * @param unit what is counted, e.g. "chips"
     * @param total how many there are
     */
    TilingProgress(String step, String unit, long total) {
        this.step = step;
        this.unit = unit;
        this.total = total;
    }

    /** One more done. */
    void step() {
        report(done.incrementAndGet());
    }

    /** {@code n} done so far (for a step counted by one thread). */
    void at(long n) {
        done.set(n);
        report(n);
    }

    private void report(long d) {
        long now = System.nanoTime();
        if (now - last > EVERY_NANOS) {
            last = now;
            double rate = d / ((now - start) / 1e9);
            LOG.info("{}: {}/{} {} ({}%), {} {}/s, ETA {} s", step, d, total, unit, total == 0 ? 100 : d * 100 / total,
                    Math.round(rate), unit, rate > 0 ? Math.round((total - d) / rate) : "?");
        }
    }
}
