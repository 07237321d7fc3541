package io.geolightning.tiling.store;

import io.geolightning.tiling.labels.LabelTask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChipStoreTest {
    @TempDir
    Path tmp;

    static List<ChipRow> rows(int n, ChipDataType dtype, boolean segmentation) {
        Random r = new Random(7);
        List<ChipRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[3 * 8 * 8 * dtype.bytes()];
            r.nextBytes(px);
            byte[] mask = null;
            if (segmentation) {
                mask = new byte[64];
                r.nextBytes(mask);
            }
            Split s = Split.values()[i % 3];
            out.add(new ChipRow("c" + i, "/data/scene.tif", "EPSG:32618", i * 8, 0, 8, 8, i, 0, i + 8, 8, s,
                    segmentation ? null : i % 4, mask, 3, dtype, px));
        }
        return out;
    }

    static ChipStoreMetadata meta() {
        return new ChipStoreMetadata(0, LabelTask.CLASSIFICATION, List.of("a", "b", "c", "d"), null, 3, "uint8", 8, 8,
                null, null, null, null, "hash", Map.of("k", "v"), List.of(), null);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"SNAPPY", "ZSTD", "GZIP", "UNCOMPRESSED"})
    void roundTripsEveryColumnExactly(CompressionCodecName codec) {
        List<ChipRow> in = rows(50, ChipDataType.UINT16, false);
        Path store = tmp.resolve("s.parquet");
        try (ChipStoreWriter w = ChipStoreWriter.open(store, ChipStoreOptions.defaults().withCodec(codec))) {
            in.forEach(w::write);
            ChipStoreMetadata m = w.commit(meta());
            assertEquals(50L, m.rowCounts().get("total"));
            assertEquals(17L, m.rowCounts().get("train"));
        }
        ChipStoreReader r = ChipStoreReader.open(store);
        assertEquals(50, r.rowCount());
        assertEquals(codec.name(), r.requireMetadata().codec());
        List<ChipRow> out = new ArrayList<>();
        r.forEach(out::add);
        assertEquals(in.size(), out.size());
        for (int i = 0; i < in.size(); i++) {
            ChipRow a = in.get(i);
            ChipRow b = out.get(i);
            assertEquals(a.chipId(), b.chipId());
            assertEquals(a.split(), b.split());
            assertEquals(a.label(), b.label());
            assertEquals(a.x(), b.x());
            assertEquals(a.maxx(), b.maxx());
            assertEquals(a.dtype(), b.dtype());
            assertNull(b.mask());
            assertArrayEquals(a.pixels(), b.pixels());
        }
    }

    @Test
    void folderStoreRotatesPartsAndProjectsColumns() throws IOException {
        List<ChipRow> in = rows(25, ChipDataType.UINT8, true);
        Path store = tmp.resolve("folder");
        try (ChipStoreWriter w = ChipStoreWriter.open(store, ChipStoreOptions.defaults().withRowsPerPart(10)
                .withCodec(CompressionCodecName.ZSTD))) {
            in.forEach(w::write);
            w.commit(meta());
        }
        ChipStoreReader r = ChipStoreReader.open(store);
        assertEquals(3, r.parts().size());
        assertEquals(25, r.rowCount());
        try (ChipCursor c = r.rows(ChipStoreSchema.METADATA_COLUMNS)) {
            int n = 0;
            while (c.hasNext()) {
                ChipRow row = c.next();
                assertNull(row.pixels());
                assertNull(row.mask());
                assertEquals("c" + n, row.chipId());
                n++;
            }
            assertEquals(25, n);
        }
        List<ChipRow> out = new ArrayList<>();
        r.forEach(out::add);
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(in.get(i).mask(), out.get(i).mask());
        }
        try (var s = Files.list(store)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void abandonedWriterPublishesNothing() throws IOException {
        Path store = tmp.resolve("never.parquet");
        try (ChipStoreWriter w = ChipStoreWriter.open(store, ChipStoreOptions.defaults())) {
            rows(5, ChipDataType.UINT8, false).forEach(w::write);
        }
        assertFalse(Files.exists(store));
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void truncatedStoreFailsWithOneLine() throws IOException {
        Path store = tmp.resolve("t.parquet");
        try (ChipStoreWriter w = ChipStoreWriter.open(store, ChipStoreOptions.defaults())) {
            rows(20, ChipDataType.UINT8, false).forEach(w::write);
            w.commit(meta());
        }
        byte[] all = Files.readAllBytes(store);
        Files.write(store, java.util.Arrays.copyOf(all, all.length / 2));
        TilingException e = assertThrows(TilingException.class, () -> ChipStoreReader.open(store));
        assertTrue(e.getMessage().contains("t.parquet"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void bitFlipInOnePartNamesThatPart() throws IOException {
        Path store = tmp.resolve("parts");
        try (ChipStoreWriter w = ChipStoreWriter.open(store, ChipStoreOptions.defaults().withRowsPerPart(10)
                .withCodec(CompressionCodecName.UNCOMPRESSED))) {
            rows(40, ChipDataType.UINT8, false).forEach(w::write);
            w.commit(meta());
        }
        ChipStoreReader r = ChipStoreReader.open(store);
        assertEquals(4, r.parts().size());
        Path damaged = r.parts().get(1);
        byte[] all = Files.readAllBytes(damaged);
        for (int i = all.length / 2 - 64; i < all.length / 2 + 64; i++) {
            all[i] = (byte) ~all[i]; // pages of the only row group: the footer still opens
        }
        Files.write(damaged, all);
        TilingException e = assertThrows(TilingException.class, () -> ChipStoreReader.open(store).forEach(row -> {
        }));
        assertTrue(e.getMessage().contains(damaged.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** @return every file of a folder: name to the SHA-256 of its content */
    private static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                out.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(d));
            }
        }
        return out;
    }

    private static void writeStore(Path store, int rows, int rowsPerPart, ChipStoreMetadata meta) {
        ChipStoreOptions options = ChipStoreOptions.defaults().withRowsPerPart(rowsPerPart);
        try (ChipStoreWriter w = ChipStoreWriter.open(store, options)) {
            rows(rows, ChipDataType.UINT8, false).forEach(w::write);
            w.commit(meta);
        }
    }

    @Test
    void anOverwriteThatFailsBeforeItsSidecarKeepsThePreviousStoreWhole() throws Exception {
        Path store = tmp.resolve("folder");
        writeStore(store, 25, 10, meta());
        Map<String, String> before = files(store);
        ChipStoreMetadata unwritable = new ChipStoreMetadata(0, LabelTask.CLASSIFICATION, List.of("a", "b"), null, 3,
                "uint8", 8, 8, null, null, null, null, "hash", Map.of("k", new Object()), List.of(), null);
        TilingException e = assertThrows(TilingException.class, () -> writeStore(store, 12, 5, unwritable));
        assertTrue(e.getMessage().contains("chips.json"), e.getMessage());
        assertEquals(before, files(store), "the previous store changed: parts or sidecar replaced, or new parts left");
        assertEquals(25, ChipStoreReader.open(store).rowCount());
    }

    @Test
    void anOverwritePublishesNewPartsBesideTheOldOnesAndRemovesTheOldAfterItsSidecar() throws Exception {
        Path store = tmp.resolve("folder");
        writeStore(store, 25, 10, meta());
        // a run killed between publishing its parts and its sidecar leaves parts no sidecar lists
        Files.copy(store.resolve("part-00000.parquet"), store.resolve("part-99999.parquet"));
        assertEquals(25, ChipStoreReader.open(store).rowCount(), "the sidecar's parts only");
        writeStore(store, 12, 5, meta());
        ChipStoreReader r = ChipStoreReader.open(store);
        assertEquals(12, r.rowCount());
        List<String> names = new ArrayList<>(r.requireMetadata().parts());
        assertEquals(3, names.size());
        assertTrue(names.stream().allMatch(n -> n.matches("part-[0-9a-f]{8}-0000[0-2]\\.parquet")), names.toString());
        names.add(ChipStoreLayout.SIDECAR);
        assertEquals(new java.util.TreeSet<>(names), files(store).keySet(), "old parts and leftovers removed");
        writeStore(store, 4, 10, meta()); // plain names again where they are free
        assertEquals(java.util.Set.of("chips.json", "part-00000.parquet"), files(store).keySet());
    }

    @Test
    void missingStoreFailsWithOneLine() {
        TilingException e = assertThrows(TilingException.class,
                () -> ChipStoreReader.open(tmp.resolve("nothing-here")));
        assertTrue(e.getMessage().contains("nothing-here") && e.getMessage().contains("no chip store"),
                e.getMessage());
    }
}
