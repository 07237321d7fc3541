package io.geolightning.trainer.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.TempFiles;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.optim.LightningOptimizer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes checkpoints. A checkpoint ({@code .ckpt}) is a ZIP archive with:
 * <ul>
 *   <li>{@code meta.json} - {@link CheckpointMeta}: epoch, global step, seed, parameter names/shapes/types,
 *       optimizer step counts, hyperparameters, callback and module states, metrics;</li>
 *   <li>{@code model.params} - the block's parameters in DJL's {@code Block.saveParameters} format;</li>
 *   <li>{@code optimizer-<i>.ndlist} - optimizer {@code i}'s state slots, an {@code NDList.encode} stream whose
 *       arrays are named {@code <parameter>/<slot>} (empty when the optimizer has no state, e.g. plain SGD).</li>
 * </ul>
 * No Java serialization is involved. Writing goes to a temporary file in the same folder that is then atomically
 * moved over the target.
 */
public final class CheckpointIO {

    static final String META = "meta.json";
    static final String MODEL = "model.params";
    /** meta.json holds names, shapes, hyperparameters and small states: far below this. */
    static final long MAX_META_BYTES = 64L << 20;
    /** meta.json nests a few levels: deeper input is refused while parsing, before binding could overflow a stack. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(64)
                    .build()).build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointIO() {}

    /**
     * Describes the parameters of an initialised block.
     *
     * @param block the block
     * @return name, shape and type of each parameter
     */
    public static List<CheckpointMeta.ParameterInfo> describe(Block block) {
        List<CheckpointMeta.ParameterInfo> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            out.add(new CheckpointMeta.ParameterInfo(p.getKey(), a.getShape().getShape(), a.getDataType().name()));
        }
        return out;
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param target the final path (its folder is created)
     * @param meta the metadata
     * @param block the initialised block
     * @param optimizers the optimizers, in configuration order
     */
    public static void write(Path target, CheckpointMeta meta, Block block, List<LightningOptimizer> optimizers) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            TempFiles.removeStale(target);
            tmp = TempFiles.create(target, ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                    ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(META));
                zip.write(JSON.writeValueAsBytes(meta));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(MODEL));
                DataOutputStream dos = new DataOutputStream(zip);
                block.saveParameters(dos);
                dos.flush();
                zip.closeEntry();
                for (int i = 0; i < optimizers.size(); i++) {
                    zip.putNextEntry(new ZipEntry("optimizer-" + i + ".ndlist"));
                    NDList state = optimizers.get(i).stateArrays();
                    if (!state.isEmpty()) { // an empty entry stands for "no state" (NDList cannot decode an empty list)
                        state.encode(zip);
                    }
                    zip.closeEntry();
                }
            }
            AtomicFiles.commit(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new TrainerException(target + ": cannot write checkpoint (" + firstLine(e.getMessage())
                    + "); check the folder exists, is writable and the disk has space", e);
        } finally {
            TempFiles.discard(tmp);
        }
    }

    /**
     * Opens a checkpoint: reads and checks {@code meta.json} (bounded) and that the weights entry exists; the weights
     * and optimizer states are streamed later, each capped by the sizes {@code meta.json} declares. Entries other than
     * the known ones are never read, so a crafted archive (a "zip bomb") costs neither memory nor time.
     *
     * @param path the .ckpt file
     * @return the checkpoint
     * @throws TrainerException (one line naming the file) when missing, not a checkpoint, damaged or inconsistent
     */
    public static LoadedCheckpoint read(Path path) {
        if (Files.isDirectory(path)) {
            throw new TrainerException(path + ": is a folder, not a checkpoint; pass a .ckpt file");
        }
        CheckpointMeta meta;
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry metaEntry = zip.getEntry(META);
            if (metaEntry == null || zip.getEntry(MODEL) == null) {
                throw new TrainerException(path + ": not a GeoLightning checkpoint (missing "
                        + (metaEntry == null ? META : MODEL) + "); pass a .ckpt written by the GeoLightning Trainer");
            }
            byte[] metaBytes;
            try (InputStream in = new BoundedInputStream(zip.getInputStream(metaEntry), MAX_META_BYTES, path, META)) {
                metaBytes = in.readAllBytes();
            }
            try {
                meta = JSON.readValue(metaBytes, CheckpointMeta.class);
            } catch (IOException | RuntimeException e) {
                throw new TrainerException(path + ": checkpoint meta.json is damaged (" + firstLine(e.getMessage())
                        + "); pass an intact .ckpt", e);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new TrainerException(path + ": not a readable checkpoint (corrupt or truncated archive: "
                    + firstLine(e.getMessage()) + "); pass a .ckpt written by the GeoLightning Trainer", e);
        } catch (IOException e) { // NoSuchFileException, or the file vanished while being read
            if (!Files.exists(path)) {
                throw new TrainerException(path + ": checkpoint file not found; pass the path of an existing .ckpt"
                        + " (ModelCheckpoint writes them under <dirpath>)", e);
            }
            throw new TrainerException(path + ": cannot read checkpoint (" + firstLine(e.getMessage())
                    + "); check the path and permissions", e);
        }
        if (meta == null || !CheckpointMeta.FORMAT.equals(meta.format()) || meta.version() > CheckpointMeta.VERSION
                || meta.parameters() == null) {
            throw new TrainerException(path + ": unsupported checkpoint format '"
                    + (meta == null ? null : quote(meta.format())) + "' version " + (meta == null ? 0 : meta.version())
                    + "; this build reads " + CheckpointMeta.FORMAT + " version <= " + CheckpointMeta.VERSION);
        }
        if (meta.epoch() < 0 || meta.batchInEpoch() < 0 || meta.globalStep() < 0) {
            throw new TrainerException(path + ": checkpoint is inconsistent: meta.json declares epoch " + meta.epoch()
                    + ", batch " + meta.batchInEpoch() + ", step " + meta.globalStep()
                    + " (none may be negative); pass an intact .ckpt written by the GeoLightning Trainer");
        }
        return new LoadedCheckpoint(path, meta, CheckpointLimits.of(path, meta));
    }

    /** An opened checkpoint: its metadata, with the weights streamed from the file on demand. */
    public static final class LoadedCheckpoint {
        private final Path path;
        private final CheckpointMeta meta;
        private final CheckpointLimits limits;

        LoadedCheckpoint(Path path, CheckpointMeta meta, CheckpointLimits limits) {
            this.path = path;
            this.meta = meta;
            this.limits = limits;
        }

        /** @return the metadata */
        public CheckpointMeta meta() {
            return meta;
        }

        /** @return where it was read from */
        public Path path() {
            return path;
        }

        /**
         * Checks the block has exactly the checkpoint's parameters (names, and shapes when the block is already
         * initialised), then loads the weights; an uninitialised block is initialised by the load. Parameters get new
         * arrays: build parameter stores and bind optimizers afterwards.
         *
         * @param block the initialised block
         * @param manager the manager to own the loaded arrays (the module's)
         * @throws TrainerException naming the first differing parameter and both shapes
         */
        public void restoreModel(Block block, NDManager manager) {
            List<CheckpointMeta.ParameterInfo> saved = meta.parameters();
            boolean initialized = block.isInitialized();
            List<String> names = new ArrayList<>(block.getParameters().keys());
            List<CheckpointMeta.ParameterInfo> current = initialized ? describe(block) : null;
            for (int i = 0; i < Math.max(saved.size(), names.size()); i++) {
                CheckpointMeta.ParameterInfo s = i < saved.size() ? saved.get(i) : null;
                String name = i < names.size() ? names.get(i) : null;
                if (s == null || name == null || !s.name().equals(name)) {
                    throw new TrainerException(path + ": checkpoint does not fit this model: parameter #" + i + " is "
                            + (s == null ? "absent" : "'" + quote(s.name()) + "' " + new Shape(s.shape()))
                            + " in the checkpoint but "
                            + (name == null ? "absent" : "'" + name + "'"
                                    + (initialized ? " " + new Shape(current.get(i).shape()) : "")) + " in the model;"
                            + " load it into the architecture that wrote it");
                }
                if (initialized && !Arrays.equals(s.shape(), current.get(i).shape())) {
                    throw new TrainerException(path + ": checkpoint does not fit this model: parameter '" + s.name()
                            + "' has shape " + new Shape(s.shape()) + " in the checkpoint but "
                            + new Shape(current.get(i).shape()) + " in the model; load it into the architecture that wrote it");
                }
            }
            List<NDArray> old = new ArrayList<>();
            if (initialized) {
                block.getParameters().values().forEach(p -> old.add(p.getArray()));
            }
            // DJL's decoder sizes allocations by the file's counts: check them against the model's own layout first
            WeightsLayout layout = initialized ? WeightsLayout.of(block) : null;
            try (ZipFile zip = new ZipFile(path.toFile())) {
                if (layout != null) {
                    try (InputStream in = new java.io.BufferedInputStream(new BoundedInputStream(
                            zip.getInputStream(entry(zip, MODEL)), limits.modelBytes(), path, MODEL))) {
                        layout.check(in);
                    }
                }
                try (DataInputStream dis = new DataInputStream(new java.io.BufferedInputStream(new BoundedInputStream(
                        zip.getInputStream(entry(zip, MODEL)), limits.modelBytes(), path, MODEL)))) {
                    block.loadParameters(manager, dis);
                }
            } catch (TrainerException e) {
                throw e;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new TrainerException(path + ": model.params is damaged (" + firstLine(e.getMessage())
                        + "); pass an intact .ckpt", e);
            }
            List<CheckpointMeta.ParameterInfo> loaded = describe(block);
            for (int i = 0; i < saved.size(); i++) {
                if (!Arrays.equals(saved.get(i).shape(), loaded.get(i).shape())) {
                    throw new TrainerException(path + ": checkpoint is inconsistent: meta.json declares parameter '"
                            + saved.get(i).name() + "' as " + new Shape(saved.get(i).shape()) + " but model.params holds "
                            + new Shape(loaded.get(i).shape()) + "; pass an intact .ckpt written by the GeoLightning Trainer");
                }
            }
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            old.forEach(NDArray::close);
        }

        /** @return the named entry's bytes (at most {@code cap}), or null when the archive has no such entry */
        private byte[] readEntry(String name, long cap) {
            try (ZipFile zip = new ZipFile(path.toFile())) {
                ZipEntry e = zip.getEntry(name);
                if (e == null) {
                    return null;
                }
                try (InputStream in = new BoundedInputStream(zip.getInputStream(e), cap, path, name)) {
                    return in.readAllBytes();
                }
            } catch (TrainerException e) {
                throw e;
            } catch (IOException e) {
                throw new TrainerException(path + ": " + name + " is damaged or unreadable (" + firstLine(e.getMessage())
                        + "); pass an intact .ckpt", e);
            }
        }

        /**
         * Restores optimizer {@code index}'s state (bind it first).
         *
         * @param index position in the optimizer configuration
         * @param optimizer the optimizer
         * @param manager a manager for the temporary decoded arrays
         */
        public void restoreOptimizer(int index, LightningOptimizer optimizer, NDManager manager) {
            List<CheckpointMeta.OptimizerInfo> infos = meta.optimizers();
            String name = "optimizer-" + index + ".ndlist";
            byte[] bytes = readEntry(name, limits.optimizerBytes());
            if (infos == null || index >= infos.size() || bytes == null) {
                throw new TrainerException(path + ": checkpoint has " + (infos == null ? 0 : infos.size())
                        + " optimizer(s) but the module configures more (index " + index
                        + "); resume with the optimizer setup that wrote it");
            }
            CheckpointMeta.OptimizerInfo info = infos.get(index);
            if (info == null || info.type() == null || !info.type().equals(optimizer.getClass().getSimpleName())) {
                throw new TrainerException(path + ": optimizer #" + index + " is "
                        + (info == null ? null : quote(info.type())) + " in the checkpoint but "
                        + optimizer.getClass().getSimpleName() + " in the module; resume with the same optimizer");
            }
            try (NDManager tmp = manager.newSubManager()) {
                if (bytes.length > 0) { // DJL's decoder sizes allocations by the file's counts: check them first
                    ArrayEncoding.checkList(bytes, CheckpointLimits.MAX_SLOTS * meta.parameters().size(),
                            limits.types());
                }
                NDList list = bytes.length == 0 ? new NDList() : NDList.decode(tmp, bytes);
                optimizer.loadState(list, info.stepCount());
            } catch (TrainerException e) {
                throw new TrainerException(path + ": " + firstLine(e.getMessage()), e);
            } catch (RuntimeException e) {
                throw new TrainerException(path + ": optimizer-" + index + ".ndlist is damaged (" + firstLine(e.getMessage())
                        + "); pass an intact .ckpt", e);
            }
        }
    }

    private static ZipEntry entry(ZipFile zip, String name) throws ZipException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new ZipException("entry " + name + " disappeared");
        }
        return e;
    }

    /** @return the first line of a message (a library's message may quote file content), at most 300 characters */
    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** @return a string from the file as one short line: control characters escaped, at most 80 characters */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 80 ? sb + "..." : sb.toString();
    }

    /**
     * Serialises to bytes (tests, tools).
     *
     * @param meta the metadata
     * @return JSON bytes
     */
    static byte[] metaBytes(CheckpointMeta meta) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        JSON.writeValue(bos, meta);
        return bos.toByteArray();
    }
}
