package io.geolightning.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.ItemSplits;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitConfig;
import io.geolightning.tiling.splits.SplitRatios;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse 200,000 x 200,000 pixel GeoTIFF (a few MB on disk, nodata but for one 512 px block) has 156 million
 * candidate 16 px chips: placing and splitting them must not hold them, and tiling must start at once and log its
 * progress, in a small heap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HugeRasterTest {
    static final int SIDE = 200_000;
    static final long CHIPS = (long) (SIDE / 16) * (SIDE / 16);

    Path tmp;
    Path raster;
    Path labels;

    @BeforeAll
    void writeHugeSparseRaster(@TempDir Path dir) {
        tmp = dir;
        Gdal.ensureInitialised();
        raster = tmp.resolve("huge.tif");
        Dataset ds = gdal.GetDriverByName("GTiff").Create(raster.toString(), SIDE, SIDE, 1,
                gdalconstConstants.GDT_Byte, new String[] {"SPARSE_OK=TRUE", "TILED=YES", "BLOCKXSIZE=512",
                    "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "BIGTIFF=YES"});
        try {
            ds.SetGeoTransform(new double[] {500_000, 1, 0, 6_000_000, 0, -1});
            SpatialReference utm = new SpatialReference();
            utm.ImportFromEPSG(32633);
            ds.SetProjection(utm.ExportToWkt());
            Band b = ds.GetRasterBand(1);
            b.SetNoDataValue(0);
            byte[] data = new byte[512 * 512];
            java.util.Arrays.fill(data, (byte) 7);
            b.WriteRaster(0, 0, 512, 512, data); // the only block on disk: the rest reads as nodata
        } finally {
            ds.delete();
        }
        labels = LabelLayers.write(tmp.resolve("fields.gpkg"), "fields", 32633, "crop", ogrConstants.OFTString,
                List.of("POLYGON ((500000 5999500, 500500 5999500, 500500 6000000, 500000 6000000, 500000 5999500))"),
                List.of("wheat"));
    }

    @Test
    void theRasterIsHugeButSmallOnDisk() throws IOException {
        assertTrue(Files.size(raster) < 8 << 20, "sparse file: " + Files.size(raster) + " bytes");
        try (GeoRaster r = GeoRaster.open(raster)) {
            assertEquals(SIDE, r.width());
            assertEquals(SIDE, r.height());
        }
    }

    @Test
    void candidatesAndSplitsAreMadeOnDemandInAFewMegabytes() {
        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        try (GeoRaster r = GeoRaster.open(raster)) {
            List<Chip> chips = ChipGrid.of(16).chips(r);
            assertEquals(CHIPS, chips.size());
            assertEquals("huge_x0_y0", chips.get(0).id());
            assertEquals("huge_x199984_y199984", chips.get(chips.size() - 1).id());
            TilingConfig config = TilingConfig.builder().scenes(raster).labels(LabelConfig.classification(labels,
                    "crop")).chipSize(16).split(SplitConfig.spatial(BlockGrid.chips(16), SplitRatios.defaults(), 42))
                    .store(tmp.resolve("unused")).build();
            ChipCandidates candidates = ChipCandidates.place(config, List.of(r), Collections.singletonList(null));
            ItemSplits splits = ItemSplits.plan(config.split(), candidates.scenes());
            int[] perSplit = new int[Split.values().length];
            for (long i = 0; i < 100_000; i++) {
                Split s = splits.of(i, candidates.get(i));
                perSplit[s == null ? Split.PREDICT.ordinal() : s.ordinal()]++;
            }
            assertTrue(perSplit[Split.TRAIN.ordinal()] > 40_000, java.util.Arrays.toString(perSplit));
            assertTrue(perSplit[Split.VAL.ordinal()] + perSplit[Split.TEST.ordinal()] > 5_000,
                    java.util.Arrays.toString(perSplit));
            assertEquals(0, perSplit[Split.PREDICT.ordinal()], "16 px chips on 16-chip blocks never straddle");
            double secs = (System.nanoTime() - t0) / 1e9;
            long retained = usedHeapAfterGc() - before;
            assertTrue(secs < 20, "placing and splitting took " + secs + " s");
            assertTrue(retained < 48L << 20, "retained " + (retained >> 20) + " MB for " + CHIPS + " candidates");
            assertNotNull(chips.get(12345) + "" + candidates.get(CHIPS - 1) + splits); // keep them reachable
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Tiling the whole raster in a child JVM with a 160 MB heap: it must be tiling and logging within seconds. */
    @Test
    void tilingStartsAtOnceAndLogsProgressInASmallHeap() throws Exception {
        List<String> log = tileInChildJvm("predict", Pattern.compile("tiling: [\\d,]+/" + grouped(CHIPS)
                + " candidate chips \\(\\d+%\\), [\\d.,]+/(s|min), ETA \\S+"));
        assertTrue(log.stream().anyMatch(l -> l.contains(CHIPS + " candidate chips of 16 px, " + CHIPS
                + " after the split")), String.join("\n", log));
    }

    /** A strict spatial split counts the kept chips in one pass first: that pass logs its progress too. */
    @Test
    void aStrictSpatialSplitLogsItsCountingPass() throws Exception {
        tileInChildJvm("spatial", Pattern.compile("splitting: [\\d,]+/" + grouped(CHIPS)
                + " candidate chips \\(\\d+%\\), [\\d.,]+/(s|min), ETA \\S+"));
    }

    /** @return {@code n} as the progress lines print it, e.g. {@code "1,000,000"} */
    private static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** Runs {@link Child} until its log shows {@code awaited}, then stops it; fails if it dies or is too slow. */
    private List<String> tileInChildJvm(String mode, Pattern awaited) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx160m", "-cp", System.getProperty("java.class.path"),
                "-Djava.library.path=" + System.getProperty("java.library.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", Child.class.getName(), mode, raster.toString(),
                labels.toString(), tmp.resolve("store-" + mode).toString()).redirectErrorStream(true).start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    log.add(l);
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("reader: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l != null && awaited.matcher(l).find()) {
                    assertTrue(p.isAlive(), "still tiling");
                    assertFalse(log.stream().anyMatch(x -> x.contains("OutOfMemoryError")), String.join("\n", log));
                    return log;
                }
                if (l == null && !p.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no progress line matching " + awaited + " (" + (p.isAlive() ? "still running"
                    : "exited with " + p.exitValue()) + "); log:\n" + String.join("\n", log));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The child JVM: tiles the huge raster (never finishes within the test; the test stops it). */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            Path raster = Path.of(args[1]);
            TilingConfig.Builder b = TilingConfig.builder().scenes(raster).chipSize(16).workers(2)
                    .store(Path.of(args[3]));
            if (args[0].equals("spatial")) {
                b.labels(LabelConfig.classification(Path.of(args[2]), "crop"))
                        .split(SplitConfig.spatial(BlockGrid.chips(4), SplitRatios.defaults(), 42));
            }
            Tiler.run(b.build());
        }
    }
}
