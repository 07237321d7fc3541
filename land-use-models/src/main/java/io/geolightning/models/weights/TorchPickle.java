package io.geolightning.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.geolightning.models.nn.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a PyTorch state dict saved with {@code torch.save} (a zip holding {@code data.pkl} and one raw file per
 * storage) without running Python: the pickle is read by razorvine's unpickler restricted to the globals a state dict
 * needs ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2} and the typed storages). Any other
 * global ({@code os.system}, a model class, ...) is refused with a one-line error before anything is built: loading
 * a pickle from the internet never executes its code. Tensors must be contiguous (as a state dict's are).
 */
final class TorchPickle {

    /** Storage type -> element size and decoder. */
    private enum Storage {
        FLOAT(4), DOUBLE(8), HALF(2), BFLOAT16(2), LONG(8), INT(4), SHORT(2), BYTE(1), CHAR(1), BOOL(1);

        final int bytes;

        Storage(int bytes) {
            this.bytes = bytes;
        }
    }

    private static final Map<String, Storage> STORAGES = Map.of("FloatStorage", Storage.FLOAT, "DoubleStorage",
            Storage.DOUBLE, "HalfStorage", Storage.HALF, "BFloat16Storage", Storage.BFLOAT16, "LongStorage",
            Storage.LONG, "IntStorage", Storage.INT, "ShortStorage", Storage.SHORT, "ByteStorage", Storage.BYTE,
            "CharStorage", Storage.CHAR, "BoolStorage", Storage.BOOL);

    /** A storage named by the pickle: its type and its file in the archive. */
    private record StorageRef(Storage type, String key) {
    }

    /** A tensor the pickle rebuilds: a view of a storage. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** The state dict's OrderedDict; its {@code _metadata} attribute (set by BUILD) is dropped. */
    public static final class StateDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Called by the unpickler's BUILD opcode with the dict's attributes; nothing to keep. */
        public void __setstate__(HashMap<?, ?> state) {
            // the module metadata of a state dict (versions) is not needed
        }
    }

    private TorchPickle() {
    }

    /**
     * @param file a {@code .pth}/{@code .pt} written by {@code torch.save(model.state_dict(), file)}
     * @param manager where the tensors go
     * @return name -> tensor (floating tensors as float32)
     * @throws ModelException one line naming the file: not a torch zip, a refused global, a non-contiguous tensor
     */
    static Map<String, NDArray> read(Path file, NDManager manager) {
        String name = file.getFileName().toString();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst().orElseThrow(() -> new ModelException(name + ": no data.pkl inside; not a state dict"
                            + " saved by torch.save (PyTorch 1.6 or later); re-save it, or save it as .safetensors"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            Object root;
            Restricted u = new Restricted(name);
            try (InputStream in = zip.getInputStream(pkl)) {
                root = u.load(in);
            } catch (PickleException e) {
                throw new ModelException(name + ": " + e.getMessage(), e);
            } finally {
                u.close();
            }
            if (!(root instanceof Map<?, ?> dict)) {
                throw new ModelException(name + ": holds a " + (root == null ? "None" : root.getClass().getSimpleName())
                        + ", not a state dict; save model.state_dict()");
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getValue() instanceof TensorRef t)) {
                    throw new ModelException(name + ": entry '" + e.getKey() + "' is not a tensor; save model"
                            + ".state_dict()");
                }
                out.put(String.valueOf(e.getKey()), tensor(zip, prefix, t, String.valueOf(e.getKey()), name, manager));
            }
            return out;
        } catch (IOException e) {
            if (isLegacy(file)) {
                throw new ModelException(name + ": a PyTorch file in the legacy format (before PyTorch 1.6, or saved"
                        + " with _use_new_zipfile_serialization=False), which is not read; re-save it in Python with"
                        + " torch.save(torch.load('" + name + "'), 'new.pth') or as .safetensors", e);
            }
            throw new ModelException(name + ": not a PyTorch zip archive (" + e.getMessage() + "); save the state dict"
                    + " with torch.save (PyTorch 1.6 or later) or as .safetensors", e);
        }
    }

    /** The start of torch.save's legacy format: pickle protocol 2, then its magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c,
        0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private static boolean isLegacy(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(LEGACY_MAGIC.length), LEGACY_MAGIC);
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static NDArray tensor(ZipFile zip, String prefix, TensorRef t, String key, String name,
                                  NDManager manager) throws IOException {
        long numel = 1;
        for (long s : t.size()) {
            numel *= s;
        }
        long expected = 1;
        for (int d = t.size().length - 1; d >= 0; d--) {
            if (t.size()[d] > 1 && t.stride()[d] != expected) {
                throw new ModelException(name + ": tensor '" + key + "' is not contiguous; save {k: v.contiguous()"
                        + " for k, v in state_dict.items()}");
            }
            expected *= t.size()[d];
        }
        ZipEntry data = zip.getEntry(prefix + "data/" + t.storage().key());
        if (data == null) {
            throw new ModelException(name + ": storage " + t.storage().key() + " of '" + key + "' is missing; the file"
                    + " is truncated, re-save it");
        }
        Storage type = t.storage().type();
        byte[] raw;
        try (InputStream in = zip.getInputStream(data)) {
            raw = in.readAllBytes();
        }
        long start = t.offset() * type.bytes;
        if (start + numel * type.bytes > raw.length) {
            throw new ModelException(name + ": tensor '" + key + "' reaches past its storage; the file is truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, (int) start, (int) (numel * type.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        Shape shape = new Shape(t.size());
        int n = (int) numel;
        switch (type) {
            case LONG -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                return manager.create(v, shape);
            }
            case INT, SHORT, BYTE, CHAR, BOOL -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (type) {
                        case INT -> b.getInt();
                        case SHORT -> b.getShort();
                        default -> b.get();
                    };
                }
                return manager.create(v, shape);
            }
            default -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (type) {
                        case FLOAT -> b.getFloat();
                        case DOUBLE -> (float) b.getDouble();
                        case HALF -> halfToFloat(b.getShort());
                        default -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16); // bfloat16
                    };
                }
                return manager.create(v, shape);
            }
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat is Java 20+). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mant << 13);
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    }

    /** The unpickler with an allow-list: GLOBAL and STACK_GLOBAL resolve only the state dict's globals. */
    private static final class Restricted extends Unpickler {
        private final String file;
        private final Map<String, Object> allowed = new HashMap<>();

        Restricted(String file) {
            this.file = file;
            allowed.put("collections.OrderedDict", (IObjectConstructor) args -> new StateDict());
            allowed.put("torch._utils._rebuild_tensor_v2", (IObjectConstructor) args -> new TensorRef(
                    (StorageRef) args[0], ((Number) args[1]).longValue(), longs(args[2]), longs(args[3])));
            STORAGES.forEach((k, v) -> allowed.put("torch." + k, v));
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            if (key == Opcodes.GLOBAL) {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.STACK_GLOBAL) {
                String name = String.valueOf(stack.pop());
                String module = String.valueOf(stack.pop());
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.INST || key == Opcodes.OBJ || key == Opcodes.EXT1 || key == Opcodes.EXT2
                    || key == Opcodes.EXT4) {
                throw new PickleException("the pickle builds objects of its own classes (opcode " + key + "), which a"
                        + " state dict never does; refused, nothing was run. Save model.state_dict() instead");
            }
            return super.dispatch(key);
        }

        private Object resolve(String module, String name) {
            Object v = allowed.get(module + "." + name);
            if (v == null) {
                throw new PickleException("refuses the pickle's global " + module + "." + name + " (a state dict needs"
                        + " only tensors); nothing was run. Save model.state_dict(), or convert it to .safetensors");
            }
            return v;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            Object[] t = pid instanceof Object[] a ? a : null;
            if (t == null || t.length < 3 || !"storage".equals(t[0]) || !(t[1] instanceof Storage type)) {
                throw new PickleException("an unexpected persistent id in " + file + "; not a torch.save state dict");
            }
            return new StorageRef(type, String.valueOf(t[2]));
        }

        private static long[] longs(Object tuple) {
            Object[] a = (Object[]) tuple;
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = ((Number) a[i]).longValue();
            }
            return out;
        }
    }
}
