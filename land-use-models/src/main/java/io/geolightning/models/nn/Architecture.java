package io.geolightning.models.nn;

import io.geolightning.tiling.labels.LabelTask;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The networks {@link ModelFactory} can build, with the name used in configuration and checkpoints. */
public enum Architecture {
    /** {@link LandUseCnn}: a small conv-bn-relu-pool classifier sized for CPUs. */
    CNN("cnn", LabelTask.CLASSIFICATION, 16, "width", "stages", "convsPerStage", "dropout", "labelSmoothing"),
    /** torchvision-layout ResNet-18 (BasicBlock [2,2,2,2]). */
    RESNET18("resnet18", LabelTask.CLASSIFICATION, 32, "labelSmoothing"),
    /** torchvision-layout ResNet-34 (BasicBlock [3,4,6,3]). */
    RESNET34("resnet34", LabelTask.CLASSIFICATION, 32, "labelSmoothing"),
    /** torchvision-layout ResNet-50 (Bottleneck [3,4,6,3], stride on the 3x3 conv, v1.5). */
    RESNET50("resnet50", LabelTask.CLASSIFICATION, 32, "labelSmoothing"),
    /** {@link UNet} segmenter. */
    UNET("unet", LabelTask.SEGMENTATION, 16, "width", "depth", "upsampling", "loss", "focalGamma", "labelSmoothing"),
    /** {@link ResNetUNet}: U-Net whose encoder is a torchvision-layout ResNet-18 (pretrained weights load into it). */
    UNET_RESNET18("unet_resnet18", LabelTask.SEGMENTATION, 32, "decoderWidth", "upsampling", "loss", "focalGamma", "labelSmoothing"),
    /** {@link ResNetUNet} with a ResNet-34 encoder. */
    UNET_RESNET34("unet_resnet34", LabelTask.SEGMENTATION, 32, "decoderWidth", "upsampling", "loss", "focalGamma", "labelSmoothing"),
    /** {@link ResNetUNet} with a ResNet-50 encoder. */
    UNET_RESNET50("unet_resnet50", LabelTask.SEGMENTATION, 32, "decoderWidth", "upsampling", "loss", "focalGamma", "labelSmoothing");

    private final String id;
    private final LabelTask kind;
    private final int minChipSize;
    private final List<String> options;

    Architecture(String id, LabelTask kind, int minChipSize, String... options) {
        this.id = id;
        this.kind = kind;
        this.minChipSize = minChipSize;
        this.options = List.of(options);
    }

    /** @return the {@link ModelSpec} options the network reads; any other option is a mistake */
    public List<String> options() {
        return options;
    }

    /** @return the lower-case name used in configuration files and checkpoints */
    public String id() {
        return id;
    }

    /** @return whether the network classifies chips or segments pixels */
    public LabelTask kind() {
        return kind;
    }

    /** @return the smallest chip side (pixels) the network accepts with its default options */
    public int minChipSize() {
        return minChipSize;
    }

    /**
     * @param name an architecture name, case-insensitive, with or without dashes and underscores ("resnet18",
     *     "ResNet-18", "unet_resnet34" and "UNet-ResNet34" all work)
     * @return the architecture
     * @throws ModelException naming the value and the known names when it is unknown
     */
    public static Architecture parse(String name) {
        if (name != null) {
            String key = plain(name);
            for (Architecture a : values()) {
                if (plain(a.id).equals(key)) {
                    return a;
                }
            }
        }
        throw new ModelException("architecture '" + name + "': unknown network; use one of "
                + Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", ")));
    }

    private static String plain(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
