package io.geolightning.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The base of tests that write a configuration file that must be refused, and check the line it is refused with. */
abstract class BadConfigFiles {

    @TempDir
    Path tmp;

    /**
     * Loads {@code yaml}, written as the file {@code name}, with the overrides; asserts the message.
     *
     * @return the error, for further checks
     */
    ConfigException fails(String message, String name, String yaml, String... overrides) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfigLoader.load(p, List.of(overrides)));
        assertEquals(message, e.getMessage());
        return e;
    }
}
