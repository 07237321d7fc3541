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
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * U-Net segmenter for any number of bands and classes. Encoder: {@code depth + 1} levels of
 * (conv3x3-bn-relu) x 2 with channels {@code width * 2^level} (capped at 1024), 2x2 max pooling between levels.
 * Decoder: upsample to the exact size of the matching skip connection ({@link Upsampling}), concatenate,
 * (conv3x3-bn-relu) x 2. A 1x1 convolution gives class logits. Works for odd sizes (the decoder resizes to the
 * skip's size rather than doubling). Input N x bands x H x W, output N x classes x H x W.
 */
public final class UNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int depth;
    private final Upsampling upsampling;
    private final List<Block> encoders = new ArrayList<>();
    private final List<Block> upConvs = new ArrayList<>();
    private final List<Block> decoders = new ArrayList<>();
    private final Block head;
    private final int classes;

    /**
     * @param classes output classes
     * @param width channels of the first level
     * @param depth number of 2x downsamplings (the deepest features are H / 2^depth)
     * @param upsampling how decoder features are enlarged
     */
    public UNet(int classes, int width, int depth, Upsampling upsampling) {
        super(VERSION);
        new Options(width, depth, upsampling); // checks them
        this.depth = depth;
        this.upsampling = upsampling;
        this.classes = classes;
        for (int level = 0; level <= depth; level++) {
            encoders.add(addChildBlock("enc" + level, doubleConv(channels(width, level))));
        }
        for (int level = depth - 1; level >= 0; level--) {
            if (upsampling == Upsampling.PIXEL_SHUFFLE) {
                upConvs.add(addChildBlock("up" + level, Conv2d.builder().setFilters(channels(width, level) * 4)
                        .setKernelShape(new Shape(1, 1)).build()));
            }
            decoders.add(addChildBlock("dec" + level, doubleConv(channels(width, level))));
        }
        head = addChildBlock("head", Conv2d.builder().setFilters(classes).setKernelShape(new Shape(1, 1)).build());
    }

    /**
     * @param spec the spec (options width, depth, upsampling)
     * @return the network
     */
    public static UNet build(ModelSpec spec) {
        Options o = options(spec);
        return new UNet(spec.classes(), o.width(), o.depth(), o.upsampling());
    }

    /**
     * The network's options, defaults filled in and checked.
     *
     * @param width channels of the first level
     * @param depth 2x downsamplings
     * @param upsampling how decoder features are enlarged
     */
    public record Options(int width, int depth, Upsampling upsampling) {
        /** Checks the depth (the config checks it with the other options, before a run starts). */
        public Options {
            if (depth < 1 || depth > 6) {
                throw ModelException.badOption("model option", "depth", depth, " is ", "outside 1..6; pass e.g. 4");
            }
        }

        /** @return the options by their YAML names (model.options), for a model card */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("width", width);
            m.put("depth", depth);
            m.put("upsampling", upsampling.id());
            return m;
        }
    }

    /**
     * @param spec the spec (options width, depth, upsampling)
     * @return its options, defaults filled in
     * @throws ModelException one line naming a bad option, or chips too small for the depth
     */
    public static Options options(ModelSpec spec) {
        Options o = new Options(LandUseCnn.width(spec), spec.intOption("depth", 4),
                Upsampling.parse(spec.stringOption("upsampling", "bilinear")));
        int depth = o.depth();
        if (spec.chipSize() < (1 << depth)) {
            throw new ModelException("chips of " + spec.chipSize() + " px are too small for a U-Net of depth " + depth
                    + "; tile chips of at least " + (1 << depth) + " px (--chip, data.chipSize) or use a smaller depth"
                    + " (model.options.depth)");
        }
        return o;
    }

    private static int channels(int width, int level) {
        return Math.min(width << level, 1024);
    }

    private static Block doubleConv(int channels) {
        return new SequentialBlock().add(Layers.convBnRelu(channels, 3, 1)).add(Layers.convBnRelu(channels, 3, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (int level = 0; level <= depth; level++) {
            if (level > 0) {
                x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            x = encoders.get(level).forward(ps, new NDList(x), training, params).singletonOrThrow();
            skips.add(x);
        }
        for (int i = 0; i < depth; i++) {
            int level = depth - 1 - i;
            NDArray skip = skips.get(level);
            long h = skip.getShape().get(2);
            long w = skip.getShape().get(3);
            if (upsampling == Upsampling.PIXEL_SHUFFLE) {
                x = upConvs.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
                x = Upsampling.resize(Upsampling.pixelShuffle(x, 2), h, w, false);
            } else {
                x = Upsampling.resize(x, h, w, upsampling == Upsampling.BILINEAR);
            }
            x = skip.concat(x, 1);
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
        long n = in.get(0);
        long h = in.get(2);
        long w = in.get(3);
        Shape x = in;
        List<Shape> skips = new ArrayList<>();
        for (int level = 0; level <= depth; level++) {
            if (level > 0) {
                x = new Shape(n, x.get(1), x.get(2) / 2, x.get(3) / 2);
            }
            encoders.get(level).initialize(manager, dataType, x);
            x = encoders.get(level).getOutputShapes(new Shape[] {x})[0];
            skips.add(x);
        }
        for (int i = 0; i < depth; i++) {
            Shape skip = skips.get(depth - 1 - i);
            if (upsampling == Upsampling.PIXEL_SHUFFLE) {
                upConvs.get(i).initialize(manager, dataType, x);
                x = upConvs.get(i).getOutputShapes(new Shape[] {x})[0];
                x = new Shape(n, x.get(1) / 4, x.get(2) * 2, x.get(3) * 2);
            }
            Shape cat = new Shape(n, skip.get(1) + x.get(1), skip.get(2), skip.get(3));
            decoders.get(i).initialize(manager, dataType, cat);
            x = decoders.get(i).getOutputShapes(new Shape[] {cat})[0];
        }
        head.initialize(manager, dataType, new Shape(n, x.get(1), h, w));
    }

    @Override
    public String toString() {
        return "UNet(depth=" + depth + ", upsampling=" + upsampling + ", classes=" + classes + ")";
    }
}
