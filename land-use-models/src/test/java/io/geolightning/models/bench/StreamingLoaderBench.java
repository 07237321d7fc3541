package io.geolightning.models.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.data.Augmentation;
import io.geolightning.tiling.data.ChipBatches;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreOptions;
import io.geolightning.tiling.store.ChipStoreWriter;
import io.geolightning.trainer.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The loader side of {@code scripts/bench-streaming}: writes chip stores of 64 x 64 RGB uint8 chips (a folder of
 * parts, as a Spark tile job writes), and runs one training epoch of a store through the {@link SatelliteDataModule}'s
 * training loader as a ResNet-18 run would (batch 64, shuffled, flips and rotations, 2 workers), streamed or in memory,
 * printing samples per second and the process's peak resident memory (VmHWM).
 */
public final class StreamingLoaderBench {
    private static final int SIDE = 64;
    private static final int BANDS = 3;

    private StreamingLoaderBench() {
    }

    /**
     * @param args {@code write DIR CHIPS} or {@code epoch DIR stream|memory}
     * @throws IOException when /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args[0].equals("write")) {
            write(Path.of(args[1]), Integer.parseInt(args[2]));
        } else {
            epoch(Path.of(args[1]), args[2].equals("stream"));
        }
    }

    /**
     * Chips of smooth random fields plus noise (they compress about as aerial chips do), 10 classes, 80% train; the
     * pixels differ per chip, so nothing is cached by accident.
     */
    private static void write(Path dir, int chips) {
        SplittableRandom r = new SplittableRandom(chips);
        BandStatisticsAccumulator train = new BandStatisticsAccumulator(BANDS, ChipDataType.UINT8, null);
        try (ChipStoreWriter w = ChipStoreWriter.open(dir, ChipStoreOptions.defaults().withRowsPerPart(20_000))) {
            for (int i = 0; i < chips; i++) {
                byte[] px = new byte[BANDS * SIDE * SIDE];
                for (int b = 0; b < BANDS; b++) {
                    double fx = r.nextDouble(0.02, 0.3);
                    double fy = r.nextDouble(0.02, 0.3);
                    double base = r.nextDouble(40, 200);
                    for (int y = 0; y < SIDE; y++) {
                        for (int x = 0; x < SIDE; x++) {
                            double v = base + 40 * Math.sin(fx * x) * Math.cos(fy * y) + r.nextInt(-8, 9);
                            px[b * SIDE * SIDE + y * SIDE + x] = (byte) Math.max(0, Math.min(255, (int) v));
                        }
                    }
                }
                Split s = i % 10 < 8 ? Split.TRAIN : i % 10 == 8 ? Split.VAL : Split.TEST;
                if (s == Split.TRAIN && i < 5000) {
                    train.add(px, SIDE * SIDE);
                }
                w.write(new ChipRow("c" + i, "synthetic.tif", "EPSG:32619", (i % 1000) * SIDE, (i / 1000) * SIDE,
                        SIDE, SIDE, i, 0, i + 1, 1, s, i % 10, null, BANDS, ChipDataType.UINT8, px));
            }
            List<String> classes = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                classes.add("class" + c);
            }
            w.commit(new ChipStoreMetadata(0, LabelTask.CLASSIFICATION, classes, null, BANDS, "uint8", SIDE, SIDE,
                    null, train.result(), null, null, "bench", Map.of(), List.of(), null));
        }
    }

    private static void epoch(Path store, boolean stream) throws IOException {
        LoaderConfig loader = LoaderConfig.builder().batchSize(64).shuffle(true).seed(7).workers(2)
                .augmentation(Augmentation.flipsAndRotations())
                .streaming(stream ? LoaderConfig.Streaming.ON : LoaderConfig.Streaming.OFF).build();
        long start = System.nanoTime();
        SatelliteDataModule data = new SatelliteDataModule(SatelliteDataModule.Config.store(store, loader));
        data.setup(Stage.FIT);
        ChipBatches train = data.trainDataLoader();
        long samples = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (Batch b : train.epochData(m, 0, 0)) {
                try (b) {
                    samples += b.getSize();
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "samples=%d train_chips=%d seconds=%.2f samples_per_s=%.1f peak_rss_mb=%d"
                + " heap_committed_mb=%d non_heap_mb=%d%n", samples, data.sampleCount(Split.TRAIN), secs, samples / secs,
                peakRssKb() / 1024, Runtime.getRuntime().totalMemory() >> 20,
                java.lang.management.ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() >> 20);
    }

    private static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status");
    }
}
