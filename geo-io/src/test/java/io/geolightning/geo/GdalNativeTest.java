package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The native-library message, checked in a child JVM whose java.library.path lacks libgdalalljni. */
class GdalNativeTest {

    /** Child JVM entry point: initialise GDAL and print the exception message. */
    public static void main(String[] args) {
        try {
            Gdal.ensureInitialised();
            System.out.println("LOADED");
        } catch (GeoIOException e) {
            System.out.println("MESSAGE " + e.getMessage());
        }
    }

    @Test
    void missingNativeLibraryGivesTheFix() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.library.path=/nonexistent", GdalNativeTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.startsWith("MESSAGE "), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("libgdalalljni.so not found on java.library.path (/nonexistent)"), out);
        assertTrue(out.contains("run scripts/setup and pass -Djava.library.path=<repo>/build/native"), out);
    }

    @Test
    void initialisesOnce() {
        Gdal.ensureInitialised();
        Gdal.ensureInitialised();
        assertTrue(Gdal.version().startsWith("3."), Gdal.version());
    }
}
