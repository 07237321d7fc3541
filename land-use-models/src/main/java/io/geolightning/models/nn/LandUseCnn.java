package io.geolightning.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The land-use CNN: a chip classifier sized for a couple of CPU cores. {@code stages} times
 * ({@code convsPerStage} x conv3x3-bn-relu, then 2x2 max pool) with channels doubling from {@code width}
 * (capped at 512), then global average pooling, dropout and a linear layer to class logits.
 * Input N x bands x H x W (any H, W &ge; 2^stages), output N x classes.
 */
public final class LandUseCnn {

    private LandUseCnn() {
    }

    /**
     * @param spec the model spec (options width, stages, convsPerStage, dropout)
     * @return the network
     */
    public static Block build(ModelSpec spec) {
        Options o = options(spec);
        SequentialBlock net = new SequentialBlock();
        int channels = o.width();
        for (int s = 0; s < o.stages(); s++) {
            for (int c = 0; c < o.convsPerStage(); c++) {
                net.add(Layers.convBnRelu(channels, 3, 1));
            }
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            channels = Math.min(channels * 2, 512);
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        if (o.dropout() > 0) {
            net.add(Dropout.builder().optRate((float) o.dropout()).build());
        }
        net.add(Linear.builder().setUnits(spec.classes()).build());
        return net;
    }

    /**
     * The network's options, defaults filled in and checked.
     *
     * @param width channels of the first stage
     * @param stages conv + pooling stages
     * @param convsPerStage convolutions per stage
     * @param dropout dropout rate before the linear layer
     */
    public record Options(int width, int stages, int convsPerStage, double dropout) {
        /** @return the options by their YAML names (model.options), for a model card */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("width", width);
            m.put("stages", stages);
            m.put("convsPerStage", convsPerStage);
            m.put("dropout", dropout);
            return m;
        }
    }

    /**
     * @param spec the model spec
     * @return its options (width, stages, convsPerStage, dropout), defaults filled in
     * @throws ModelException one line naming a bad option, or chips too small for the stages
     */
    public static Options options(ModelSpec spec) {
        int width = width(spec);
        int stages = positive(spec, "stages", 4);
        int convs = positive(spec, "convsPerStage", 1);
        double dropout = spec.doubleOption("dropout", 0.2);
        if (dropout < 0 || dropout >= 1) {
            throw ModelException.badOption("model option", "dropout", dropout, " is ", "outside [0, 1); pass e.g. 0.2");
        }
        if (spec.chipSize() < (1 << stages)) {
            throw new ModelException("chips of " + spec.chipSize() + " px are too small for " + stages + " pooling"
                    + " stages; tile chips of at least " + (1 << stages) + " px (--chip, data.chipSize) or use fewer"
                    + " stages (model.options.stages)");
        }
        return new Options(width, stages, convs, dropout);
    }

    /**
     * The {@code width} option (channels of the first stage; later stages double it). It must be a multiple of 8:
     * libtorch 2.7.1's oneDNN convolutions (AVX2 kernels, 8 channels per vector) return sporadic NaN for channel
     * counts that are not, on the AMD AVX-512 machines GeoLightning is tested on. Measured with a U-Net predicting
     * RGB.byte.tif four times per width: widths 4 and 12 gave 1,250-347,098 NaN pixels per run, 8, 16 and 24 none.
     *
     * @param spec the model spec
     * @return the width
     * @throws ModelException one line naming the option and the fix
     */
    static int width(ModelSpec spec) {
        int width = positive(spec, "width", 32);
        if (width % 8 != 0) {
            throw ModelException.badOption("model option", "width", width, " is ", "not a multiple of 8; pass e.g. "
                    + Math.max(8, Math.round(width / 8f) * 8) + " (PyTorch's CPU convolutions return sporadic NaN for"
                    + " other channel counts)");
        }
        return width;
    }

    static int positive(ModelSpec spec, String key, int fallback) {
        int v = spec.intOption(key, fallback);
        if (v < 1) {
            throw ModelException.badOption("model option", key, v, " ", "must be positive; pass e.g. " + fallback);
        }
        return v;
    }
}
