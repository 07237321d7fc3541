package io.geolightning.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path tmp;

    /** The user's data: a folder with a file, outside any tree deleted. */
    private Path userData() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("scene.tif"), "pixels");
        return data;
    }

    private void assertUntouched(Path data) throws IOException {
        assertEquals("pixels", Files.readString(data.resolve("scene.tif")), "the link's target is left as it was");
    }

    @Test
    void deletesATreeAndLeavesNothing() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("scratch/a/b/c"));
        Files.writeString(root.resolve("x.bin"), "x");
        Files.writeString(tmp.resolve("scratch/a/y.bin"), "y");
        FileTrees.delete(tmp.resolve("scratch"));
        assertFalse(Files.exists(tmp.resolve("scratch")));
        FileTrees.delete(tmp.resolve("scratch")); // nothing there: nothing to do
        assertTrue(FileTrees.deleteQuietly(null));
    }

    @Test
    void aLinkInTheTreeIsUnlinkedNeverFollowed() throws IOException {
        Path data = userData();
        Path scratch = Files.createDirectories(tmp.resolve("scratch/sub"));
        Files.createSymbolicLink(scratch.resolve("to-data"), data);
        Files.createSymbolicLink(scratch.resolve("to-scene.tif"), data.resolve("scene.tif"));
        Files.createSymbolicLink(scratch.resolve("dangling"), tmp.resolve("nowhere"));
        FileTrees.delete(tmp.resolve("scratch"));
        assertFalse(Files.exists(tmp.resolve("scratch"), LinkOption.NOFOLLOW_LINKS));
        assertUntouched(data);
    }

    @Test
    void aTreeThatIsALinkLosesTheLinkOnly() throws IOException {
        Path data = userData();
        Path link = Files.createSymbolicLink(tmp.resolve("scratch"), data);
        assertTrue(FileTrees.deleteQuietly(link));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertUntouched(data);
    }

    @Test
    void tempFoldersUnlinkWhatTheyHoldAndKeepItsTarget() throws IOException {
        Path data = userData();
        Path scratch = TempFolders.create("geolightning-filetrees-test-");
        Files.createSymbolicLink(scratch.resolve("input"), data);
        TempFolders.delete(scratch);
        assertFalse(Files.exists(scratch, LinkOption.NOFOLLOW_LINKS));
        assertFalse(TempFolders.live().contains(scratch), "deleted, so no longer held for the shutdown hook");
        assertUntouched(data);
    }

    @Test
    void whatCannotBeDeletedIsReportedAfterTheRestIsGone() throws IOException {
        Path locked = Files.createDirectories(tmp.resolve("scratch/locked"));
        Files.writeString(locked.resolve("kept.bin"), "k");
        Files.writeString(tmp.resolve("scratch/gone.bin"), "g");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(locked), "root may write anywhere");
            IOException e = assertThrows(IOException.class, () -> FileTrees.delete(tmp.resolve("scratch")));
            assertTrue(e.getMessage().contains("kept.bin"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("scratch/gone.bin")), "the rest is deleted all the same");
            assertFalse(FileTrees.deleteQuietly(tmp.resolve("scratch")));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
