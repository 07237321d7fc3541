package io.geolightning.models.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ResNetUNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The torchvision name of every parameter of a GeoLightning ResNet ({@link io.geolightning.models.nn.ResNet}), found by
 * walking the block: its stem is {@code conv1}/{@code bn1}, its residual blocks {@code layer<L>.<B>} with
 * {@code conv1..3}/{@code bn1..3} on the main path and {@code downsample.0}/{@code .1} on a projecting shortcut, its
 * classifier {@code fc} (a {@link ResNetUNet}'s encoder has none). timm's ResNets (TorchGeo's pretrained ones) use the same names. DJL's batch-norm
 * {@code gamma, beta, runningMean, runningVar} are torchvision's {@code weight, bias, running_mean, running_var}.
 */
final class TorchvisionNames {

    /** Residual blocks per layer, by total block count (ResNet-18 / -34 and -50 / -101). */
    private static final Map<Integer, int[]> LAYERS = Map.of(8, new int[] {2, 2, 2, 2}, 16, new int[] {3, 4, 6, 3},
            33, new int[] {3, 4, 23, 3});

    private TorchvisionNames() {
    }

    /**
     * @param resnet the network (initialised)
     * @return torchvision name to parameter, in the network's order
     * @throws ModelException when the block is not a GeoLightning ResNet
     */
    static Map<String, Parameter> of(Block resnet) {
        if (resnet instanceof ResNetUNet unet) {
            return of(unet.encoder());
        }
        List<Block> top = new ArrayList<>();
        resnet.getChildren().values().forEach(top::add);
        List<Block> residual = top.stream().filter(b -> b instanceof ParallelBlock).toList();
        int[] layers = LAYERS.get(residual.size());
        if (!(resnet instanceof SequentialBlock) || layers == null || !(top.get(0) instanceof Conv2d)) {
            throw new ModelException("pretrained weights load into the ResNets (resnet18, resnet34, resnet50) and the"
                    + " U-Nets with a ResNet encoder (unet_resnet18, unet_resnet34, unet_resnet50); this network is not"
                    + " one of them");
        }
        Map<String, Parameter> out = new LinkedHashMap<>();
        add(out, "conv1", top.get(0));
        add(out, "bn1", top.get(1));
        int index = 0;
        for (int layer = 0; layer < layers.length; layer++) {
            for (int b = 0; b < layers[layer]; b++) {
                String prefix = "layer" + (layer + 1) + "." + b + ".";
                List<Block> parts = new ArrayList<>(residual.get(index++).getChildren().values());
                int conv = 0;
                int bn = 0;
                for (Block p : parts.get(0).getChildren().values()) {
                    if (p instanceof Conv2d) {
                        add(out, prefix + "conv" + ++conv, p);
                    } else if (p instanceof BatchNorm) {
                        add(out, prefix + "bn" + ++bn, p);
                    }
                }
                List<Block> shortcut = new ArrayList<>(parts.get(1).getChildren().values());
                for (int k = 0; k < shortcut.size(); k++) {
                    add(out, prefix + "downsample." + k, shortcut.get(k));
                }
            }
        }
        if (top.get(top.size() - 1) instanceof Linear fc) { // a classifier; an encoder ends with its last block
            add(out, "fc", fc);
        }
        return out;
    }

    private static void add(Map<String, Parameter> out, String module, Block block) {
        if (!(block instanceof Conv2d || block instanceof BatchNorm || block instanceof Linear)) {
            throw new ModelException("pretrained weights: unexpected layer " + block.getClass().getSimpleName() + " at "
                    + module + "; the network is not a torchvision-layout ResNet");
        }
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(module + "." + torchName(p.getKey()), p.getValue());
        }
    }

    /** @return torchvision's name of a DJL parameter name (batch norm's gamma, beta, running statistics) */
    static String torchName(String djl) {
        return switch (djl) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> djl;
        };
    }
}
