package io.geolightning.tiling;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the shared real data and the repository, as the tests see them. */
public final class TestData {
    private TestData() {
    }

    /** @return the repository root (system property geolightning.root, set by surefire) */
    public static Path root() {
        return Path.of(System.getProperty("geolightning.root", "..")).toAbsolutePath().normalize();
    }

    /** @return a file of the shared data set, e.g. data("olinda/L7_ETMs.tif") */
    public static Path data(String relative) {
        Path p = root().resolve("..").resolve("shared").resolve("data").resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException("test data missing: " + p);
        }
        return p;
    }
}
