package io.geolightning.foundation;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts work done of a known total and logs, at INFO, how far it has come with its rate and an ETA, e.g.
 * {@code "tiling: 1,234/56,789 chips (2%), 850/s, ETA 1m05s"}: the first count at once (so short work shows it
 * started), then at most every {@code everyNanos}; {@link #finish()} logs the summary line,
 * {@code "tiling: 56,789 chips in 1m07s (848/s)"}. Thread-safe: any thread may count.
 */
public final class Progress {
    /** The default interval between two lines: five seconds. */
    public static final long DEFAULT_EVERY_NANOS = 5_000_000_000L;

    private final Logger log;
    private final String what;
    private final String unit;
    private final long total;
    private final long everyNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong last;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Logs at most every five seconds.
     *
     * @param log where to log
     * @param what what is under way, e.g. "tiling" or a file name
     * @param unit what is counted, e.g. "chips"
     * @param total how many there are
     */
    public Progress(Logger log, String what, String unit, long total) {
        this(log, what, unit, total, DEFAULT_EVERY_NANOS);
    }

    /**
     * @param log where to log
     * @param what what is under way, e.g. "tiling" or a file name
     * @param unit what is counted, e.g. "chips"
     * @param total how many there are
     * @param everyNanos the least time between two lines; 0 logs every count
     */
    public Progress(Logger log, String what, String unit, long total, long everyNanos) {
        this.log = log;
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.everyNanos = everyNanos;
        this.last = new AtomicLong(start - everyNanos); // the first count logs at once
    }

    /** One more done. */
    public void step() {
        report(done.incrementAndGet());
    }

    /** @param n how many more are done */
    public void add(long n) {
        report(done.addAndGet(n));
    }

    /** @param n how many are done so far (for work counted by one thread) */
    public void at(long n) {
        done.set(n);
        report(n);
    }

    /** Logs the summary line (once): how many were done, in how long, at what rate. */
    public void finish() {
        if (finished.compareAndSet(false, true) && log.isInfoEnabled()) {
            log.info(summary(what, unit, done.get(), elapsedSeconds()));
        }
    }

    /**
     * @param what what was under way
     * @param unit what was counted
     * @param done how many were done
     * @param elapsedSeconds how long it took
     * @return e.g. {@code "tiling: 56,789 chips in 1m07s (848/s)"}
     */
    public static String summary(String what, String unit, long done, double elapsedSeconds) {
        return String.format(Locale.ROOT, "%s: %,d %s in %s (%s)", what, done, unit,
                elapsedSeconds < 10 ? String.format(Locale.ROOT, "%.1fs", elapsedSeconds) : duration(elapsedSeconds),
                rate(elapsedSeconds > 0 ? done / elapsedSeconds : 0));
    }

    /** @return how many are done */
    public long done() {
        return done.get();
    }

    /** @return seconds since this progress was created */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** @return the line for the count so far */
    public String line() {
        return line(what, unit, done.get(), total, elapsedSeconds());
    }

    private void report(long d) {
        long now = System.nanoTime();
        long prev = last.get();
        if (now - prev >= everyNanos && last.compareAndSet(prev, now) && log.isInfoEnabled()) {
            log.info(line(what, unit, d, total, (now - start) / 1e9));
        }
    }

    /**
     * @param what what is under way
     * @param unit what is counted
     * @param done how many are done
     * @param total how many there are
     * @param elapsedSeconds time since the start
     * @return e.g. {@code "tiling: 1,234/56,789 chips (2%), 850/s, ETA 1m05s"}
     */
    public static String line(String what, String unit, long done, long total, double elapsedSeconds) {
        double rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        long pct = total <= 0 ? 100 : done * 100 / total;
        return String.format(Locale.ROOT, "%s: %,d/%,d %s (%d%%), %s, ETA %s", what, done, total, unit, pct,
                rate(rate), duration(etaSeconds(done, total, elapsedSeconds)));
    }

    /**
     * @param what what is under way
     * @param fraction how much is done, 0 to 1 (e.g. from a GDAL progress callback)
     * @param elapsedSeconds time since the start
     * @return e.g. {@code "L7.tif: COG: 40% after 12s, ETA 18s"}
     */
    public static String fractionLine(String what, double fraction, double elapsedSeconds) {
        double eta = fraction > 0 ? elapsedSeconds * (1 - fraction) / fraction : Double.NaN;
        return String.format(Locale.ROOT, "%s: %d%% after %s, ETA %s", what, Math.round(fraction * 100),
                duration(elapsedSeconds), duration(eta));
    }

    /**
     * @param done how many are done
     * @param total how many there are
     * @param elapsedSeconds time since the start
     * @return the seconds left at the rate so far; NaN while nothing is done
     */
    public static double etaSeconds(long done, long total, double elapsedSeconds) {
        return done <= 0 ? Double.NaN : Math.max(0, total - done) * elapsedSeconds / done;
    }

    /**
     * @param perSecond a rate
     * @return {@code "850/s"}, {@code "2.5/s"}, or per minute below one a second ({@code "1.2/min"})
     */
    public static String rate(double perSecond) {
        if (!Double.isFinite(perSecond) || perSecond <= 0) {
            return "0/s";
        }
        if (perSecond >= 10) {
            return String.format(Locale.ROOT, "%,d/s", Math.round(perSecond));
        }
        if (perSecond >= 1) {
            return String.format(Locale.ROOT, "%.1f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1f/min", perSecond * 60);
    }

    /**
     * @param seconds a duration
     * @return {@code "42s"}, {@code "1m05s"}, {@code "2h03m"}, or {@code "?"} when unknown (NaN, infinite, negative)
     */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s / 60) % 60);
    }
}
