package io.geolightning.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * ResNets in torchvision's layout, for any number of input bands: conv1 7x7/2 (no bias) + bn + relu +
 * maxpool 3x3/2, layer1..layer4 (64, 128, 256, 512 base widths; stride 2 from layer2 on, placed on the 3x3
 * convolution as in ResNet v1.5), 1x1 conv + bn downsample shortcuts, global average pooling and a linear layer.
 * With 3 bands and 1000 classes the trainable parameter counts equal torchvision's (11,689,512 for
 * resnet18, 25,557,032 for resnet50). Input N x bands x H x W, output N x classes.
 */
public final class ResNet {

    private ResNet() {
    }

    /**
     * @param bands ignored by the layers (inferred at initialisation), kept for symmetry with the spec
     * @param classes output classes
     * @return ResNet-18: BasicBlock x [2, 2, 2, 2]
     */
    public static Block resnet18(int bands, int classes) {
        return build(layers(Architecture.RESNET18), false, classes);
    }

    /**
     * @param bands ignored by the layers (inferred at initialisation), kept for symmetry with the spec
     * @param classes output classes
     * @return ResNet-34: BasicBlock x [3, 4, 6, 3]
     */
    public static Block resnet34(int bands, int classes) {
        return build(layers(Architecture.RESNET34), false, classes);
    }

    /**
     * @param bands ignored by the layers (inferred at initialisation), kept for symmetry with the spec
     * @param classes output classes
     * @return ResNet-50: Bottleneck x [3, 4, 6, 3], expansion 4
     */
    public static Block resnet50(int bands, int classes) {
        return build(layers(Architecture.RESNET50), true, classes);
    }

    private static Block build(int[] blocks, boolean bottleneck, int classes) {
        return encoder(blocks, bottleneck).add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /** Residual blocks per layer of ResNet-18, -34 and -50. */
    static int[] layers(Architecture depth) {
        return switch (depth) {
            case RESNET18, UNET_RESNET18 -> new int[] {2, 2, 2, 2};
            case RESNET34, UNET_RESNET34, RESNET50, UNET_RESNET50 -> new int[] {3, 4, 6, 3};
            default -> throw new ModelException(depth.id() + " has no ResNet encoder");
        };
    }

    /** @return whether the architecture's residual blocks are bottlenecks (ResNet-50) */
    static boolean usesBottleneck(Architecture depth) {
        return depth == Architecture.RESNET50 || depth == Architecture.UNET_RESNET50;
    }

    /**
     * The ResNet without its head: stem (conv1, bn1, relu, maxpool) then the residual blocks of layer1..layer4, as
     * one flat sequence (the layout whose parameters carry torchvision's names).
     *
     * @param blocks residual blocks per layer
     * @param bottleneck Bottleneck (expansion 4) rather than BasicBlock
     * @return the encoder: stride 32, 512 (or 2048) channels out
     */
    static SequentialBlock encoder(int[] blocks, boolean bottleneck) {
        SequentialBlock net = new SequentialBlock()
                .add(Layers.conv(64, 7, 2, 3))
                .add(Layers.batchNorm())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int inChannels = 64;
        for (int layer = 0; layer < blocks.length; layer++) {
            int width = 64 << layer;
            int outChannels = bottleneck ? width * 4 : width;
            for (int b = 0; b < blocks[layer]; b++) {
                int stride = (b == 0 && layer > 0) ? 2 : 1;
                boolean project = stride != 1 || inChannels != outChannels;
                net.add(residual(bottleneck ? bottleneck(width, stride) : basic(width, stride),
                        project ? downsample(outChannels, stride) : Blocks.identityBlock()));
                inChannels = outChannels;
            }
        }
        return net;
    }

    /** BasicBlock main path: 3x3 (stride) - bn - relu - 3x3 - bn. */
    private static Block basic(int width, int stride) {
        return new SequentialBlock()
                .add(Layers.conv(width, 3, stride, 1)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.conv(width, 3, 1, 1)).add(Layers.batchNorm());
    }

    /** Bottleneck main path (v1.5): 1x1 - bn - relu - 3x3 (stride) - bn - relu - 1x1 (x4) - bn. */
    private static Block bottleneck(int width, int stride) {
        return new SequentialBlock()
                .add(Layers.conv(width, 1, 1, 0)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.conv(width, 3, stride, 1)).add(Layers.batchNorm()).add(Activation.reluBlock())
                .add(Layers.conv(width * 4, 1, 1, 0)).add(Layers.batchNorm());
    }

    private static Block downsample(int outChannels, int stride) {
        return new SequentialBlock().add(Layers.conv(outChannels, 1, stride, 0)).add(Layers.batchNorm());
    }

    /**
     * relu(main(x) + shortcut(x)). The sum is taken in place in the main path's output (a batch norm's, which its
     * backward does not keep; torchvision's {@code out += identity}), saving an allocation of the feature map.
     */
    private static Block residual(Block main, Block shortcut) {
        return new ParallelBlock(outs -> {
            NDArray sum = outs.get(0).singletonOrThrow().addi(outs.get(1).singletonOrThrow());
            return new NDList(Activation.relu(sum));
        }, List.of(main, shortcut));
    }
}
