package io.geolightning.tiling.store;

import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.foundation.fuzz.ByteMutations;
import io.geolightning.foundation.fuzz.FuzzFiles;
import io.geolightning.foundation.fuzz.ParseContract;
import io.geolightning.foundation.fuzz.TreeMutations;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.stats.BandStatistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the chip-store reader with mutations of a real two-part store: opening it, reading its sidecar and every
 * chip may only succeed or fail with a one-line {@link TilingException}; never another exception, a hang or a memory
 * blow-up. A failure prints the edits that made the input and QuickTheories' seed (rerun with
 * {@code -DQT_SEED=<seed>}).
 */
class ChipStoreFuzzTest {

    /** Inputs per property and CI run. */
    private static final int TRIES = 400;
    private static Path dir;
    private static byte[] part;
    private static Object sidecar;

    @BeforeAll
    static void writeSeedStore() throws IOException {
        dir = Files.createTempDirectory("chip-store-fuzz");
        Path seed = dir.resolve("seed");
        try (ChipStoreWriter w = ChipStoreWriter.open(seed, ChipStoreOptions.defaults().withRowsPerPart(8))) {
            ChipStoreTest.rows(6, ChipDataType.UINT16, true).forEach(w::write);
            ChipStoreTest.rows(6, ChipDataType.UINT16, false).forEach(w::write);
            BandStatistics stats = new BandStatistics(new long[] {64, 64, 64}, new double[] {1, 2, 3},
                    new double[] {0.5, 0.5, 0.5}, new double[] {0, 0, 0}, new double[] {9, 9, 9});
            w.commit(new ChipStoreMetadata(0, LabelTask.SEGMENTATION, List.of("water", "urban"), 255, 3, "uint16", 8, 8,
                    java.util.Arrays.asList(0.0, null, -9999.0), stats, null, null, "hash",
                    Map.of("chipSize", 8, "stride", 8), List.of(), null));
        }
        part = Files.readAllBytes(seed.resolve("part-00000.parquet"));
        sidecar = SidecarJson.MAPPER.readValue(seed.resolve(ChipStoreLayout.SIDECAR).toFile(), Object.class);
        readAll(seed); // the seed itself reads
    }

    @AfterAll
    static void deleteFiles() {
        FuzzFiles.deleteTree(dir);
    }

    /** What a data module does with a store: open it, read its sidecar, stream every chip. */
    static Object readAll(Path store) {
        ChipStoreReader r = ChipStoreReader.open(store);
        ChipStoreMetadata m = r.requireMetadata();
        long[] rows = {0};
        r.forEach(row -> rows[0]++);
        return m.rows("train") + rows[0] + (m.nodataArray() == null ? 0 : m.nodataArray().length);
    }

    @Test
    void mutatedParquetPart() throws IOException {
        Path store = copyOfSeed("parts");
        Path file = store.resolve("part-00000.parquet");
        new ParseContract(TilingException.class).forAll("mutatedParquetPart", ByteMutations.of(part, 4), TRIES,
                m -> FuzzFiles.write(file, m.value()), m -> readAll(store));
    }

    @Test
    void mutatedSidecar() throws IOException {
        Path store = copyOfSeed("sidecar");
        Path file = store.resolve(ChipStoreLayout.SIDECAR);
        new ParseContract(TilingException.class).forAll("mutatedSidecar", TreeMutations.of(sidecar, 3, false), TRIES,
                m -> FuzzFiles.write(file, TreeMutations.toJson(m.value()).getBytes(StandardCharsets.UTF_8)),
                m -> readAll(store));
    }

    /** Sidecars that broke the reader before it was fixed. */
    @Test
    void inputsTheFuzzerFound() throws IOException {
        Path store = copyOfSeed("found");
        Path file = store.resolve(ChipStoreLayout.SIDECAR);
        ParseContract contract = new ParseContract(TilingException.class);
        List<Map<String, Object>> edits = List.of(
                Map.of("classNames", "[water, urban]\r\nsecond line"), // a two-line message (cut at LF only)
                Map.of("rowCounts", java.util.Collections.singletonMap("train", null)), // NPE in rows("train")
                Map.of("parts", java.util.Collections.singletonList(null)), // NPE resolving the part
                Map.of("parts", List.of("\u0000.parquet")), // InvalidPathException
                Map.of("parts", List.of("../seed/part-00000.parquet")), // read a file outside the store
                Map.of("nodata", List.of(0))); // one nodata value for three bands
        for (Map<String, Object> edit : edits) {
            Map<String, Object> json = new java.util.LinkedHashMap<>(SidecarJson.MAPPER.convertValue(sidecar, Map.class));
            json.putAll(edit);
            FuzzFiles.write(file, TreeMutations.toJson(json).getBytes(StandardCharsets.UTF_8));
            contract.check(edit, () -> readAll(store));
            TilingException e = org.junit.jupiter.api.Assertions.assertThrows(TilingException.class,
                    () -> readAll(store), edit::toString);
            org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("setterless"), e.getMessage());
        }
        FuzzFiles.write(file, new byte[(int) SidecarJson.MAX_BYTES + 1]); // not read into memory
        org.junit.jupiter.api.Assertions.assertThrows(TilingException.class, () -> readAll(store));
    }

    private static Path copyOfSeed(String name) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> s = Files.list(dir.resolve("seed"))) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
