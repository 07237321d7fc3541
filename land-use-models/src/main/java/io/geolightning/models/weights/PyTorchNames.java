package io.geolightning.models.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ResNetUNet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch state-dict name of every parameter of a GeoLightning network in the layout of
 * {@code geolightning_models.py} (the module {@code export} writes beside the weights): a {@code SequentialBlock}'s
 * children are numbered from 0 as in {@code nn.Sequential}, a network's named levels ({@code enc0}, {@code dec2},
 * {@code up1}, {@code decoder4}) are entries of a {@code ModuleList} ({@code enc.0}, {@code dec.2}, {@code up.1},
 * {@code decoder.4}), other children keep their names ({@code head}); a {@link ResNetUNet}'s encoder carries
 * torchvision's ResNet names under {@code encoder.} ({@link TorchvisionNames}).
 */
final class PyTorchNames {

    /** DJL's child names: a two-digit position, then the name given ({@code 01Conv2d}, {@code 03enc2}). */
    private static final Pattern CHILD = Pattern.compile("(\\d{2,})(.*)");
    private static final Pattern LEVEL = Pattern.compile("(enc|dec|up|decoder)(\\d+)");

    private PyTorchNames() {
    }

    /**
     * @param network a GeoLightning network (initialised)
     * @return PyTorch name to parameter, in the network's order
     */
    static Map<String, Parameter> of(Block network) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        walk("", network, out);
        return out;
    }

    private static void walk(String prefix, Block block, Map<String, Parameter> out) {
        if (block instanceof Conv2d || block instanceof BatchNorm || block instanceof Linear) {
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                out.put(prefix + TorchvisionNames.torchName(p.getKey()), p.getValue());
            }
            return;
        }
        if (!block.getDirectParameters().isEmpty()) {
            throw new ModelException("export: layer " + block.getClass().getSimpleName() + " at '" + prefix
                    + "' has parameters export cannot name");
        }
        for (Pair<String, Block> child : block.getChildren()) {
            Matcher m = CHILD.matcher(child.getKey());
            String given = m.matches() ? m.group(2) : child.getKey();
            String name;
            if (block instanceof SequentialBlock) {
                name = String.valueOf(m.matches() ? Integer.parseInt(m.group(1)) - 1 : given);
            } else {
                Matcher level = LEVEL.matcher(given);
                name = level.matches() ? level.group(1) + "." + level.group(2) : given;
            }
            if (block instanceof ResNetUNet && "encoder".equals(name)) {
                TorchvisionNames.of(child.getValue()).forEach((k, p) -> out.put("encoder." + k, p));
            } else {
                walk(prefix + name + ".", child.getValue(), out);
            }
        }
    }
}
