package io.geolightning.trainer.checkpoint;

import io.geolightning.trainer.TrainerException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads a checkpoint entry and fails, instead of reading on, once it yields more bytes than the entry may hold: a
 * compressed entry that inflates far beyond what {@code meta.json} declares (a "zip bomb") is stopped at its cap.
 */
final class BoundedInputStream extends FilterInputStream {

    private final long cap;
    private final Path file;
    private final String entry;
    private long count;

    /**
     * @param in the entry's stream
     * @param cap the most bytes it may yield
     * @param file the checkpoint (for the message)
     * @param entry the entry name (for the message)
     */
    BoundedInputStream(InputStream in, long cap, Path file, String entry) {
        super(in);
        this.cap = cap;
        this.file = file;
        this.entry = entry;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, (int) Math.min(len, cap - count + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(Math.min(n, cap - count + 1));
        count(s);
        return s;
    }

    private void count(long n) {
        count += n;
        if (count > cap) {
            throw new TrainerException(file + ": not a valid checkpoint: entry " + entry + " holds more than the "
                    + cap + " bytes its metadata allows; pass an intact .ckpt written by the GeoLightning Trainer");
        }
    }
}
