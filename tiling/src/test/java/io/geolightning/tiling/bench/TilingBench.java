package io.geolightning.tiling.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.geolightning.tiling.EdgeMode;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingResult;
import io.geolightning.tiling.data.Augmentation;
import io.geolightning.tiling.data.ChipBatches;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.trainer.Stage;
import io.geolightning.tiling.labels.LabelConfig;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark used by scripts/bench-tiling: tiles a raster + polygon layer into 256 px classification chips (read +
 * label + Parquet write) and then iterates one epoch of the training loader. Prints "key=value" lines. With a sixth
 * argument (a catalog: folder, glob or list of rasters holding the same pixels), every round also tiles the catalog as
 * one region, interleaved with the single file, and prints the catalog's chips/s.
 * Usage: TilingBench raster.tif labels.gpkg attribute store-dir [rounds [catalog]]
 */
public final class TilingBench {
    private TilingBench() {
    }

    public static void main(String[] args) throws Exception {
        Path raster = Path.of(args[0]);
        Path labels = Path.of(args[1]);
        String attribute = args[2];
        Path store = Path.of(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int workers = Runtime.getRuntime().availableProcessors();
        TilingConfig cfg = TilingConfig.builder().scenes(raster)
                .labels(LabelConfig.classification(labels, attribute))
                .chipSize(256).edge(EdgeMode.PAD).maxNodataFraction(1.0)
                .store(store).workers(workers).build();
        TilingConfig region = null;
        if (args.length > 5) {
            var files = io.geolightning.geo.RasterCatalog.expand(java.util.List.of(args[5])).files();
            region = TilingConfig.builder().scenes(files.toArray(new io.geolightning.geo.GdalPath[0]))
                    .grid(io.geolightning.geo.TargetGrid.ofFirstRaster())
                    .labels(LabelConfig.classification(labels, attribute)).chipSize(256).edge(EdgeMode.PAD)
                    .maxNodataFraction(1.0).store(Path.of(args[3] + "-region")).workers(workers).build();
            System.out.printf(Locale.ROOT, "catalog_files=%d%n", files.size());
        }
        double bestRegion = Double.MAX_VALUE;
        long regionChips = 0;
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        for (int round = 0; round < rounds; round++) {
            long cpu0 = os.getProcessCpuTime();
            if (region != null) { // interleaved: the region first on even rounds, the file first on odd ones
                TilingResult rr = round % 2 == 0 ? Tiler.run(region) : null;
                if (rr != null) {
                    bestRegion = Math.min(bestRegion, rr.seconds());
                    regionChips = rr.written();
                    System.out.printf(Locale.ROOT, "round_%d_region_seconds=%.2f%n", round, rr.seconds());
                }
            }
            TilingResult r = Tiler.run(cfg); // each round rewrites the store (the data module would skip it)
            if (region != null && round % 2 == 1) {
                TilingResult rr = Tiler.run(region);
                bestRegion = Math.min(bestRegion, rr.seconds());
                regionChips = rr.written();
                System.out.printf(Locale.ROOT, "round_%d_region_seconds=%.2f%n", round, rr.seconds());
            }
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            bestCpu = Math.min(bestCpu, cpu);
            System.out.printf(Locale.ROOT, "round_%d_seconds=%.2f%nround_%d_cpu_seconds=%.2f%n", round, r.seconds(),
                    round, cpu);
            if (round == 0) {
                System.out.printf(Locale.ROOT, "tiling_chips=%d%ncold_seconds=%.2f%ncold_chips_per_s=%.1f%n",
                        r.written(), r.seconds(), r.chipsPerSecond());
            }
            if (r.seconds() < best) {
                best = r.seconds();
            }
            if (round == rounds - 1) {
                System.out.printf(Locale.ROOT, "best_seconds=%.2f%nbest_chips_per_s=%.1f%nbest_cpu_seconds=%.2f%n",
                        best, r.written() / best, bestCpu);
                if (region != null) {
                    System.out.printf(Locale.ROOT, "region_chips=%d%nregion_best_chips_per_s=%.1f%n"
                            + "region_ratio=%.2f%n", regionChips, regionChips / bestRegion,
                            (regionChips / bestRegion) / (r.written() / best));
                }
            }
        }

        SatelliteDataModule dm = new SatelliteDataModule(SatelliteDataModule.Config.store(store, LoaderConfig.builder()
                .batchSize(32).shuffle(true).workers(workers).prefetch(4)
                .augmentation(Augmentation.flipsAndRotations()).build()));
        long t0 = System.nanoTime();
        dm.setup(Stage.FIT);
        double loadSecs = (System.nanoTime() - t0) / 1e9;
        ChipBatches loader = dm.trainDataLoader();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int epoch = 0; epoch < 2; epoch++) { // epoch 0 warms up the JIT and the engine
                long n = 0;
                long t1 = System.nanoTime();
                for (Batch b : loader.getData(m)) {
                    n += b.getSize();
                    b.close();
                }
                double secs = (System.nanoTime() - t1) / 1e9;
                if (epoch == 1) {
                    System.out.printf(Locale.ROOT, "store_load_seconds=%.2f%nloader_samples=%d%nloader_seconds=%.2f%n"
                            + "loader_samples_per_s=%.1f%n", loadSecs, n, secs, n / secs);
                }
            }
        }
    }
}
