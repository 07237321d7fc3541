package io.geolightning.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetworksTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(ModelFactory.ENGINE);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray forward(Block block, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    @Test
    void resnet18MatchesTorchvisionParameterCount() {
        try (NDManager m = manager.newSubManager()) {
            Block b = ModelFactory.buildInitialized(ModelSpec.of(Architecture.RESNET18, 3, 1000, 64), m);
            assertEquals(11_689_512L, ModelFactory.trainableParameterCount(b));
        }
    }

    @Test
    void resnet34MatchesTorchvisionParameterCount() {
        try (NDManager m = manager.newSubManager()) {
            Block b = ModelFactory.buildInitialized(ModelSpec.of(Architecture.RESNET34, 3, 1000, 64), m);
            assertEquals(21_797_672L, ModelFactory.trainableParameterCount(b)); // torchvision.models.resnet34()
        }
    }

    @Test
    void resnet50MatchesTorchvisionParameterCount() {
        try (NDManager m = manager.newSubManager()) {
            Block b = ModelFactory.buildInitialized(ModelSpec.of(Architecture.RESNET50, 3, 1000, 64), m);
            assertEquals(25_557_032L, ModelFactory.trainableParameterCount(b));
        }
    }

    @Test
    void resnet18ForwardOnSixBands() {
        try (NDManager m = manager.newSubManager()) {
            ModelSpec spec = ModelSpec.of(Architecture.RESNET18, 6, 2, 64);
            Block b = ModelFactory.buildInitialized(spec, m);
            NDArray out = forward(b, m.randomNormal(new Shape(2, 6, 64, 64)));
            assertEquals(new Shape(2, 2), out.getShape());
            // conv1 of a 6-band net has 64 x 6 x 7 x 7 weights: 3 extra bands add 64*3*49 over the 3-band net
            long sixBand = ModelFactory.trainableParameterCount(b);
            long threeBand = ModelFactory.trainableParameterCount(
                    ModelFactory.buildInitialized(ModelSpec.of(Architecture.RESNET18, 3, 2, 64), m));
            assertEquals(64L * 3 * 49, sixBand - threeBand);
        }
    }

    @Test
    void landUseCnnForwardOnSixBandOlindaSizedChips() {
        try (NDManager m = manager.newSubManager()) {
            ModelSpec spec = ModelSpec.of(Architecture.CNN, 6, 2, 32);
            Block b = ModelFactory.buildInitialized(spec, m);
            NDArray out = forward(b, m.randomNormal(new Shape(3, 6, 32, 32)));
            assertEquals(new Shape(3, 2), out.getShape());
            assertTrue(ModelFactory.trainableParameterCount(b) < 500_000, "the CPU CNN stays small");
        }
    }

    @Test
    void unetKeepsOddSizesForEveryUpsamplingMode() {
        for (String mode : new String[] {"bilinear", "nearest", "pixelshuffle"}) {
            try (NDManager m = manager.newSubManager()) {
                ModelSpec spec = ModelSpec.of(Architecture.UNET, 5, 4, 16)
                        .withOption("width", 8).withOption("depth", 3).withOption("upsampling", mode);
                Block b = ModelFactory.build(spec);
                b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 5, 37, 53));
                NDArray out = forward(b, m.randomNormal(new Shape(2, 5, 37, 53)));
                assertEquals(new Shape(2, 4, 37, 53), out.getShape(), mode);
                assertEquals(new Shape(2, 4, 37, 53), b.getOutputShapes(new Shape[] {new Shape(2, 5, 37, 53)})[0]);
            }
        }
    }

    @Test
    void unetSingleBandAndSixBands() {
        for (int bands : new int[] {1, 6}) {
            try (NDManager m = manager.newSubManager()) {
                ModelSpec spec = ModelSpec.of(Architecture.UNET, bands, 2, 32).withOption("width", 8);
                Block b = ModelFactory.buildInitialized(spec, m);
                assertEquals(new Shape(1, 2, 32, 32), forward(b, m.randomNormal(new Shape(1, bands, 32, 32))).getShape());
            }
        }
    }

    @Test
    void pixelShuffleMatchesPytorchOrdering() {
        try (NDManager m = manager.newSubManager()) {
            // torch.pixel_shuffle(torch.arange(8.).reshape(1, 8, 1, 1), 2)[0, 1] == [[4, 5], [6, 7]]
            NDArray x = m.arange(8f).reshape(1, 8, 1, 1);
            NDArray y = Upsampling.pixelShuffle(x, 2);
            assertEquals(new Shape(1, 2, 2, 2), y.getShape());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, y.toFloatArray());
        }
    }

    @Test
    void specRoundTripsThroughAMap() {
        ModelSpec spec = ModelSpec.of(Architecture.UNET, 3, 2, 64).withOption("depth", 3);
        Map<String, Object> map = spec.toMap();
        assertEquals(spec, ModelSpec.fromMap(map));
        assertEquals("unet", map.get("architecture"));
    }

    @Test
    void badSpecsSayWhatToDo() {
        ModelException e = assertThrows(ModelException.class, () -> Architecture.parse("vgg16"));
        assertTrue(e.getMessage().contains("vgg16") && e.getMessage().contains("resnet18"), e.getMessage());
        e = assertThrows(ModelException.class, () -> ModelSpec.of(Architecture.CNN, 0, 2, 64));
        assertTrue(e.getMessage().contains("bands = 0"), e.getMessage());
        e = assertThrows(ModelException.class, () -> ModelSpec.of(Architecture.CNN, 3, 1, 64));
        assertTrue(e.getMessage().contains("classes = 1"), e.getMessage());
        e = assertThrows(ModelException.class, () -> ModelSpec.of(Architecture.RESNET18, 3, 2, 16));
        assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
        e = assertThrows(ModelException.class,
                () -> ModelFactory.build(ModelSpec.of(Architecture.UNET, 3, 2, 32).withOption("upsampling", "deconv")));
        assertTrue(e.getMessage().contains("deconv"), e.getMessage());
        e = assertThrows(ModelException.class,
                () -> ModelFactory.build(ModelSpec.of(Architecture.UNET, 3, 2, 32).withOption("depth", "x")));
        assertTrue(e.getMessage().contains("depth = 'x'"), e.getMessage());
        e = assertThrows(ModelException.class,
                () -> ModelFactory.build(ModelSpec.of(Architecture.UNET, 3, 2, 32).withOption("depth", 6)));
        assertTrue(e.getMessage().contains("at least 64"), e.getMessage());
        for (Architecture a : List.of(Architecture.UNET, Architecture.CNN)) {
            e = assertThrows(ModelException.class,
                    () -> ModelFactory.build(ModelSpec.of(a, 3, 2, 32).withOption("width", 12)));
            assertTrue(e.getMessage().startsWith("model option width = 12 is not a multiple of 8; pass e.g. 16"),
                    e.getMessage());
        }
    }
}
