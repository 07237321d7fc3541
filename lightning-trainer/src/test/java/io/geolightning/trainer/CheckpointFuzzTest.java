package io.geolightning.trainer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolightning.foundation.fuzz.ByteMutations;
import io.geolightning.foundation.fuzz.FuzzFiles;
import io.geolightning.foundation.fuzz.Mutant;
import io.geolightning.foundation.fuzz.ParseContract;
import io.geolightning.foundation.fuzz.TreeMutations;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.LightningOptimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Fuzzes the checkpoint reader with mutations of a real checkpoint (a one-batch Adam fit): reading it and restoring
 * the model and the optimizer may only succeed or fail with a one-line {@link TrainerException}; never another
 * exception, a hang or a memory blow-up. A failure prints the edits that made the input and QuickTheories' seed
 * (rerun with {@code -DQT_SEED=<seed>}).
 */
class CheckpointFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "meta.json";
    /** Inputs per property and CI run: about 10 s each on a shared 2-core machine. */
    private static final int TRIES = 300;
    private static Path dir;
    private static byte[] archive;
    private static Map<String, byte[]> entries;
    private static Object metaTree;

    @BeforeAll
    static void writeSeedCheckpoint() throws IOException {
        dir = Files.createTempDirectory("checkpoint-fuzz");
        try (NDManager data = NDManager.newBaseManager();
                MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(0.02).build())) {
            ArrayDataset train = Blobs.make(data, 64, 4, 1.5, 41, 32, true);
            ArrayDataset val = Blobs.make(data, 32, 4, 1.5, 42, 32, false);
            ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(dir).filename("seed").saveTopK(-1).build();
            m.saveHyperparameters(Map.of("hidden", 8, "classes", 2));
            Trainer.builder().maxEpochs(1).callbacks(ckpt).numSanityValSteps(0).limitTrainBatches(BatchLimit.count(1))
                    .enableProgressBar(false).build().fit(m, train, val);
        }
        Path seed = dir.resolve("seed.ckpt");
        archive = Files.readAllBytes(seed);
        entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(seed.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        metaTree = JSON.readValue(entries.get(META), Object.class);
        restore(seed); // the seed itself reads and restores
    }

    @AfterAll
    static void deleteFiles() {
        FuzzFiles.deleteTree(dir);
    }

    /** What resuming does with a checkpoint: read it, load the weights into the model, restore Adam's state. */
    static Object restore(Path file) {
        CheckpointIO.LoadedCheckpoint ck = CheckpointIO.read(file);
        try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(0.02).build())) {
            m.initialize(new Shape(1, 4)); // the trainer initialises the block before restoring
            ck.restoreModel(m.getBlock(), m.getManager());
            try (LightningOptimizer adam = Adam.builder().lr(0.02).build()) {
                Map<String, Parameter> named = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : m.getBlock().getParameters()) {
                    named.put(p.getKey(), p.getValue());
                }
                adam.bind(named);
                ck.restoreOptimizer(0, adam, m.getManager());
            }
        }
        return ck.meta();
    }

    @Test
    void mutatedArchiveBytes() {
        Path file = dir.resolve("bytes.ckpt");
        new ParseContract(TrainerException.class).forAll("mutatedArchiveBytes", ByteMutations.of(archive, 4), TRIES,
                m -> FuzzFiles.write(file, m.value()), m -> restore(file));
    }

    @Test
    void mutatedMetaJsonInAnIntactArchive() {
        Path file = dir.resolve("meta.ckpt");
        new ParseContract(TrainerException.class).forAll("mutatedMetaJsonInAnIntactArchive",
                TreeMutations.of(metaTree, 3, false), TRIES,
                m -> zip(file, META, TreeMutations.toJson(m.value()).getBytes(StandardCharsets.UTF_8)),
                m -> restore(file));
    }

    @Test
    void mutatedWeightsAndOptimizerStateInAnIntactArchive() {
        Path file = dir.resolve("entry.ckpt");
        Gen<EntryMutant> mutants = SourceDSL.arbitrary().pick("model.params", "optimizer-0.ndlist")
                .flatMap(n -> ByteMutations.of(entries.get(n), 3).map(m -> new EntryMutant(n, m)));
        new ParseContract(TrainerException.class).forAll("mutatedWeightsAndOptimizerStateInAnIntactArchive", mutants,
                TRIES, m -> zip(file, m.entry(), m.mutant().value()), m -> restore(file));
    }

    /** Inputs the properties found, each broke the reader before it was fixed. */
    @Test
    @SuppressWarnings("unchecked")
    void inputsTheFuzzerFound() {
        ParseContract contract = new ParseContract(TrainerException.class);
        Path file = dir.resolve("found.ckpt");
        // a Jackson message quoting a multi-line string from meta.json
        zip(file, META, "{\"format\": \"x\\r\\nsecond line\", \"version\": 1}".getBytes(StandardCharsets.UTF_8));
        contract.check("format with a line break", () -> restore(file));
        // optimizers: [null] made the error message itself throw a NullPointerException
        Map<String, Object> meta = new LinkedHashMap<>(JSON.convertValue(metaTree, Map.class));
        meta.put("optimizers", java.util.Arrays.asList((Object) null));
        zip(file, META, TreeMutations.toJson(meta).getBytes(StandardCharsets.UTF_8));
        assertMessage(contract, file, "optimizer #0 is null in the checkpoint but Adam in the module");
        // a shape whose size overflows before a negative dimension: the message built a DJL Shape, which refused it
        meta = new LinkedHashMap<>(JSON.convertValue(metaTree, Map.class));
        java.util.List<Object> params = new java.util.ArrayList<>((java.util.List<?>) meta.get("parameters"));
        Map<String, Object> p1 = new LinkedHashMap<>((Map<String, Object>) params.get(1));
        java.util.List<Long> shape = new java.util.ArrayList<>(java.util.Collections.nCopies(469, 8L));
        shape.set(329, -8L);
        p1.put("shape", shape);
        params.set(1, p1);
        meta.put("parameters", params);
        zip(file, META, TreeMutations.toJson(meta).getBytes(StandardCharsets.UTF_8));
        assertMessage(contract, file, "checkpoint is inconsistent: meta.json declares parameter '");
        // a dimension count of 2^31-1 in the first array: DJL's decoder allocated long[2^31-1] (OutOfMemoryError)
        for (String entry : java.util.List.of("model.params", "optimizer-0.ndlist")) {
            byte[] bytes = entries.get(entry).clone();
            int dims = indexOf(bytes, "\u0000\u0007FLOAT32".getBytes(StandardCharsets.ISO_8859_1)) + 9;
            java.nio.ByteBuffer.wrap(bytes).putInt(dims, Integer.MAX_VALUE);
            zip(file, entry, bytes);
            assertMessage(contract, file, entry + " is damaged (");
        }
    }

    private static void assertMessage(ParseContract contract, Path file, String part) {
        contract.check(file, () -> restore(file));
        TrainerException e = org.junit.jupiter.api.Assertions.assertThrows(TrainerException.class, () -> restore(file));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static int indexOf(byte[] b, byte[] part) {
        for (int i = 0; i + part.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /** A mutated entry of an otherwise intact archive. */
    private record EntryMutant(String entry, Mutant<byte[]> mutant) {
        @Override
        public String toString() {
            return entry + ": " + mutant;
        }
    }

    /** Writes the seed's entries with {@code name} replaced by {@code bytes}: a well-formed archive. */
    private static void zip(Path file, String name, byte[] bytes) {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getKey().equals(name) ? bytes : e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
