package io.geolightning.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * U-Net whose encoder is a torchvision-layout ResNet (18, 34 or 50), the segmentation_models_pytorch {@code Unet}
 * design: the encoder's features at strides 2 (after the stem's ReLU), 4, 8 and 16 (after layer1..layer3) are the
 * skip connections of five decoder blocks that start from layer4 (stride 32). Each decoder block enlarges its input to
 * the size of its skip (or of the image, for the last one, which has no skip) by interpolation, concatenates the skip,
 * and applies (conv3x3-bn-relu) x 2; DJL's PyTorch engine has no transposed convolution. The decoder's channels are
 * {@code decoderWidth x (16, 8, 4, 2, 1)}; a 1x1 convolution gives class logits. The encoder is a plain ResNet
 * sequence, so torchvision/timm ResNet weights load into it ({@code io.geolightning.models.weights.PretrainedWeights}).
 * Any size of at least 32 pixels works. Input N x bands x H x W, output N x classes x H x W.
 */
public final class ResNetUNet extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final int DECODER_BLOCKS = 5;

    private final SequentialBlock encoder;
    private final int[] skipAfter;
    private final boolean bilinear;
    private final List<Block> decoders = new ArrayList<>();
    private final Block head;
    private final int classes;

    /**
     * @param blocks residual blocks per layer ({2,2,2,2} for ResNet-18, {3,4,6,3} for 34 and 50)
     * @param bottleneck Bottleneck blocks (ResNet-50)
     * @param classes output classes
     * @param decoderWidth channels of the last decoder block, a multiple of 8
     * @param upsampling bilinear or nearest
     */
    public ResNetUNet(int[] blocks, boolean bottleneck, int classes, int decoderWidth, Upsampling upsampling) {
        super(VERSION);
        new Options(decoderWidth, upsampling); // checks them
        this.encoder = addChildBlock("encoder", ResNet.encoder(blocks, bottleneck));
        this.bilinear = upsampling == Upsampling.BILINEAR;
        this.classes = classes;
        // the encoder's children are conv1, bn1, relu, maxpool, then the residual blocks: the skips are taken after
        // the relu (index 2) and after the last block of layer1, layer2 and layer3
        skipAfter = new int[DECODER_BLOCKS - 1];
        skipAfter[0] = 2;
        int index = 3;
        for (int layer = 0; layer < 3; layer++) {
            index += blocks[layer];
            skipAfter[layer + 1] = index;
        }
        for (int i = 0; i < DECODER_BLOCKS; i++) {
            int channels = decoderWidth << (DECODER_BLOCKS - 1 - i);
            decoders.add(addChildBlock("decoder" + i, new SequentialBlock()
                    .add(Layers.convBnRelu(channels, 3, 1)).add(Layers.convBnRelu(channels, 3, 1))));
        }
        head = addChildBlock("head", Conv2d.builder().setFilters(classes).setKernelShape(new Shape(1, 1)).build());
    }

    /**
     * @param spec the spec (architecture unet_resnet18/34/50; options decoderWidth, upsampling)
     * @return the network
     */
    public static ResNetUNet build(ModelSpec spec) {
        Options o = options(spec);
        return new ResNetUNet(ResNet.layers(spec.architecture()), ResNet.usesBottleneck(spec.architecture()),
                spec.classes(), o.decoderWidth(), o.upsampling());
    }

    /**
     * The network's options, defaults filled in.
     *
     * @param decoderWidth channels of the last decoder block
     * @param upsampling bilinear or nearest
     */
    public record Options(int decoderWidth, Upsampling upsampling) {
        /** Checks them (the config checks them with the other options, before a run starts). */
        public Options {
            if (decoderWidth < 8 || decoderWidth % 8 != 0 || decoderWidth > 64) {
                throw ModelException.badOption("model option", "decoderWidth", decoderWidth, " ",
                        "must be a multiple of 8 from 8 to 64; pass e.g. 16");
            }
            if (upsampling == Upsampling.PIXEL_SHUFFLE) {
                throw ModelException.badOption("model option", "upsampling", "pixelshuffle", " is ",
                        "for the plain unet; use bilinear or nearest");
            }
        }

        /** @return the options by their YAML names (model.options), for a model card */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decoderWidth", decoderWidth);
            m.put("upsampling", upsampling.id());
            return m;
        }
    }

    /**
     * @param spec the spec (architecture unet_resnet18/34/50; options decoderWidth, upsampling)
     * @return its options, defaults filled in and checked
     * @throws ModelException when the chips are too small for the encoder
     */
    public static Options options(ModelSpec spec) {
        if (spec.chipSize() < 32) {
            throw new ModelException("chips of " + spec.chipSize() + " px are too small for "
                    + spec.architecture().id() + " (its encoder downsamples 32 times); tile chips of at least 32 px"
                    + " (--chip, data.chipSize)");
        }
        return new Options(spec.intOption("decoderWidth", 16),
                Upsampling.parse(spec.stringOption("upsampling", "bilinear")));
    }

    /** @return the ResNet encoder (stem and layer1..layer4): the backbone pretrained weights load into */
    public SequentialBlock encoder() {
        return encoder;
    }

    /**
     * Runs the encoder alone.
     *
     * @param ps the parameter store
     * @param x N x bands x H x W
     * @param training training mode (batch statistics)
     * @return the features at strides 2, 4, 8, 16 and 32, in that order
     */
    public List<NDArray> encode(ParameterStore ps, NDArray x, boolean training) {
        List<NDArray> features = new ArrayList<>();
        List<Block> layers = encoder.getChildren().values();
        int next = 0;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(ps, new NDList(x), training, null).singletonOrThrow();
            if (next < skipAfter.length && i == skipAfter[next]) {
                features.add(x);
                next++;
            }
        }
        features.add(x);
        return features;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray in = inputs.singletonOrThrow();
        List<NDArray> features = encode(ps, in, training);
        NDArray x = features.get(features.size() - 1);
        for (int i = 0; i < DECODER_BLOCKS; i++) {
            int skip = DECODER_BLOCKS - 2 - i;
            if (skip >= 0) {
                NDArray s = features.get(skip);
                x = s.concat(Upsampling.resize(x, s.getShape().get(2), s.getShape().get(3), bilinear), 1);
            } else {
                x = Upsampling.resize(x, in.getShape().get(2), in.getShape().get(3), bilinear);
            }
            x = decoders.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), classes, in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        encoder.initialize(manager, dataType, in);
        List<Shape> features = new ArrayList<>();
        List<Block> layers = encoder.getChildren().values();
        Shape x = in;
        int next = 0;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).getOutputShapes(new Shape[] {x})[0];
            if (next < skipAfter.length && i == skipAfter[next]) {
                features.add(x);
                next++;
            }
        }
        for (int i = 0; i < DECODER_BLOCKS; i++) {
            int skip = DECODER_BLOCKS - 2 - i;
            Shape cat = skip >= 0
                    ? new Shape(in.get(0), features.get(skip).get(1) + x.get(1), features.get(skip).get(2),
                            features.get(skip).get(3))
                    : new Shape(in.get(0), x.get(1), in.get(2), in.get(3));
            decoders.get(i).initialize(manager, dataType, cat);
            x = decoders.get(i).getOutputShapes(new Shape[] {cat})[0];
        }
        head.initialize(manager, dataType, x);
    }

    @Override
    public String toString() {
        return "ResNetUNet(encoder blocks=" + (encoder.getChildren().size() - 4) + ", classes=" + classes + ")";
    }
}
