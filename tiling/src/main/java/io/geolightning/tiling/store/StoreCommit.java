package io.geolightning.tiling.store;

import io.geolightning.foundation.AtomicFiles;
import io.geolightning.foundation.TempFiles;
import io.geolightning.tiling.TilingException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the finished temporaries of a chip store so that a reader finds either the previous store or the new one,
 * whole, never a mix.
 *
 * <p>Folder store: the sidecar, which lists the store's parts, is the commit point. The new parts are published first
 * under names no file in the folder has ({@code part-00000.parquet}, ... where those are free, else
 * {@code part-<8 hex>-00000.parquet}, ...), never replacing a file; while they are, the previous sidecar still lists
 * the previous parts, all in place. The new sidecar is then renamed over the previous one (one atomic rename), and
 * only after that are the parts it does not list deleted. A failure before the rename deletes the parts it
 * published; a run killed in between leaves unlisted parts that the next commit in the folder deletes.
 *
 * <p>Single-file store: the Parquet file is renamed over the previous one, then the sidecar is written. The
 * previous sidecar is moved aside first (so no reader pairs it with the new file) and put back when the Parquet file
 * could not be renamed.
 */
final class StoreCommit {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCommit.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreCommit() {
    }

    /**
     * @param layout the store
     * @param temps the finished temporaries of its parts, in part order (one for a single-file store)
     * @param sidecar builds the sidecar from the published part names
     * @param exclusive true to fail, rather than replace it, when a store is there (another writer's, published
     *     while this one ran): the sidecar (folder) or the Parquet file and sidecar (single file) are then published
     *     only under names no file has, atomically
     * @return the sidecar as written
     * @throws IOException when a rename fails; what this call published is then removed again
     */
    static ChipStoreMetadata publish(ChipStoreLayout layout, List<Path> temps,
            Function<List<String>, ChipStoreMetadata> sidecar, boolean exclusive) throws IOException {
        return layout.singleFile() ? publishFile(layout, temps.get(0), sidecar, exclusive)
                : publishFolder(layout, temps, sidecar, exclusive);
    }

    private static ChipStoreMetadata publishFolder(ChipStoreLayout layout, List<Path> temps,
            Function<List<String>, ChipStoreMetadata> sidecar, boolean exclusive) throws IOException {
        Path folder = layout.folder();
        List<Path> published = new ArrayList<>();
        boolean committed = false;
        try {
            List<String> names = publishParts(folder, temps, published);
            ChipStoreMetadata m = sidecar.apply(names);
            if (exclusive) {
                writeNew(layout, m);
            } else {
                SidecarJson.write(layout.sidecar(), m); // the commit point
            }
            committed = true;
            removeUnlisted(folder, names);
            return m;
        } finally {
            if (!committed) {
                published.forEach(StoreCommit::deleteQuietly);
            }
        }
    }

    /** Publishes every temporary under a fresh name (none replaced); {@code published} collects what is in place. */
    private static List<String> publishParts(Path folder, List<Path> temps, List<Path> published) throws IOException {
        String generation = plainNamesFree(folder, temps.size()) ? null : randomHex();
        for (int attempt = 0; ; attempt++) {
            List<String> names = new ArrayList<>();
            try {
                for (int i = 0; i < temps.size(); i++) {
                    String name = generation == null ? plainName(i)
                            : String.format(Locale.ROOT, "part-%s-%05d.parquet", generation, i);
                    Path target = folder.resolve(name);
                    AtomicFiles.commitNew(temps.get(i), target);
                    published.add(target);
                    names.add(name);
                }
                return names;
            } catch (FileAlreadyExistsException e) { // another writer took the name meanwhile: take others
                published.forEach(StoreCommit::deleteQuietly);
                published.clear();
                if (attempt >= 8) {
                    throw e;
                }
                generation = randomHex();
            }
        }
    }

    private static ChipStoreMetadata publishFile(ChipStoreLayout layout, Path temp,
            Function<List<String>, ChipStoreMetadata> sidecar, boolean exclusive) throws IOException {
        if (exclusive) {
            try {
                AtomicFiles.commitNew(temp, layout.root());
            } catch (FileAlreadyExistsException e) {
                throw taken(layout.root());
            }
            try {
                ChipStoreMetadata m = sidecar.apply(List.of(layout.partName(0)));
                writeNew(layout, m);
                return m;
            } catch (IOException | RuntimeException e) {
                deleteQuietly(layout.root());
                throw e;
            }
        }
        Path side = layout.sidecar();
        Path aside = null;
        boolean dataIn = false;
        try {
            if (Files.exists(side, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                aside = TempFiles.reserve(side, ".tmp");
                Files.move(side, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicFiles.commit(temp, layout.root());
            dataIn = true;
            ChipStoreMetadata m = sidecar.apply(List.of(layout.partName(0)));
            SidecarJson.write(side, m);
            return m;
        } finally {
            if (aside != null) {
                if (!dataIn) {
                    Files.move(aside, side, StandardCopyOption.ATOMIC_MOVE);
                    TempFiles.release(aside);
                } else {
                    TempFiles.discard(aside);
                }
            }
        }
    }

    /** Publishes the sidecar under its name unless a file has it: the commit point of an exclusive commit. */
    private static void writeNew(ChipStoreLayout layout, ChipStoreMetadata m) throws IOException {
        Path side = layout.sidecar();
        TempFiles.removeStale(side);
        Path tmp = TempFiles.create(side, ".tmp");
        try {
            Files.write(tmp, SidecarJson.MAPPER.writeValueAsBytes(m));
            AtomicFiles.commitNew(tmp, side);
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw taken(layout.root());
        } finally {
            TempFiles.discard(tmp);
        }
    }

    private static TilingException taken(Path root) {
        return new TilingException(root + ": another tile wrote a chip store here while this one ran; pass"
                + " --overwrite to replace it or choose another --out");
    }

    /** Deletes the {@code part-*.parquet} files of the folder that the committed sidecar does not list. */
    private static void removeUnlisted(Path folder, List<String> keep) {
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("part-") && n.endsWith(".parquet") && !keep.contains(n)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot remove the previous store's parts ({}); the new store is complete, they are deleted"
                    + " by the next tile into this folder", folder, e.getMessage());
        }
    }

    private static boolean plainNamesFree(Path folder, int parts) {
        for (int i = 0; i < parts; i++) {
            if (Files.exists(folder.resolve(plainName(i)), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    private static String plainName(int i) {
        return String.format(Locale.ROOT, "part-%05d.parquet", i);
    }

    private static String randomHex() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {} ({})", p, e.getMessage());
        }
    }

    /** @return the failure as the one-line error of a store that could not be finished */
    static TilingException failed(ChipStoreLayout layout, IOException e) {
        return new TilingException(layout.root() + ": cannot finish the chip store (" + e.getMessage()
                + "); check free space and permissions", e);
    }
}
