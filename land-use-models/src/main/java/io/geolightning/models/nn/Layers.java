package io.geolightning.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

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
    public static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
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
