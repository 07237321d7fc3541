package io.geolightning.foundation.fuzz;

import static org.quicktheories.QuickTheory.qt;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.quicktheories.core.Gen;

/**
 * What a parser of untrusted files may do with any input: return a result, or throw the module's own exception whose
 * message is one non-empty line. Any other exception or error, a parse that runs longer than a time limit (a hang) and
 * one that allocates more than a memory limit (a blow-up, heap or direct buffers) break the contract. Each parse runs
 * on its own daemon thread, so a hung one is abandoned rather than blocking the test; the heap allocated is that
 * thread's own count ({@code com.sun.management.ThreadMXBean}), so other threads do not disturb it.
 *
 * <p>One instance per property; {@link #summary()} tells how the inputs were answered (to see that the mutations
 * reach past the first check).
 */
public final class ParseContract {

    /** Default time limit of one parse. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Default memory limit of one parse. */
    public static final long MAX_ALLOCATED_BYTES = 512L << 20;
    /** Shrinking reruns the parse: enough to simplify a failing input, few enough to end soon after a hang. */
    private static final int SHRINK_CYCLES = 30;

    private final Class<? extends RuntimeException> allowed;
    private final Duration timeout;
    private final long maxBytes;
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

    /**
     * @param allowed the module's exception type
     * @param timeout the longest one parse may take
     * @param maxBytes the most bytes one parse may allocate
     */
    public ParseContract(Class<? extends RuntimeException> allowed, Duration timeout, long maxBytes) {
        this.allowed = allowed;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** @param allowed the module's exception type; default limits */
    public ParseContract(Class<? extends RuntimeException> allowed) {
        this(allowed, TIMEOUT, MAX_ALLOCATED_BYTES);
    }

    /**
     * Runs one parse and checks the contract.
     *
     * @param input what was parsed, for the failure message
     * @param parse the parse
     * @throws AssertionError when the contract is broken
     */
    public void check(Object input, Callable<?> parse) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicLong allocated = new AtomicLong();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long directBefore = directBytes();
        Thread t = new Thread(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                parse.call();
            } catch (Throwable e) { // deliberately everything: errors are what this looks for
                thrown.set(e);
            } finally {
                allocated.set(threads.getCurrentThreadAllocatedBytes() - before);
            }
        }, "untrusted-parse");
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while parsing " + input, e);
        }
        if (t.isAlive()) {
            t.interrupt();
            count("HANG");
            throw new AssertionError("parse did not finish within " + timeout.toMillis() + " ms (hang) for " + input);
        }
        long direct = directBytes() - directBefore;
        if (allocated.get() > maxBytes || direct > maxBytes) {
            count("MEMORY");
            throw new AssertionError("parse allocated " + (allocated.get() >> 20) + " MiB heap, " + (direct >> 20)
                    + " MiB direct (limit " + (maxBytes >> 20) + " MiB) for " + input, thrown.get());
        }
        Throwable e = thrown.get();
        if (e == null) {
            count("ok");
            return;
        }
        if (!allowed.isInstance(e)) {
            count("UNEXPECTED " + e.getClass().getName());
            throw new AssertionError("expected a result or " + allowed.getSimpleName() + ", got " + e + " for "
                    + input, e);
        }
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            count("MULTI-LINE OR EMPTY MESSAGE");
            throw new AssertionError(allowed.getSimpleName() + " message is not one non-empty line: <" + m + "> for "
                    + input, e);
        }
        count(allowed.getSimpleName() + ": " + gist(m));
    }

    /**
     * Checks the contract on generated inputs (QuickTheories; a failure prints the smallest input found and the seed,
     * to rerun with {@code -DQT_SEED=<seed>}), then prints how the inputs were answered.
     *
     * @param property a name for the printed summary
     * @param inputs the inputs
     * @param tries how many
     * @param prepare puts one input where {@code parse} reads it (writes the file); not timed or measured
     * @param parse the parse of one input
     * @param <T> the input type
     */
    public <T> void forAll(String property, Gen<T> inputs, int tries, Consumer<T> prepare, Parse<T> parse) {
        qt().withExamples(tries).withShrinkCycles(SHRINK_CYCLES).forAll(inputs).checkAssert(in -> {
            prepare.accept(in);
            check(in, () -> parse.apply(in));
        });
        System.out.println(property + ":\n" + summary());
    }

    /**
     * The parse of one input.
     *
     * @param <T> the input type
     */
    @FunctionalInterface
    public interface Parse<T> {
        /**
         * @param input the input (its file is already written)
         * @return the result
         * @throws Exception anything: the contract judges it
         */
        Object apply(T input) throws Exception;
    }

    /** @return the outcomes so far, most frequent first, one per line */
    public String summary() {
        Map<Long, String> byCount = new TreeMap<>(java.util.Comparator.reverseOrder());
        outcomes.forEach((k, v) -> byCount.merge(v.get(), k, (a, b) -> a + " | " + b));
        StringBuilder sb = new StringBuilder();
        byCount.forEach((n, k) -> sb.append(String.format("%6d  %s%n", n, k)));
        return sb.toString();
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    /** The message without the file path it starts with, numbers masked and cut short: groups alike errors. */
    private static String gist(String m) {
        String s = m.replaceFirst("^/\\S*?: ", "").replaceAll("\\d+", "N");
        return s.length() > 90 ? s.substring(0, 90) : s;
    }

    private static long directBytes() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        return 0;
    }
}
