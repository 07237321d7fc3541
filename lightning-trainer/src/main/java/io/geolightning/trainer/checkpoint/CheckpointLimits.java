package io.geolightning.trainer.checkpoint;

import ai.djl.ndarray.types.DataType;
import io.geolightning.trainer.TrainerException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The most bytes each array entry of a checkpoint may hold, from the parameter shapes and types {@code meta.json}
 * declares, plus room for the arrays' headers and names; never above a hard ceiling. Building it also checks that the
 * declarations themselves are sane (known types, non-negative dimensions, no overflow).
 *
 * @param modelBytes cap of {@code model.params}
 * @param optimizerBytes cap of each {@code optimizer-<i>.ndlist}
 * @param types the parameters' element types (optimizer states have them too)
 */
record CheckpointLimits(long modelBytes, long optimizerBytes, Set<DataType> types) {

    /** No entry is read past this, whatever the metadata says. */
    static final long HARD_CEILING = 16L << 30;
    /** Optimizer state slots per parameter allowed for (Adam keeps two, AMSGrad three). */
    static final int MAX_SLOTS = 4;
    private static final long HEADER_BYTES = 64L << 10;
    private static final long PER_ARRAY_BYTES = 1L << 10;

    /**
     * @param path the checkpoint (for messages)
     * @param meta its metadata
     * @return the caps
     * @throws TrainerException when a parameter declaration is malformed
     */
    static CheckpointLimits of(Path path, CheckpointMeta meta) {
        long data = 0;
        long names = 0;
        Set<DataType> types = EnumSet.noneOf(DataType.class);
        for (CheckpointMeta.ParameterInfo p : meta.parameters()) {
            if (p == null || p.name() == null || p.shape() == null || p.dataType() == null) {
                throw inconsistent(path, "a parameter without name, shape or type");
            }
            DataType type;
            try {
                type = DataType.valueOf(p.dataType().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw inconsistent(path, "parameter '" + CheckpointIO.quote(p.name()) + "' has unknown type '"
                        + CheckpointIO.quote(p.dataType()) + "'");
            }
            types.add(type);
            long n = Math.max(1, type.getNumOfBytes());
            for (long d : p.shape()) { // every dimension first: a size that overflows may also hold a negative one
                if (d < 0) {
                    throw inconsistent(path, "parameter '" + CheckpointIO.quote(p.name()) + "' has shape "
                            + shapeText(p.shape()));
                }
            }
            try {
                for (long d : p.shape()) {
                    n = Math.multiplyExact(n, d);
                }
                data = Math.addExact(data, n);
            } catch (ArithmeticException e) {
                throw inconsistent(path, "parameter '" + CheckpointIO.quote(p.name()) + "' has an impossible size "
                        + shapeText(p.shape()));
            }
            names += 2L * p.name().length() + PER_ARRAY_BYTES;
        }
        long model = cap(data, names);
        long optimizer = data > HARD_CEILING / MAX_SLOTS ? HARD_CEILING : cap(MAX_SLOTS * data, MAX_SLOTS * names);
        return new CheckpointLimits(model, optimizer, types);
    }

    /** @return the shape as text, at most 8 dimensions shown */
    private static String shapeText(long[] shape) {
        long[] shown = Arrays.copyOf(shape, Math.min(shape.length, 8));
        String t = Arrays.toString(shown);
        return shape.length > 8 ? t.substring(0, t.length() - 1) + ", ... (" + shape.length + " dimensions)]" : t;
    }

    private static long cap(long data, long overhead) {
        long c = data + overhead + HEADER_BYTES;
        return c < 0 || c > HARD_CEILING ? HARD_CEILING : c;
    }

    private static TrainerException inconsistent(Path path, String what) {
        return new TrainerException(path + ": checkpoint is inconsistent: meta.json declares " + what
                + "; pass an intact .ckpt written by the GeoLightning Trainer");
    }
}
