package io.geolightning.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.models.nn.OneDnnSelfCheck.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-check that decides whether this CPU needs the oneDNN cap: on the real CPU in a child JVM, its verdict
 * confirmed by the wider shape sweep of {@link NativeCpuGuardTest}; and how verdicts are kept (per CPU model, only real
 * ones, a damaged file tested again).
 */
class OneDnnSelfCheckTest {

    private static final String AVX512_CPU = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n"
            + "flags\t\t: fpu sse avx2 avx512f avx512bw\n\nprocessor\t: 1\nflags\t\t: fpu sse avx2 avx512f\n";

    private static List<String> java(String mainClass) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), mainClass);
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void thisCpusVerdictIsKeptAndAgreesWithTheShapeSweep(@TempDir Path tmp) throws Exception {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        Path cache = tmp.resolve("cache");
        OneDnnSelfCheck test = new OneDnnSelfCheck(cpuinfo, cache, java(OneDnnSelfCheck.class.getName()));
        if (!test.hasAvx512()) {
            assertEquals(Verdict.NOT_NEEDED, test.verdict());
            assertEquals(List.of(), files(cache), "nothing to keep");
            return;
        }
        Verdict v = test.verdict();
        assertTrue(v == Verdict.CORRECT || v == Verdict.WRONG, "a verdict: " + v);
        assertEquals(List.of(test.cacheFile()), files(cache));
        assertTrue(Files.readString(test.cacheFile()).contains("verdict=" + v.name()));
        OneDnnSelfCheck noChild = new OneDnnSelfCheck(cpuinfo, cache, List.of("/nonexistent/java"));
        assertEquals(v, noChild.verdict(), "the kept verdict, without a test");
        assertEquals(v, noChild.keptVerdict());

        // the wider sweep (other inputs, 5 draws) of the convolutions the guard calls risky, in its own JVM; those
        // with channel counts that are multiples of 8 (as the networks' widths are; AVX2 gets them right)
        Path out = tmp.resolve("sweep.txt");
        ProcessBuilder pb = new ProcessBuilder(java(NativeCpuGuardTest.class.getName())).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().remove("ONEDNN_MAX_CPU_ISA");
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "sweep did not finish");
        String sweep = Files.readString(out);
        assertEquals(0, p.exitValue(), sweep);
        double worst = 0;
        int risky = 0;
        for (String line : sweep.lines().filter(l -> l.startsWith("conv ")).toList()) {
            String[] f = line.split(" ");
            int filters = Integer.parseInt(f[1]);
            if (Integer.parseInt(f[3]) == 1 && Integer.parseInt(f[2]) > 1 && filters % 16 != 0 && filters % 8 == 0) {
                double e = Double.parseDouble(f[4]);
                worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(worst, e);
                risky++;
            }
        }
        assertEquals(2, risky, sweep);
        if (v == Verdict.CORRECT) {
            assertTrue(worst < OneDnnSelfCheck.TOLERANCE, "tested right, but the sweep finds " + worst + "\n" + sweep);
        } else {
            assertTrue(worst > 1e-3, "tested wrong, but the sweep finds at most " + worst + "\n" + sweep);
        }
    }

    @Test
    void aChildThatFailsGivesNoVerdictAndKeepsNothing(@TempDir Path tmp) throws Exception {
        OneDnnSelfCheck test = new OneDnnSelfCheck(AVX512_CPU, tmp, java("io.geolightning.NoSuchClass"));
        assertEquals(Verdict.UNKNOWN, test.verdict());
        assertEquals(List.of(), files(tmp));
        test = new OneDnnSelfCheck(AVX512_CPU, tmp, List.of("sh", "-c", "echo verdict CORRECT; exit 3"));
        assertEquals(Verdict.UNKNOWN, test.verdict(), "a failed exit is no verdict, whatever it printed");
        test = new OneDnnSelfCheck(AVX512_CPU, tmp, List.of("sh", "-c", "echo verdict MAYBE"));
        assertEquals(Verdict.UNKNOWN, test.verdict());
        assertEquals(List.of(), files(tmp));
        assertEquals(null, test.keptVerdict());
    }

    @Test
    void keptVerdictsArePerCpuModelAndADamagedOneIsTestedAgain(@TempDir Path tmp) throws Exception {
        OneDnnSelfCheck right = new OneDnnSelfCheck(AVX512_CPU, tmp, List.of("sh", "-c",
                "echo loading; echo verdict CORRECT 3x3 to 8 channels 2.0e-07"));
        assertEquals(Verdict.CORRECT, right.verdict());
        assertTrue(Files.readString(right.cacheFile()).contains("3x3 to 8 channels"));
        OneDnnSelfCheck other = new OneDnnSelfCheck(AVX512_CPU.replace("AMD EPYC", "Intel Xeon"), tmp,
                List.of("sh", "-c", "echo verdict WRONG"));
        assertNotEquals(right.cacheFile(), other.cacheFile(), "another CPU model has its own verdict");
        assertEquals(Verdict.WRONG, other.verdict());
        assertEquals(Verdict.CORRECT, right.verdict(), "each keeps its own");

        Files.writeString(right.cacheFile(), "verdict=\\u00\n");
        OneDnnSelfCheck again = new OneDnnSelfCheck(AVX512_CPU, tmp, List.of("sh", "-c", "echo verdict WRONG"));
        assertEquals(Verdict.WRONG, again.verdict(), "a damaged file is tested again");
        assertEquals(Verdict.WRONG, again.keptVerdict());
        assertEquals(2, files(tmp).size(), "no temporary file left: " + files(tmp));

        OneDnnSelfCheck noAvx512 = new OneDnnSelfCheck(AVX512_CPU.replace(" avx512f", ""), tmp.resolve("none"),
                List.of("sh", "-c", "exit 1"));
        assertFalse(noAvx512.hasAvx512());
        assertEquals(Verdict.NOT_NEEDED, noAvx512.verdict());
        assertEquals(List.of(), files(tmp.resolve("none")));
    }
}
