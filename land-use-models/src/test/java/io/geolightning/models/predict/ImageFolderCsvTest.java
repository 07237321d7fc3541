package io.geolightning.models.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.models.nn.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * predict --images without --overwrite writes its CSV only where no file is when it is finished: the check at the
 * command's start let a second run started together replace the first one's CSV.
 */
class ImageFolderCsvTest {

    @TempDir
    Path tmp;

    @Test
    void aNewCsvIsNeverWrittenOverAFileThatAppearedMeanwhile() throws Exception {
        List<ImageFolderPredictor.Prediction> rows = List.of(new ImageFolderPredictor.Prediction(Path.of(
                "Beach/a,1.jpg"), 0, "Beach", 0.75f));
        Path fresh = tmp.resolve("fresh.csv");
        ImageFolderPredictor.writeCsv(rows, fresh, false);
        assertEquals(List.of("file,class,probability", "\"Beach/a,1.jpg\",Beach,0.750000"), Files.readAllLines(fresh));

        Path theirs = Files.writeString(tmp.resolve("theirs.csv"), "another run's rows\n");
        ModelException e = assertThrows(ModelException.class, () -> ImageFolderPredictor.writeCsv(rows, theirs,
                false));
        assertTrue(e.getMessage().contains(theirs + ": another command wrote it while this one ran; pass --overwrite"),
                e.getMessage());
        assertEquals("another run's rows\n", Files.readString(theirs));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("fresh.csv", "theirs.csv"), s.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary left");
        }
        ImageFolderPredictor.writeCsv(rows, theirs, true);
        assertEquals(2, Files.readAllLines(theirs).size(), "--overwrite replaces it");
    }
}
