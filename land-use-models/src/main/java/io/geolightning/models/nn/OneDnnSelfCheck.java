package io.geolightning.models.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks this CPU whether it needs {@link NativeCpuGuard}'s cap: runs, once per CPU model and libtorch build, in a child
 * JVM at oneDNN's widest ISA, the convolutions whose input gradients libtorch 2.7.1's AVX-512 kernels got wrong on the
 * AMD EPYC they were measured on (stride 1, 3x3 and 5x5, 8 and 24 output channels: multiples of 8, as the networks'
 * widths are, which the AVX2 kernels get right) and the forward passes they got wrong there (a 3x3 convolution from 24
 * input channels), against a float64 pass over the same inputs (PyTorch's own kernels, not oneDNN's), and keeps the
 * verdict in a small file: under {@code -Dgeolightning.cacheDir}, else {@code $XDG_CACHE_HOME/geolightning}, else
 * {@code ~/.cache/geolightning}. A CPU without AVX-512 needs no test (the cap would change nothing). A child that
 * cannot start, fails or takes more than two minutes gives no verdict, so the guard caps, as it did before it could
 * ask; nothing is kept then. {@code -Dgeolightning.oneDnnSelfCheck=false} skips the test (cap whenever the network has
 * such a convolution).
 */
public final class OneDnnSelfCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnSelfCheck.class);
    /** Output channels, kernel side of the convolutions tested. */
    private static final int[][] SHAPES = {{8, 3}, {24, 3}, {8, 5}};
    /** Input channels of the forward pass tested (3x3, 16 output channels). */
    private static final int FORWARD_INPUTS = 24;
    /** What the child tests, in the kept verdict's key: a verdict of an earlier test is not reused. */
    private static final String TEST_VERSION = "input gradients + forward from 24 channels";
    /** Relative error of a float32 input gradient against float64 above which the kernels are wrong. */
    static final double TOLERANCE = 1e-4;
    private static final long TIMEOUT_SECONDS = 120;

    /** What the test found. */
    public enum Verdict {
        /** The CPU has no AVX-512: oneDNN's AVX-512 kernels never run. */
        NOT_NEEDED,
        /** The convolutions' input gradients are right at the widest ISA: no cap needed. */
        CORRECT,
        /** Some are wrong: cap. */
        WRONG,
        /** No verdict (the test could not run, or is switched off): cap to be safe. */
        UNKNOWN
    }

    private final String cpuinfo;
    private final Path cacheDir;
    private final List<String> command;

    /**
     * @param cpuinfo the text of {@code /proc/cpuinfo} (empty when unknown)
     * @param cacheDir where verdicts are kept
     * @param command the child JVM's command line, ending with this class's name
     */
    OneDnnSelfCheck(String cpuinfo, Path cacheDir, List<String> command) {
        this.cpuinfo = cpuinfo;
        this.cacheDir = cacheDir;
        this.command = List.copyOf(command);
    }

    /** @return the test of this process's CPU, with the default cache folder and this JVM's class path */
    static OneDnnSelfCheck forThisProcess() {
        String info;
        try {
            info = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            info = "";
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ai.djl.")
                && !k.equals("ai.djl.offline")).sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OneDnnSelfCheck.class.getName()));
        return new OneDnnSelfCheck(info, defaultCacheDir(), cmd);
    }

    private static Path defaultCacheDir() {
        String dir = System.getProperty("geolightning.cacheDir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("geolightning");
    }

    /**
     * The verdict for this CPU: the kept one, else a fresh test (seconds), kept when it gives one.
     *
     * @return the verdict; never throws
     */
    public Verdict verdict() {
        if (!hasAvx512()) {
            return Verdict.NOT_NEEDED;
        }
        Path file = cacheFile();
        Verdict kept = read(file);
        if (kept != null) {
            return kept;
        }
        LOG.info("testing oneDNN's AVX-512 convolutions on this CPU once (a few seconds; the verdict is kept"
                + " in {})", file);
        Result r = run();
        if (r.verdict() == Verdict.UNKNOWN) {
            LOG.warn("could not test oneDNN's AVX-512 kernels on this CPU ({}); capping as if they were wrong",
                    r.detail());
        } else {
            LOG.info("oneDNN's AVX-512 convolution gradients and forward passes on this CPU: {} ({})",
                    r.verdict().name().toLowerCase(Locale.ROOT), r.detail());
            write(file, r);
        }
        return r.verdict();
    }

    /** @return the kept verdict, or null when none is kept (without testing) */
    public Verdict keptVerdict() {
        return hasAvx512() ? read(cacheFile()) : Verdict.NOT_NEEDED;
    }

    boolean hasAvx512() {
        return flags().contains(" avx512f ");
    }

    private String flags() {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
            }
        }
        return " ";
    }

    /** @return the file of this CPU model's and libtorch build's verdict */
    Path cacheFile() {
        StringBuilder key = new StringBuilder();
        for (String line : cpuinfo.split("\n")) {
            String k = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
            if (List.of("vendor_id", "cpu family", "model", "model name", "stepping", "flags").contains(k)) {
                key.append(line.trim()).append('\n');
            }
            if (line.isBlank() && key.length() > 0) {
                break; // the first processor describes them all
            }
        }
        key.append(System.getProperty("os.arch")).append('\n').append(libtorchVersion()).append('\n')
                .append(TEST_VERSION);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return cacheDir.resolve("onednn-selfcheck-" + HexFormat.of().formatHex(h, 0, 8) + ".properties");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String libtorchVersion() {
        try {
            return Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static Verdict read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            Verdict v = Verdict.valueOf(p.getProperty("verdict", ""));
            return v == Verdict.CORRECT || v == Verdict.WRONG ? v : null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("ignoring the unreadable oneDNN verdict {} ({}); testing again", file, e.getMessage());
            return null;
        }
    }

    private static void write(Path file, Result r) {
        Properties p = new Properties();
        p.setProperty("verdict", r.verdict().name());
        p.setProperty("detail", r.detail());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "GeoLightning: oneDNN AVX-512 convolution gradients and forward passes on this CPU"
                        + " (delete to test again)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.info("could not keep the oneDNN verdict in {} ({}); the next process tests again", file,
                    e.getMessage());
        }
    }

    /** A test's verdict and what it measured. */
    record Result(Verdict verdict, String detail) {
    }

    /** @return the child's verdict, or UNKNOWN with the reason */
    Result run() {
        Path out = null;
        try {
            out = Files.createTempFile("geolightning-onednn-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().remove("ONEDNN_MAX_CPU_ISA");
            pb.environment().remove("DNNL_MAX_CPU_ISA");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(Verdict.UNKNOWN, "the test took more than " + TIMEOUT_SECONDS + " s");
            }
            List<String> lines = Files.readAllLines(out);
            String verdict = lines.stream().filter(l -> l.startsWith("verdict ")).findFirst().orElse(null);
            if (p.exitValue() != 0 || verdict == null) {
                String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
                return new Result(Verdict.UNKNOWN, "the test JVM exited with " + p.exitValue() + ": " + last);
            }
            String[] f = verdict.split(" ", 3);
            return new Result(Verdict.valueOf(f[1]), f.length > 2 ? f[2] : "");
        } catch (IOException | IllegalArgumentException e) {
            return new Result(Verdict.UNKNOWN, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Verdict.UNKNOWN, "interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /**
     * The child: prints {@code verdict CORRECT|WRONG <worst relative error per shape>}, the float32 input gradients of
     * the tested convolutions (16 input channels, 4 x 16 x 32 x 32 inputs, three draws each) and the forward pass
     * from 24 channels against float64.
     *
     * @param args none
     */
    public static void main(String[] args) {
        StringBuilder detail = new StringBuilder();
        boolean wrong = false;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] s : SHAPES) {
                double worst = 0;
                for (int draw = 0; draw < 3; draw++) {
                    Engine.getInstance().setRandomSeed(draw);
                    double e = relativeError(m, s[0], s[1]);
                    worst = Double.isNaN(e) || Double.isNaN(worst) ? Double.NaN : Math.max(worst, e);
                }
                wrong |= !(worst <= TOLERANCE);
                detail.append(String.format(Locale.ROOT, "%s%dx%d to %d channels %.1e", detail.length() > 0 ? ", "
                        : "", s[1], s[1], s[0], worst));
            }
            double worst = 0;
            for (int draw = 0; draw < 3; draw++) {
                Engine.getInstance().setRandomSeed(draw);
                double e = forwardError(m);
                worst = Double.isNaN(e) || Double.isNaN(worst) ? Double.NaN : Math.max(worst, e);
            }
            wrong |= !(worst <= TOLERANCE);
            detail.append(String.format(Locale.ROOT, ", forward 3x3 from %d channels %.1e", FORWARD_INPUTS, worst));
        }
        System.out.println("verdict " + (wrong ? Verdict.WRONG : Verdict.CORRECT) + " " + detail);
    }

    /** Relative error of a float32 forward pass of a 3x3 convolution from 24 input channels against float64. */
    private static double forwardError(NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(4, FORWARD_INPUTS, 32, 32));
            NDArray w = m.randomNormal(new Shape(16, FORWARD_INPUTS, 3, 3));
            double[] a = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head()
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            double[] b = Conv2d.conv2d(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false), null,
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head().toDoubleArray();
            return relativeL2(a, b);
        }
    }

    /** @return the L2 norm of {@code a - b} relative to that of {@code b} (NaN when either holds NaN) */
    static double relativeL2(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    private static double relativeError(NDManager m, int filters, int kernel) {
        NDArray x = m.randomNormal(new Shape(4, 16, 32, 32));
        NDArray w = m.randomNormal(new Shape(filters, 16, kernel, kernel));
        NDArray probe = m.randomNormal(new Shape(4, filters, 32, 32));
        double[] a = inputGradient(m, x, w, probe, kernel, DataType.FLOAT32);
        double[] b = inputGradient(m, x, w, probe, kernel, DataType.FLOAT64);
        return relativeL2(a, b);
    }

    private static double[] inputGradient(NDManager parent, NDArray x, NDArray w, NDArray probe, int kernel,
                                          DataType type) {
        try (NDManager m = parent.newSubManager()) {
            NDArray in = x.toType(type, true);
            in.attach(m);
            NDArray weight = w.toType(type, true);
            weight.attach(m);
            in.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(in, weight, null, new Shape(1, 1), new Shape(kernel / 2, kernel / 2),
                        new Shape(1, 1), 1).head();
                NDArray p = probe.toType(type, true);
                p.attach(m);
                gc.backward(y.mul(p).sum());
            }
            return in.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }
}
