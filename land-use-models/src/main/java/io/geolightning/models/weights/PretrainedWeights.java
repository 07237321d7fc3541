package io.geolightning.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.geolightning.models.nn.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads weights from {@code .safetensors}, {@code .npz} or a {@code torch.save}d {@code .pth} state dict (read without
 * Python, refusing any pickle global a state dict does not need: {@link TorchPickle}) into a GeoLightning network, as
 * Lightning users load a state dict: pretrained ResNet weights (torchvision's or timm's names, e.g. TorchGeo's
 * ResNets) into a ResNet or a ResNet U-Net's encoder, or the weights {@code geolightning export} wrote for any network
 * (its names, {@link WeightLayout}), perhaps trained further in Python, into a network of the same architecture:
 * <ul>
 *   <li>names may carry a prefix ({@code backbone.}, {@code model.}, {@code encoder.}, {@code module.}): detected, or
 *       given;</li>
 *   <li>a classifier ({@code fc}, or an export's last layer) of another class count, or one the file lacks, keeps its
 *       fresh initialisation (reported);</li>
 *   <li>a first convolution for another band count is adapted by timm's rule: 1 band sums the RGB kernels, other
 *       counts repeat them and scale by 3 / bands;</li>
 *   <li>any other difference is an error naming the tensor and both shapes; nothing is half loaded (the file is
 *       checked whole before any tensor is copied).</li>
 * </ul>
 */
public final class PretrainedWeights {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainedWeights.class);
    /** A torchvision/timm residual block's parameter: {@code layer3.5.conv1.weight}. */
    private static final Pattern RESIDUAL_BLOCK = Pattern.compile("layer\\d+\\.\\d+\\.");
    static final List<String> PREFIXES = List.of("", "backbone.", "model.", "encoder.", "module.",
            "module.backbone.", "model.backbone.");

    private PretrainedWeights() {
    }

    /**
     * @param network a GeoLightning network, initialised
     * @param file {@code .safetensors}, {@code .npz} or {@code .pth}/{@code .pt} weights
     * @param prefix the names' prefix (e.g. {@code backbone.}), or null to detect it
     * @return what was loaded, adapted and re-initialised
     * @throws ModelException one line naming the file and the fix: a network not initialised, unreadable, not a state
     *     dict of this network, a missing tensor, or a tensor of the wrong shape
     */
    public static WeightLoadReport load(Block network, Path file, String prefix) {
        String name = file.getFileName().toString();
        requireInitialized(network, name);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = read(file, manager);
            WeightLayout layout = WeightLayout.of(network, tensors, prefix, name);
            Map<String, Parameter> model = layout.names();
            String p = layout.prefix();
            List<String> loaded = new ArrayList<>();
            List<String> adapted = new ArrayList<>();
            List<String> reinitialised = new ArrayList<>();
            Map<Parameter, float[]> copies = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : model.entrySet()) {
                String key = e.getKey();
                NDArray target = e.getValue().getArray();
                NDArray src = tensors.get(p + key);
                Shape want = target.getShape();
                boolean head = layout.isHead(key);
                if (src == null || head && !src.getShape().equals(want)) {
                    if (head) {
                        reinitialised.add(key);
                        continue;
                    }
                    throw new ModelException(name + ": has no tensor '" + p + key + "' for the model's " + shape(want)
                            + " " + key + "; pass " + layout.expected() + ", or the prefix of its names"
                            + " (model.weightsPrefix)");
                }
                if (src.getShape().equals(want)) {
                    copies.put(e.getValue(), src.toType(DataType.FLOAT32, false).toFloatArray());
                    loaded.add(key);
                } else if (key.equals(layout.firstConvolution()) && sameExceptBands(src.getShape(), want)) {
                    copies.put(e.getValue(), adaptBands(src.toType(DataType.FLOAT32, false), (int) want.get(1))
                            .toFloatArray());
                    adapted.add(key + " " + shape(src.getShape()) + " -> " + shape(want));
                } else {
                    throw new ModelException(name + ": tensor '" + p + key + "' is " + shape(src.getShape())
                            + " but the model's is " + shape(want) + "; pass " + layout.expected() + " (only the"
                            + " first convolution's bands and the classifier's classes may differ)");
                }
            }
            List<String> unused = new ArrayList<>();
            for (String k : tensors.keySet()) {
                if (!k.startsWith(p) || !model.containsKey(k.substring(p.length()))) {
                    unused.add(k);
                }
            }
            String deeper = unused.stream().filter(k -> k.startsWith(p) && !k.endsWith("num_batches_tracked")
                    && RESIDUAL_BLOCK.matcher(k.substring(p.length())).lookingAt()).findFirst().orElse(null);
            if (deeper != null) { // a resnet34's weights fill a resnet18's blocks, then leave blocks of their own
                throw new ModelException(name + ": holds '" + deeper + "', a residual block the model does not have"
                        + " (the weights of a deeper ResNet); pass " + layout.expected());
            }
            copies.forEach((param, values) -> copyInto(param.getArray(), values));
            WeightLoadReport r = new WeightLoadReport(file.toString(), loaded, adapted, reinitialised, unused);
            LOG.info("{}", r.summary());
            return r;
        }
    }

    /**
     * Writes values into a parameter's own storage. Not {@code NDArray.set(Buffer)}: DJL's PyTorch engine then points
     * the tensor at a Java direct buffer (no copy), so the weights would live in memory libtorch did not allocate,
     * kept alive only by a Java reference, unlike every parameter initialised or restored from a checkpoint.
     */
    private static void copyInto(NDArray target, float[] values) {
        try (NDManager scratch = target.getManager().newSubManager()) {
            NDArray source = scratch.create(values, target.getShape());
            NDArray storage = target.stopGradient(); // a view of the same storage, outside autograd
            storage.attach(scratch); // the view goes with the scratch manager; the storage stays the parameter's
            storage.muli(0f).addi(source);
        }
    }

    /**
     * @param resnet a GeoLightning ResNet, initialised
     * @return its parameters under torchvision's names, in order (the arrays themselves, not copies)
     * @throws ModelException when the block is not a ResNet, or is not initialised
     */
    public static Map<String, NDArray> tensors(Block resnet) {
        requireInitialized(resnet, "PretrainedWeights.tensors");
        Map<String, NDArray> out = new LinkedHashMap<>();
        TorchvisionNames.of(resnet).forEach((k, p) -> out.put(k, p.getArray()));
        return out;
    }

    /**
     * Refuses a network whose parameters have no arrays yet (DJL would throw its own UninitializedParameterException
     * at the first one), naming the call that initialises it.
     */
    private static void requireInitialized(Block network, String what) {
        if (!network.isInitialized()) {
            throw new ModelException(what + ": the network is not initialised; build it with"
                    + " ModelFactory.buildInitialized(spec, manager) or LandUseTask.create(settings) (or call"
                    + " block.initialize(...)) before loading or reading its weights");
        }
    }

    /** @return the file's tensors by name */
    static Map<String, NDArray> read(Path file, NDManager manager) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(file)) {
            throw new ModelException(file + ": weights file not found; check the path");
        }
        if (lower.endsWith(".pth") || lower.endsWith(".pt")) {
            return TorchPickle.read(file, manager);
        }
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new ModelException(name + ": not readable as .safetensors or .npz weights (" + e.getMessage()
                    + "); export the state dict with safetensors.torch.save_file or numpy.savez", e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            if (a.getName() == null) {
                throw new ModelException(name + ": holds tensors without names; save a state dict (name -> tensor)");
            }
            out.put(a.getName(), a);
        }
        return out;
    }

    static String detectPrefix(Map<String, NDArray> tensors, String name) {
        for (String p : PREFIXES) {
            if (tensors.containsKey(p + "conv1.weight") && tensors.containsKey(p + "layer1.0.conv1.weight")) {
                return p;
            }
        }
        for (String k : tensors.keySet()) {
            if (k.endsWith("layer1.0.conv1.weight")) {
                return k.substring(0, k.length() - "layer1.0.conv1.weight".length());
            }
        }
        throw new ModelException(name + ": holds no ResNet tensors (no 'layer1.0.conv1.weight' under any prefix; first"
                + " names " + tensors.keySet().stream().limit(5).toList() + "); pass the weights of a torchvision or"
                + " timm ResNet");
    }

    private static boolean sameExceptBands(Shape a, Shape b) {
        return a.dimension() == 4 && b.dimension() == 4 && a.get(0) == b.get(0) && a.get(2) == b.get(2)
                && a.get(3) == b.get(3);
    }

    /** timm's adapt_input_conv: 1 band sums the RGB kernels; other counts repeat them and scale by 3 / bands. */
    static NDArray adaptBands(NDArray rgb, int bands) {
        long in = rgb.getShape().get(1);
        if (in != 3) {
            throw new ModelException("first convolution of " + in + " bands: only 3-band (RGB) weights adapt to"
                    + " another band count; pass weights for " + bands + " bands");
        }
        if (bands == 1) {
            return rgb.sum(new int[] {1}, true);
        }
        int repeat = (bands + 2) / 3;
        NDArray tiled = rgb.tile(new long[] {1, repeat, 1, 1});
        return tiled.get(":, :" + bands + ", :, :").mul(3f / bands);
    }

    private static String shape(Shape s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            b.append(i == 0 ? "" : "x").append(s.get(i));
        }
        return b.toString();
    }
}
