package io.geolightning.tiling.data;

import io.geolightning.tiling.labels.LabelTask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.stats.BandStatistics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChipLoaderTest {

    /** 20 samples of 2 bands 8x8 uint8; band 0 = pixel index, band 1 = sample id; mask = band 0 value. */
    static List<ChipSample> samples(int n) {
        List<ChipSample> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            byte[] px = new byte[2 * 64];
            byte[] mask = new byte[64];
            for (int i = 0; i < 64; i++) {
                px[i] = (byte) (i * 3 + s);
                px[64 + i] = (byte) s;
                mask[i] = px[i];
            }
            out.add(new ChipSample(px, io.geolightning.tiling.ChipDataType.UINT8, 2, 8, 8, s % 5, mask));
        }
        return out;
    }

    static BandStatistics stats() {
        return new BandStatistics(new long[] {1, 1}, new double[] {100, 10}, new double[] {50, 5},
                new double[] {0, 0}, new double[] {255, 255});
    }

    @Test
    void batchesHaveShapesDtypesAndNormalisedValues() {
        ChipLoader loader = new ChipLoader(new ListChipSource(samples(20)), BandNormalization.of(stats(), null),
                LoaderConfig.builder().batchSize(8).workers(2).build(), LabelTask.CLASSIFICATION);
        assertEquals(3, loader.batchCount());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int seen = 0;
            for (Batch b : loader.getData(m)) {
                try (b) {
                    NDArray x = b.getData().singletonOrThrow();
                    NDArray y = b.getLabels().singletonOrThrow();
                    assertEquals(DataType.FLOAT32, x.getDataType());
                    assertEquals(DataType.INT64, y.getDataType());
                    assertEquals(loader.size(), b.getProgressTotal(), "progress is counted in samples, as DJL does");
                    int n = b.getSize();
                    assertEquals(new Shape(n, 2, 8, 8), x.getShape());
                    assertEquals(new Shape(n), y.getShape());
                    float[] v = x.toFloatArray();
                    long[] l = y.toLongArray();
                    for (int i = 0; i < n; i++) {
                        int s = seen + i;
                        assertEquals((5 * 3 + s - 100) / 50.0, v[i * 128 + 5], 1e-5);
                        assertEquals((s - 10) / 5.0, v[i * 128 + 64 + 7], 1e-5);
                        assertEquals(s % 5, l[i]);
                    }
                    seen += n;
                }
            }
            assertEquals(20, seen);
        }
    }

    /** A shuffled epoch never ends on a batch of one sample (batch norm cannot train on it); evaluation keeps it. */
    @Test
    void aShuffledEpochLeavesOutALoneLastSample() {
        LoaderConfig training = LoaderConfig.builder().batchSize(8).shuffle(true).seed(3).build();
        ChipLoader loader = new ChipLoader(new ListChipSource(samples(17)), BandNormalization.identity(2), training,
                LabelTask.CLASSIFICATION);
        assertEquals(2, loader.batchCount());
        assertEquals(16, loader.samplesPerEpoch());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int seen = 0;
            for (Batch b : loader.getData(m)) {
                try (b) {
                    assertEquals(8, b.getSize());
                    seen += b.getSize();
                }
            }
            assertEquals(16, seen);
        }
        ChipLoader eval = new ChipLoader(new ListChipSource(samples(17)), BandNormalization.identity(2),
                training.toBuilder().shuffle(false).build(), LabelTask.CLASSIFICATION);
        assertEquals(3, eval.batchCount(), "evaluation scores every sample");
        ChipLoader two = new ChipLoader(new ListChipSource(samples(18)), BandNormalization.identity(2), training,
                LabelTask.CLASSIFICATION);
        assertEquals(3, two.batchCount(), "a last batch of two is kept");
    }

    @Test
    void seededShuffleIsReproducibleAndChangesPerEpoch() {
        LoaderConfig c = LoaderConfig.builder().batchSize(4).shuffle(true).seed(11).dropLast(true).build();
        ChipLoader a = new ChipLoader(new ListChipSource(samples(18)), BandNormalization.identity(2), c,
                LabelTask.CLASSIFICATION);
        ChipLoader b = new ChipLoader(new ListChipSource(samples(18)), BandNormalization.identity(2), c,
                LabelTask.CLASSIFICATION);
        assertEquals(4, a.batchCount());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            List<Integer> a0 = ids(a, m);
            List<Integer> b0 = ids(b, m);
            List<Integer> a1 = ids(a, m);
            assertEquals(16, a0.size());
            assertEquals(a0, b0, "same seed, same epoch, same order");
            assertNotEquals(a0, a1, "epoch 1 reshuffles");
            assertNotEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), a0);
        }
    }

    private static List<Integer> ids(ChipLoader loader, NDManager m) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : loader.getData(m)) {
            try (b) {
                float[] v = b.getData().singletonOrThrow().toFloatArray();
                for (int i = 0; i < b.getSize(); i++) {
                    out.add((int) v[i * 128 + 64]);
                }
            }
        }
        return out;
    }

    @Test
    void flipsAndRotationsMoveImageAndMaskTogether() {
        LoaderConfig c = LoaderConfig.builder().batchSize(5).augmentation(Augmentation.flipsAndRotations()).build();
        ChipLoader loader = new ChipLoader(new ListChipSource(samples(20)), BandNormalization.identity(2), c,
                LabelTask.SEGMENTATION);
        int changed = 0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int s = 0;
            for (Batch b : loader.getData(m)) {
                try (b) {
                    float[] v = b.getData().singletonOrThrow().toFloatArray();
                    NDArray y = b.getLabels().singletonOrThrow();
                    assertEquals(new Shape(5, 8, 8), y.getShape());
                    long[] mask = y.toLongArray();
                    for (int i = 0; i < 5; i++, s++) {
                        boolean same = true;
                        for (int p = 0; p < 64; p++) {
                            assertEquals(mask[i * 64 + p], (long) v[i * 128 + p], "mask follows image");
                            same &= (int) v[i * 128 + p] == ((p * 3 + s) & 0xFF);
                        }
                        changed += same ? 0 : 1;
                    }
                }
            }
        }
        assertTrue(changed >= 10, "most samples transformed: " + changed);
    }

    @Test
    void abandonedIterationStopsItsWorkers() throws InterruptedException {
        ChipLoader loader = new ChipLoader(new ListChipSource(samples(20)), BandNormalization.identity(2),
                LoaderConfig.builder().batchSize(2).prefetch(2).workers(2).build(), LabelTask.CLASSIFICATION);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Iterator<Batch> it = loader.getData(m).iterator();
            it.next().close();
            ChipLoader.BatchIterator bi = (ChipLoader.BatchIterator) it;
            bi.close();
            assertFalse(bi.hasNext());
            for (int i = 0; i < 50 && !bi.isTerminated(); i++) {
                Thread.sleep(20);
            }
            assertTrue(bi.isTerminated());
        }
    }

    @Test
    void mismatchedSampleSizesFailWithOneLine() {
        List<ChipSample> s = new ArrayList<>(samples(2));
        s.add(new ChipSample(new byte[2 * 16], io.geolightning.tiling.ChipDataType.UINT8, 2, 4, 4, 0, null));
        ChipLoader loader = new ChipLoader(new ListChipSource(s), BandNormalization.identity(2),
                LoaderConfig.builder().batchSize(3).build(), LabelTask.CLASSIFICATION);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            TilingException e = assertThrows(TilingException.class, () -> loader.getData(m).iterator().next());
            assertTrue(e.getMessage().contains("sample 2") && e.getMessage().contains("2x4x4"), e.getMessage());
        }
    }

    @Test
    void rotationIsARealPermutation() {
        float[] img = new float[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i;
        }
        Random r = new Random(1);
        for (int t = 0; t < 20; t++) {
            float[] copy = img.clone();
            new Augmentation(0.5, true).apply(new java.util.SplittableRandom(r.nextLong()), copy, 0, 1, 4, 4, null, 0);
            float[] sorted = copy.clone();
            java.util.Arrays.sort(sorted);
            assertArrayEquals(img, sorted);
        }
    }

    /** Every sample's pixels through the loader: one epoch, as floats, by sample in delivery order. */
    private static List<float[]> epoch(ChipLoader loader) {
        List<float[]> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (Batch b : loader.getData(m)) {
                try (b) {
                    float[] v = b.getData().singletonOrThrow().toFloatArray();
                    for (int i = 0; i < b.getSize(); i++) {
                        out.add(java.util.Arrays.copyOfRange(v, i * 128, (i + 1) * 128));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void photometricAugmentationShiftsAndScalesEachSampleAsAWholeAndLeavesMasksAlone() {
        List<ChipSample> plain = samples(20);
        LoaderConfig bright = LoaderConfig.builder().batchSize(5).augmentation(new Augmentation(0, false, 0.5, 0, 0))
                .build();
        List<float[]> shifted = epoch(new ChipLoader(new ListChipSource(plain), BandNormalization.identity(2), bright,
                LabelTask.SEGMENTATION));
        java.util.Set<Float> offsets = new java.util.HashSet<>();
        for (int s = 0; s < 20; s++) {
            float offset = shifted.get(s)[0] - (s & 0xFF);
            assertTrue(Math.abs(offset) <= 0.5f, "offset within the limit: " + offset);
            for (int p = 0; p < 128; p++) {
                float original = p < 64 ? (byte) (p * 3 + s) & 0xFF : s;
                assertEquals(original + offset, shifted.get(s)[p], 1e-4, "one offset for every band and pixel");
            }
            offsets.add(offset);
        }
        assertTrue(offsets.size() > 15, "each sample draws its own offset: " + offsets);
        assertEquals(shifted.stream().map(java.util.Arrays::toString).toList(), epoch(new ChipLoader(
                new ListChipSource(plain), BandNormalization.identity(2), bright, LabelTask.SEGMENTATION)).stream()
                .map(java.util.Arrays::toString).toList(), "the same seed draws the same changes");

        float[] image = new float[2 * 64];
        long[] mask = new long[64];
        for (int p = 0; p < 128; p++) {
            image[p] = 1 + p % 7;
        }
        for (int t = 0; t < 20; t++) {
            float[] x = image.clone();
            long[] m = mask.clone();
            new Augmentation(0, false, 0, 0.3, 0).apply(new java.util.SplittableRandom(t), x, 0, 2, 8, 8, m, 0);
            float gain = x[0] / image[0];
            assertTrue(gain >= 0.7f && gain <= 1.3f, "contrast gain within the limit: " + gain);
            for (int p = 0; p < 128; p++) {
                assertEquals(image[p] * gain, x[p], 1e-5, "one gain for every band and pixel");
            }
            assertArrayEquals(mask, m, "masks are not photometric");
        }
    }

    @Test
    void noiseHasTheRequestedSpreadAndBadLimitsAreRefused() {
        float[] x = new float[3 * 64 * 64];
        new Augmentation(0.5, true, 0, 0, 0.1).apply(new java.util.SplittableRandom(3), x, 0, 3, 64, 64, null, 0);
        double sum = 0;
        double sq = 0;
        for (float v : x) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / x.length;
        assertEquals(0, mean, 0.005);
        assertEquals(0.1, Math.sqrt(sq / x.length - mean * mean), 0.005);
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0.5, true, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0.5, true, -0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(0.5, true, 0, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(1.5, true));
        assertFalse(new Augmentation(0, false, 0, 0, 0.1).isNone());
    }
}
