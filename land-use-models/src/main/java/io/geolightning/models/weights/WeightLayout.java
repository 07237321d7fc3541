package io.geolightning.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ResNetUNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names a weights file gives a network's tensors: torchvision's (and timm's) ResNet names, for the ResNets and a
 * ResNet U-Net's encoder, or the names {@code geolightning export} writes ({@link PyTorchNames}) for the whole of any
 * network, which is how a model exported from GeoLightning, and perhaps trained further in Python, comes back.
 *
 * @param names the network's parameters by their name in the file, less the prefix
 * @param prefix the prefix of the file's names ({@code model.}, {@code encoder.}...)
 * @param headModule the classifier's module name with its dot ({@code fc.}, {@code head.}, {@code 9.}): re-initialised
 *     when the file's has another shape
 * @param firstConvolution the first convolution's weight: adapted to another band count
 * @param expected what a matching file is, for messages
 */
record WeightLayout(Map<String, Parameter> names, String prefix, String headModule, String firstConvolution,
                    String expected) {

    private static final String TORCHVISION = "the weights of a torchvision/timm ResNet of the same depth";
    private static final String GEOLIGHTNING = "the weights geolightning export wrote for a network of the same"
            + " architecture and options";

    /**
     * @param network the network the weights load into
     * @param tensors the file's tensors by name
     * @param prefix the prefix given (model.weightsPrefix), or null to detect it
     * @param file the file's name, for messages
     * @return the layout the file uses
     */
    static WeightLayout of(Block network, Map<String, NDArray> tensors, String prefix, String file) {
        boolean wholeExport = network instanceof ResNetUNet && geoPrefix(tensors, prefix, "head.weight") != null;
        Map<String, Parameter> resnet = wholeExport ? null : resNetNames(network);
        if (resnet != null) { // a ResNet's or an encoder's weights: ImageNet, TorchGeo...
            String p = prefix != null ? prefix : PretrainedWeights.detectPrefix(tensors, file);
            return new WeightLayout(resnet, p, "fc.", "conv1.weight", TORCHVISION);
        }
        Map<String, Parameter> geo = PyTorchNames.of(network);
        String first = geo.keySet().iterator().next();
        String p = geoPrefix(tensors, prefix, first);
        if (p == null) {
            throw new ModelException(file + ": holds no tensors of this network (no '" + first + "' under any prefix;"
                    + " first names " + tensors.keySet().stream().limit(5).toList() + "); pass " + GEOLIGHTNING);
        }
        String last = new ArrayList<>(geo.keySet()).get(geo.size() - 1);
        return new WeightLayout(geo, p, last.substring(0, last.lastIndexOf('.') + 1), first, GEOLIGHTNING);
    }

    /**
     * @return torchvision's names of a ResNet's parameters (a ResNet U-Net's: its encoder's), or null when the network
     *     is no ResNet
     */
    private static Map<String, Parameter> resNetNames(Block network) {
        try {
            return TorchvisionNames.of(network);
        } catch (ModelException notResNet) {
            return null;
        }
    }

    /** @return the prefix under which the file holds {@code key}: the one given, a usual one, or any; null if none */
    private static String geoPrefix(Map<String, NDArray> tensors, String prefix, String key) {
        if (prefix != null) {
            return tensors.containsKey(prefix + key) ? prefix : null;
        }
        for (String p : PretrainedWeights.PREFIXES) {
            if (tensors.containsKey(p + key)) {
                return p;
            }
        }
        List<String> ends = tensors.keySet().stream().filter(k -> k.endsWith("." + key)).toList();
        return ends.size() == 1 ? ends.get(0).substring(0, ends.get(0).length() - key.length()) : null;
    }

    /** @return whether a parameter is the classifier's */
    boolean isHead(String key) {
        return key.startsWith(headModule);
    }
}
