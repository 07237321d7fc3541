package io.geolightning.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code --version}: GeoLightning's version and the versions of the engines it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    /** @return the GeoLightning version (from the build), or "dev" */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("$")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("geolightning " + version());
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        try {
            lines.add("GDAL " + io.geolightning.geo.Gdal.version());
        } catch (RuntimeException | LinkageError e) {
            lines.add("GDAL not loaded (" + ErrorReporter.oneLine(e.getMessage()) + ")");
        }
        String djl = ai.djl.engine.Engine.getDjlVersion();
        lines.add("DJL " + (djl == null ? "(version unknown)" : djl) + ", PyTorch engine");
        lines.add("native malloc: " + nativeAllocator());
        return lines.toArray(new String[0]);
    }

    /**
     * @return the malloc libtorch runs on in this process: "tcmalloc" (or "jemalloc") when that library is mapped into
     *     it (the launcher preloads tcmalloc, see scripts/lib/native-allocator.sh), else "glibc"
     */
    static String nativeAllocator() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.map(l -> l.contains("libtcmalloc") ? "tcmalloc" : l.contains("libjemalloc") ? "jemalloc" : null)
                    .filter(Objects::nonNull).findFirst().orElse("glibc");
        } catch (IOException | UncheckedIOException e) {
            return "unknown (no /proc/self/maps)";
        }
    }
}
