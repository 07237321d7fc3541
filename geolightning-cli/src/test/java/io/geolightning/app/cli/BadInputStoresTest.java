package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite, part 5: chip stores damaged after tiling. {@code info} is what a user runs to check a store
 * before a long training, so it must fail (exit 1, one line naming the file and {@code tile --overwrite}) on every
 * damage it can see without reading the pixels; {@code train} and {@code evaluate} fail on them too, before writing a
 * checkpoint, and {@code tile --overwrite} repairs each.
 */
class BadInputStoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIX = "re-run tile with --overwrite to rebuild the store";

    @TempDir
    Path tmp;

    /** Each damage, the file the message must name, then info, train, evaluate and the repair. */
    @Test
    void damagedStoresFailInfoTrainAndEvaluate() throws Exception {
        Path other = other();
        Map<String, String> named = new LinkedHashMap<>();
        named.put("truncated", "truncated/part-00001.parquet");
        Path truncated = copy("truncated");
        byte[] bytes = Files.readAllBytes(truncated.resolve("part-00001.parquet"));
        Files.write(truncated.resolve("part-00001.parquet"), Arrays.copyOf(bytes, bytes.length / 2));
        named.put("deleted", "deleted/part-00001.parquet");
        Files.delete(copy("deleted").resolve("part-00001.parquet"));
        named.put("garbage", "garbage/part-00000.parquet");
        byte[] noise = new byte[(int) Files.size(copy("garbage").resolve("part-00000.parquet"))];
        new java.util.Random(3).nextBytes(noise);
        Files.write(tmp.resolve("garbage/part-00000.parquet"), noise);
        named.put("listed", "listed/part-00099.parquet");
        editSidecar(copy("listed"), s -> ((ArrayNode) s.get("parts")).add("part-00099.parquet"));
        named.put("bad-json", "bad-json/chips.json");
        String json = Files.readString(copy("bad-json").resolve("chips.json"));
        Files.writeString(tmp.resolve("bad-json/chips.json"), json.substring(0, json.length() / 2));
        named.put("replaced", "replaced/chips.json"); // footers fine: only the row count tells (info said healthy)
        Files.copy(other, copy("replaced").resolve("part-00000.parquet"), java.nio.file.StandardCopyOption
                .REPLACE_EXISTING);
        named.put("dropped", "dropped/chips.json"); // a sidecar that lost a part (info said healthy)
        editSidecar(copy("dropped"), s -> ((ArrayNode) s.get("parts")).remove(0));

        Path checkpoint = BadInputs.checkpoint();
        for (Map.Entry<String, String> c : named.entrySet()) {
            Path store = tmp.resolve(c.getKey());
            String file = tmp.resolve(c.getValue()).toString();
            fails(1, CliRun.of("info", store), file, FIX);
            Path runs = tmp.resolve("runs-" + c.getKey());
            for (String streaming : new String[] {"false", "true"}) {
                fails(1, CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + store,
                        "--set", "runs=" + runs, "--set", "trainer.maxEpochs=1", "--set", "data.streaming="
                        + streaming), file, FIX);
            }
            assertFalse(Files.exists(runs), c.getKey() + ": no run folder");
            fails(1, CliRun.of("evaluate", "--checkpoint", checkpoint, "--chips", store), file, FIX);
            fails(1, CliRun.tileOlinda(store), "a chip store already exists there; pass --overwrite");
            CliRun retiled = CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO",
                    "--chip", 16, "--stride", 8, "--out", store, "--overwrite");
            assertEquals(0, retiled.code(), c.getKey() + ": " + retiled.err());
            assertEquals(0, CliRun.of("info", store).code(), c.getKey() + " repaired");
        }
    }

    /** A single-file store whose .parquet was replaced without its sidecar: info said healthy. */
    @Test
    void singleFileReplacedWithoutItsSidecar() throws Exception {
        Path a = tmp.resolve("a.parquet");
        assertEquals(0, CliRun.tileOlinda(a).code());
        Files.copy(other(), a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String line = fails(1, CliRun.of("info", a));
        assertTrue(line.matches("error: " + java.util.regex.Pattern.quote(tmp.resolve("a.chips.json").toString())
                + ": lists \\d+ chips, but a.parquet holds 243 \\(a file was replaced, or tiling stopped before its"
                + " sidecar was written\\); " + FIX), line);
    }

    /**
     * Rows per split are read from the split column and checked against the sidecar (a part of another tiling can
     * hold as many rows in all); a flipped bit in the pixels passes info, which reads no pixel page, but not
     * {@code info --verify}, which reads them all, nor train.
     */
    @Test
    void splitCountsAndPixelPages() throws Exception {
        Path swapped = copy("swapped");
        editSidecar(swapped, s -> {
            ObjectNode counts = (ObjectNode) s.get("rowCounts");
            long train = counts.get("train").asLong();
            counts.put("train", counts.get("val").asLong());
            counts.put("val", train);
        });
        fails(1, CliRun.of("info", swapped), swapped.resolve("chips.json").toString(), "lists chips per split",
                "(a file was replaced); " + FIX);
        editSidecar(swapped, s -> ((ObjectNode) s.get("rowCounts")).put("total", 1));
        fails(1, CliRun.of("info", swapped), swapped.resolve("chips.json") + ": not a valid chip-store sidecar (the"
                + " splits' row counts do not add up to the total); " + FIX);

        Path flipped = copy("flipped");
        Path part = flipped.resolve("part-00001.parquet");
        byte[] bytes = Files.readAllBytes(part);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) {
            bytes[i] ^= (byte) 0xff;
        }
        Files.write(part, bytes);
        CliRun info = CliRun.of("info", flipped);
        assertEquals(0, info.code(), info.err());
        fails(1, CliRun.of("info", "--verify", flipped), part.toString(), "CRC checksum verification failed", FIX);
        fails(1, CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + flipped, "--set",
                "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=1"), part.toString(), FIX);
        assertEquals(0, CliRun.of("info", "--verify", BadInputs.chips()).code());
        fails(2, CliRun.of("info", "--verify", RASTER), "--verify: " + RASTER + " is not a chip store");
    }

    /** @return another tiling of the scene (16-pixel chips at stride 16: 243 rows), a single file */
    private Path other() {
        Path other = tmp.resolve("other.parquet");
        assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--stride", 16, "--out", other).code());
        return other;
    }

    /** @return a copy of the shared Olinda store at tmp/name */
    private Path copy(String name) throws IOException {
        Path to = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> s = Files.list(BadInputs.chips())) {
            s.forEach(f -> {
                try {
                    Files.copy(f, to.resolve(f.getFileName()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }

    private static void editSidecar(Path store, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path sidecar = store.resolve("chips.json");
        ObjectNode s = (ObjectNode) JSON.readTree(sidecar.toFile());
        edit.accept(s);
        JSON.writeValue(sidecar.toFile(), s);
    }
}
