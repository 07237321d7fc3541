package io.geolightning.foundation.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test disturbance for native memory that Java owns: a garbage collection, the cleaner's turn to free the direct
 * buffers it found unreachable, then small direct buffers filled with {@link #POISON}, which malloc hands the freed
 * blocks back for. Code that still reads a freed buffer then reads the poison (see GraphScalars in lightning-trainer).
 */
public final class FreedMemory {

    /** What the reused blocks hold. */
    public static final float POISON = 1e30f;

    private FreedMemory() {
    }

    /**
     * Collects, waits 50 ms for the cleaner, and fills 64 fresh 4-byte direct buffers with {@link #POISON}.
     *
     * @return the buffers: keep them reachable until the code under test has read its memory
     * @throws InterruptedException when interrupted while waiting for the cleaner
     */
    public static List<ByteBuffer> collectAndReuse() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        List<ByteBuffer> reused = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            reused.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, POISON));
        }
        return reused;
    }
}
