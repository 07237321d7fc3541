package io.geolightning.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@link OutputSet} publishes all of its files or none, and without replace never a file over another's. */
class OutputSetTest {

    @TempDir
    Path dir;

    private static Path finished(Path target, String text) throws IOException {
        return Files.writeString(TempFiles.create(target, ".tmp"), text);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Two predicts to one --out without --overwrite: the one that publishes second used to replace the first's. */
    @Test
    void newFilesOnlyFailsWholeWhenAnotherWriterPublishedOneMeanwhile() throws IOException {
        Path raster = dir.resolve("a.tif");
        Path legend = dir.resolve("a.qml");
        try (OutputSet set = new OutputSet(false)) {
            set.add(finished(raster, "mine"), raster);
            set.add(finished(legend, "mine"), legend);
            Files.writeString(legend, "theirs"); // another command published it while this one ran
            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, set::publish);
            assertEquals(legend.toAbsolutePath().toString(), e.getFile());
        }
        assertEquals(List.of("a.qml"), files(), "none of the failed set's files, no temporary");
        assertEquals("theirs", Files.readString(legend));
    }

    @Test
    void replacingSetsReplace() throws IOException {
        Path raster = Files.writeString(dir.resolve("a.tif"), "earlier");
        try (OutputSet set = new OutputSet()) {
            set.add(finished(raster, "mine"), raster);
            set.publish();
        }
        assertEquals(List.of("a.tif"), files());
        assertEquals("mine", Files.readString(raster));
    }
}
