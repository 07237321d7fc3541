package io.geolightning.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Small building blocks shared by the networks: bias-free convolutions followed by batch norm. */
public final class Layers {

    private Layers() {
    }

    /**
     * @param filters output channels
     * @param kernel square kernel size
     * @param stride stride
     * @param padding zero padding on each side
     * @return a bias-free 2-D convolution (bias is redundant before batch norm, as in torchvision)
     */
    public static ai.djl.nn.convolutional.Conv2d conv(int filters, int kernel, int stride, int padding) {
        ai.djl.nn.convolutional.Conv2d.Builder b = ai.djl.nn.convolutional.Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false);
        return kernel == 1 && stride > 1 && padding == 0 ? new Conv2d(b) : b.build();
    }

    /**
     * A 1x1 convolution of stride s computed as the stride-1 convolution of every s-th pixel of every s-th row: the
     * same values and gradients (to float rounding), but libtorch 2.7.1's oneDNN dies (SIGFPE in
     * {@code brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1}) computing the input gradient of a strided
     * 1x1 convolution from 512 or more channels on the AMD EPYC it was found on, at AVX-512 and AVX2 alike: the
     * shortcuts of ResNet-50's layer3 and layer4 could not train. Named {@code Conv2d}, as DJL names a block's
     * parameters after its class's simple name, so the parameters keep the names of every checkpoint and of
     * torchvision's map.
     */
    static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
        Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
            super(builder);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
            NDArray every = x.get(":, :, ::" + stride.get(0) + ", ::" + stride.get(1));
            return conv2d(every, w, null, new Shape(1, 1), new Shape(0, 0), dilation, groups);
        }
    }

    /** @return batch norm over the channel axis (eps 1e-5, running-stat momentum 0.1 in PyTorch terms) */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /**
     * @param filters output channels
     * @param kernel square kernel size (padding keeps the size at stride 1)
     * @param stride stride
     * @return conv + batch norm + ReLU
     */
    public static SequentialBlock convBnRelu(int filters, int kernel, int stride) {
        return new SequentialBlock()
                .add(conv(filters, kernel, stride, kernel / 2))
                .add(batchNorm())
                .add(Activation.reluBlock());
    }
}
