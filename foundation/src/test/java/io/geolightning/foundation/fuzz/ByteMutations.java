package io.geolightning.foundation.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Byte-level mutations of a valid file: bit flips, overwritten bytes, 32-bit length-like values written in either
 * byte order, inserted, deleted and duplicated runs, truncation. A third of the positions fall in the first 256 or
 * the last 1024 bytes, where archive and Parquet headers and footers live. Every choice is drawn from QuickTheories'
 * randomness source, so a failing input shrinks towards fewer, smaller edits.
 */
public final class ByteMutations {

    private static final int[] LENGTHS = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x40000000,
        0x7fffffff, 0x80000000};
    private static final int KINDS = 7;

    private ByteMutations() {
    }

    /**
     * @param seed a valid input (copied)
     * @param maxEdits the most edits applied to one input (at least 1)
     * @return mutants of the seed, each described by its edits
     */
    public static Gen<Mutant<byte[]>> of(byte[] seed, int maxEdits) {
        byte[] original = seed.clone();
        return in -> {
            byte[] b = original;
            List<String> edits = new ArrayList<>();
            int n = pick(in, 1, maxEdits);
            for (int i = 0; i < n && b.length > 0; i++) {
                int p = position(in, b.length);
                switch (pick(in, 0, KINDS - 1)) {
                    case 0 -> {
                        int bit = pick(in, 0, 7);
                        b = b.clone();
                        b[p] ^= (byte) (1 << bit);
                        edits.add("flip bit " + bit + " at " + p);
                    }
                    case 1 -> {
                        int v = pick(in, 0, 255);
                        b = b.clone();
                        b[p] = (byte) v;
                        edits.add("set byte " + p + " to " + v);
                    }
                    case 2 -> {
                        int v = LENGTHS[pick(in, 0, LENGTHS.length - 1)];
                        boolean little = pick(in, 0, 1) == 1;
                        b = Arrays.copyOf(b, Math.max(b.length, p + 4));
                        for (int k = 0; k < 4; k++) {
                            b[p + k] = (byte) (v >>> (little ? 8 * k : 24 - 8 * k));
                        }
                        edits.add("write int32 " + v + (little ? " little" : " big") + "-endian at " + p);
                    }
                    case 3 -> {
                        byte[] ins = new byte[pick(in, 1, 64)];
                        for (int k = 0; k < ins.length; k++) {
                            ins[k] = (byte) pick(in, 0, 255);
                        }
                        b = splice(b, p, 0, ins);
                        edits.add("insert " + ins.length + " bytes at " + p);
                    }
                    case 4 -> {
                        int len = Math.min(pick(in, 1, 256), b.length - p);
                        b = splice(b, p, len, new byte[0]);
                        edits.add("delete " + len + " bytes at " + p);
                    }
                    case 5 -> {
                        b = Arrays.copyOf(b, p);
                        edits.add("truncate to " + p);
                    }
                    default -> {
                        int len = Math.min(pick(in, 1, 512), b.length - p);
                        int to = position(in, b.length);
                        b = splice(b, to, 0, Arrays.copyOfRange(b, p, p + len));
                        edits.add("copy " + len + " bytes from " + p + " to " + to);
                    }
                }
            }
            return new Mutant<>(b, String.join("; ", edits) + " (" + original.length + " -> " + b.length + " bytes)");
        };
    }

    private static int position(RandomnessSource in, int length) {
        return switch (pick(in, 0, 2)) {
            case 0 -> pick(in, 0, Math.min(length, 256) - 1);
            case 1 -> pick(in, Math.max(0, length - 1024), length - 1);
            default -> pick(in, 0, length - 1);
        };
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    static int pick(RandomnessSource in, int min, int max) {
        return (int) in.next(Constraint.between(min, max));
    }
}
