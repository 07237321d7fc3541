package io.geolightning.foundation;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes a folder and everything below it: the one recursive delete of the project (scratch folders, staging folders,
 * a half-written output). Symbolic links are removed, never followed: a link in the tree to a user's data (or the tree
 * itself being a link) loses the link, and what it points to is left as it was.
 */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and, when it is a folder (not a link to one), everything below it. Keeps going past what
     * cannot be deleted, so that as much as possible goes, then reports the first failure.
     *
     * @param root the folder (or file, or link); nothing happens when it does not exist
     * @throws IOException the first entry that could not be deleted (the others suppressed in it)
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Deleter d = new Deleter();
        Files.walkFileTree(root, d); // without FOLLOW_LINKS: a link is visited as a file, not entered
        if (d.failure != null) {
            throw d.failure;
        }
    }

    /**
     * {@link #delete} for clean-up paths that must not fail (a finally block, a shutdown hook).
     *
     * @param root the folder, or null
     * @return whether nothing is left at {@code root}
     */
    public static boolean deleteQuietly(Path root) {
        if (root == null) {
            return true;
        }
        try {
            delete(root);
        } catch (IOException | RuntimeException e) {
            return !Files.exists(root, LinkOption.NOFOLLOW_LINKS);
        }
        return true;
    }

    /** Deletes files and links as they are visited and each folder after its entries; remembers failures. */
    private static final class Deleter extends SimpleFileVisitor<Path> {
        private IOException failure;

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            remove(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) { // gone meanwhile is what was wanted
                failed(e);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
                failed(e);
            }
            remove(dir);
            return FileVisitResult.CONTINUE;
        }

        private void remove(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failed(e);
            }
        }

        private void failed(IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
    }
}
