package io.geolightning.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Paths of the shared real data and a runner for the GDAL command-line tools used as reference. */
final class TestData {
    static final Path DATA = Path.of(System.getProperty("geolightning.root", "."), "..", "shared", "data").normalize();
    static final Path L7 = DATA.resolve("olinda/L7_ETMs.tif");
    static final Path OLINDA_SHP = DATA.resolve("olinda/olinda1.shp");
    static final Path RGB = DATA.resolve("rgb-byte/RGB.byte.tif");
    static final Path MASS_TIF = DATA.resolve("massachusetts/22978945_15.tif");
    static final Path MASS_GPKG = DATA.resolve("massachusetts/buildings_22978945_15.gpkg");
    static final Path NB_TIF_1 = DATA.resolve("new-brunswick/23322E759967N_clipped_1m_1of2.tif");
    static final Path NB_TIF_2 = DATA.resolve("new-brunswick/23322E759967N_clipped_1m_2of2.tif");
    static final Path NB_GPKG = DATA.resolve("new-brunswick/BakerLake_2017_clipped.gpkg");

    private TestData() {
    }

    /** Runs a GDAL tool; fails the test with its output when it exits non-zero. Returns stdout. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
            String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + text);
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code gdalinfo -json} of a file, parsed. */
    static JsonNode gdalinfo(Path file, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("gdalinfo", "-json"));
        cmd.addAll(List.of(extra));
        cmd.add(file.toString());
        try {
            return new ObjectMapper().readTree(run(cmd.toArray(String[]::new)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts a GeoIOException message is one line and names every given fragment. */
    static void assertOneLine(GeoIOException e, String... fragments) {
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "message must be one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
    }
}
