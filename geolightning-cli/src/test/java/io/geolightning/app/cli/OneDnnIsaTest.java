package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * oneDNN's AVX-512 kernels get the input gradients of stride-1 convolutions wrong on this machine's CPU when their
 * output channels are not a multiple of 16, and the forward pass of those from more than 16 input channels that are not
 * a multiple of 16 (NativeCpuGuardTest, scripts/probe-onednn-isa). The real launcher, with no ONEDNN_MAX_CPU_ISA of the
 * user's, trains the sample run's CNN (widths 16, 32, 64) and predicts at the CPU's widest ISA, and trains and
 * predicts with a CNN of width 24 capped at AVX2 where the CPU's self-check (OneDnnSelfCheck, its verdict kept under
 * XDG_CACHE_HOME) found the AVX-512 kernels wrong, as oneDNN itself reports (ONEDNN_VERBOSE).
 */
class OneDnnIsaTest {

    private static final Pattern ISA = Pattern.compile("isa:([^,\\n]*)");

    private static String isa(Launcher.Launch l) {
        Matcher m = ISA.matcher(l.out() + "\n" + l.err());
        assertTrue(m.find(), "oneDNN reported no ISA:\n" + l.out() + l.err());
        return m.group(1);
    }

    @Test
    void onlyNetworksThatNeedItTrainCapped(@TempDir Path tmp) throws Exception {
        Path chips = tmp.resolve("chips");
        CliRun tile = CliRun.tileOlinda(chips);
        assertEquals(0, tile.code(), tile.err());
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("ONEDNN_MAX_CPU_ISA", "", "ONEDNN_VERBOSE", "1", "XDG_CACHE_HOME",
                cache.toString());
        Path root = Path.of(System.getProperty("geolightning.root"));
        Launcher.Launch train = Launcher.run(tmp, "train", List.of("train", "--config",
                root.resolve("sample-data/run.yaml").toString(), "--set", "data.chips=" + chips, "--set",
                "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=1"), env);
        assertEquals(0, train.code(), train.err());
        boolean avx512 = Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        assertTrue(!avx512 || isa(train).startsWith("Intel AVX-512"), isa(train));
        Launcher.Launch capped = Launcher.run(tmp, "capped", List.of("train", "--config",
                root.resolve("sample-data/run.yaml").toString(), "--set", "data.chips=" + chips, "--set",
                "runs=" + tmp.resolve("runs24"), "--set", "trainer.maxEpochs=1", "--set", "model.options.width=24"),
                env);
        assertEquals(0, capped.code(), capped.err());
        if (avx512) { // the width-24 CNN asked the CPU: capped only where its AVX-512 kernels were tested wrong
            List<Path> kept;
            try (Stream<Path> s = Files.list(cache.resolve("geolightning"))) {
                kept = s.toList();
            }
            assertEquals(1, kept.size(), "one verdict kept: " + kept);
            String verdict = Files.readString(kept.get(0));
            assertTrue(verdict.contains("verdict=WRONG") || verdict.contains("verdict=CORRECT"), verdict);
            assertEquals(verdict.contains("verdict=WRONG"), isa(capped).equals("Intel AVX2"), isa(capped) + "\n"
                    + verdict);
        } else {
            assertEquals("Intel AVX2", isa(capped));
        }
        Path ckpt;
        try (Stream<Path> s = Files.walk(tmp.resolve("runs"))) {
            ckpt = s.filter(p -> p.toString().endsWith(".ckpt") && !p.endsWith("last.ckpt")).findFirst().orElseThrow();
        }
        Launcher.Launch predict = Launcher.run(tmp, "predict", List.of("predict", "--checkpoint", ckpt.toString(),
                "--raster", BadInputs.RASTER.toString(), "--out", tmp.resolve("p.tif").toString()), env);
        assertEquals(0, predict.code(), predict.err());
        Path ckpt24;
        try (Stream<Path> s = Files.walk(tmp.resolve("runs24"))) {
            ckpt24 = s.filter(p -> p.toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        Launcher.Launch predict24 = Launcher.run(tmp, "predict24", List.of("predict", "--checkpoint",
                ckpt24.toString(), "--raster", BadInputs.RASTER.toString(), "--out", tmp.resolve("p24.tif").toString()),
                env);
        assertEquals(0, predict24.code(), predict24.err());
        assertEquals(isa(capped), isa(predict24), "capped in training, capped in prediction: its forward passes from"
                + " 24 channels are wrong too");
        assumeTrue(avx512, "no AVX-512 on this CPU");
        assertTrue(isa(predict).startsWith("Intel AVX-512"), isa(predict));
    }
}
