package io.geolightning.models.nn;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Map;

/** Builds the network a {@link ModelSpec} describes, so a checkpoint can rebuild its network. */
public final class ModelFactory {

    /** The DJL engine every network runs on. */
    public static final String ENGINE = "PyTorch";

    private ModelFactory() {
    }

    /**
     * @param spec what to build
     * @return an uninitialised DJL block: input N x bands x H x W float32; output N x classes (classification)
     *     or N x classes x H x W (segmentation)
     */
    public static Block build(ModelSpec spec) {
        Block block = switch (spec.architecture()) {
            case CNN -> LandUseCnn.build(spec);
            case RESNET18 -> ResNet.resnet18(spec.bands(), spec.classes());
            case RESNET34 -> ResNet.resnet34(spec.bands(), spec.classes());
            case RESNET50 -> ResNet.resnet50(spec.bands(), spec.classes());
            case UNET -> UNet.build(spec);
            case UNET_RESNET18, UNET_RESNET34, UNET_RESNET50 -> ResNetUNet.build(spec);
        };
        // the first network decides the oneDNN ISA cap, before any convolution runs
        NativeCpuGuard.forModel(block, spec.bands());
        return block;
    }

    /**
     * @param spec a spec
     * @return the options its network is built with, defaults filled in, by their YAML names (empty for the ResNet
     *     classifiers, which have none): what a model card needs to rebuild the network elsewhere
     */
    public static Map<String, Object> resolvedOptions(ModelSpec spec) {
        return switch (spec.architecture()) {
            case CNN -> LandUseCnn.options(spec).toMap();
            case RESNET18, RESNET34, RESNET50 -> Map.of();
            case UNET -> UNet.options(spec).toMap();
            case UNET_RESNET18, UNET_RESNET34, UNET_RESNET50 -> ResNetUNet.options(spec).toMap();
        };
    }

    /**
     * Builds the block, sets Kaiming-style (Xavier, gaussian, fan-in, magnitude 2) initialisation on weights and
     * initialises it for spec-sized chips.
     *
     * @param spec what to build
     * @param manager owns the parameters
     * @return the initialised block
     */
    public static Block buildInitialized(ModelSpec spec, NDManager manager) {
        Block block = build(spec);
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShape(spec, 1));
        return block;
    }

    /**
     * @param spec the spec
     * @return a new PyTorch-engine DJL model named after the architecture, holding an initialised network
     */
    public static Model newModel(ModelSpec spec) {
        Model model = Model.newInstance(spec.architecture().id(), ENGINE);
        Block block = build(spec);
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(spec, 1));
        return model;
    }

    /**
     * @param spec the spec
     * @param batch batch size
     * @return batch x bands x chip x chip
     */
    public static Shape inputShape(ModelSpec spec, int batch) {
        return new Shape(batch, spec.bands(), spec.chipSize(), spec.chipSize());
    }

    /**
     * @param block an initialised block
     * @return the number of trainable scalars (weights, biases, batch-norm gamma/beta; running statistics excluded),
     *     the figure torchvision users know as {@code sum(p.numel() for p in model.parameters())}
     */
    public static long trainableParameterCount(Block block) {
        long total = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient() && p.getType() != Parameter.Type.RUNNING_MEAN
                    && p.getType() != Parameter.Type.RUNNING_VAR) {
                total += p.getArray().size();
            }
        }
        return total;
    }
}
