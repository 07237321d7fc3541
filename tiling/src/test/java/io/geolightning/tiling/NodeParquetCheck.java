package io.geolightning.tiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs scripts/parquet-check/check.mjs (hyparquet, a JavaScript Parquet reader) on a chip store. */
final class NodeParquetCheck {
    private NodeParquetCheck() {
    }

    /** @return true when node and the script's node_modules are installed (scripts/setup runs npm ci) */
    static boolean available() {
        return Files.isDirectory(script().getParent().resolve("node_modules").resolve("hyparquet"));
    }

    static Path script() {
        return TestData.root().resolve("scripts").resolve("parquet-check").resolve("check.mjs");
    }

    /** @return the JSON the script prints */
    static JsonNode run(Path store) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", script().toString(), store.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("check.mjs failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new ObjectMapper().readTree(out);
    }
}
