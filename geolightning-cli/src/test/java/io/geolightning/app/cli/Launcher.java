package io.geolightning.app.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher, scripts/geolightning, in its own process on the classes under test (through
 * GEOLIGHTNING_CLASSPATH), for what an in-process run cannot show: native stderr, and SLF4J configured from the
 * command line's flags in a fresh JVM.
 */
final class Launcher {

    /** A finished launch: exit code, stdout and stderr. */
    record Launch(int code, String out, String err) {
    }

    private Launcher() {
    }

    /**
     * @param tmp folder for the captured output
     * @param name a name for the output files
     * @param args the command line after scripts/geolightning
     * @return what it did (waits at most 120 s)
     */
    static Launch run(Path tmp, String name, List<String> args) throws IOException, InterruptedException {
        return run(tmp, name, args, Map.of());
    }

    /**
     * @param environment variables to set for the launcher, an empty value removing one
     * @see #run(Path, String, List)
     */
    static Launch run(Path tmp, String name, List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        Process p = start(tmp, name, args, environment);
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 120 s: " + Files.readString(err));
        }
        return new Launch(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts the launcher as {@link #run(Path, String, List, Map)} does, without waiting. */
    static Process start(Path tmp, String name, List<String> args, Map<String, String> environment)
            throws IOException {
        Path root = Path.of(System.getProperty("geolightning.root"));
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("scripts/geolightning").toString()));
        cmd.addAll(args);
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("GEOLIGHTNING_CLASSPATH", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + env.get("PATH"));
        env.put("JAVA_OPTS", "-Xmx2g");
        environment.forEach((k, v) -> {
            if (v.isEmpty()) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        return pb.start();
    }
}
