package io.geolightning.tiling.store;

import io.geolightning.tiling.TilingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where a tile command ({@code geolightning tile}, the Spark {@code tile} job) may write a chip store: a new path; an
 * existing store (a {@code .parquet} file, or a folder of {@code chips.json} and {@code part-*.parquet}, finished or
 * left unfinished by an interrupted run) only with {@code --overwrite}; never an existing folder holding anything else,
 * nor a file that is not Parquet - those are the user's files.
 */
public final class StoreTarget {

    private StoreTarget() {
    }

    /**
     * @param out the store path given to {@code --out}
     * @param overwrite whether {@code --overwrite} was passed
     * @throws TilingException when writing there could lose data
     */
    public static void check(Path out, boolean overwrite) {
        danglingLink(out);
        boolean file = out.getFileName() != null
                && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
        Path parent = out.toAbsolutePath().getParent();
        if (file && parent != null && !Files.isDirectory(parent)) {
            throw new TilingException(out + ": the folder " + parent + " does not exist; create it or choose another"
                    + " --out");
        }
        if (file) {
            checkSidecar(out, overwrite);
        }
        if (!Files.exists(out)) {
            return;
        }
        if (file != Files.isRegularFile(out) || !(file || Files.isDirectory(out))) {
            throw new TilingException(out + ": exists and is not a chip store; pass a new folder or .parquet file as"
                    + " --out");
        }
        if (file) {
            if (!overwrite) {
                throw new TilingException(out + ": a chip store already exists there; pass --overwrite to replace it or"
                        + " choose another --out");
            }
            return;
        }
        List<String> foreign = foreignEntries(out);
        if (!foreign.isEmpty()) {
            throw new TilingException(out + ": the folder is not empty and is not a chip store (it holds "
                    + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                    + (foreign.size() > 3 ? ", ..." : "") + "); pass a new or empty folder as --out");
        }
        if (!overwrite && hasStore(out)) {
            throw new TilingException(out + ": a chip store already exists there; pass --overwrite to replace it or"
                    + " choose another --out");
        }
    }

    /** A single-file store's sidecar ({@code NAME.chips.json}) is an output too: replaced only with --overwrite. */
    private static void checkSidecar(Path out, boolean overwrite) {
        Path sidecar = new ChipStoreLayout(out).sidecar();
        if (!Files.exists(sidecar, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(sidecar, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new TilingException(sidecar + ": exists and is not a file, and the store " + out.getFileName()
                    + " keeps its sidecar there; move it away or choose another --out");
        }
        if (!overwrite) {
            throw new TilingException(sidecar + ": already exists, and the store " + out.getFileName() + " writes its"
                    + " sidecar there; pass --overwrite to replace it or choose another --out");
        }
    }

    /**
     * Fails when {@code out}, or the first of its folders that does not exist, is a symbolic link to nothing (a link
     * onto a disk not mounted yet): the store would be written in the wrong place, or not at all.
     */
    private static void danglingLink(Path out) {
        for (Path p = out.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                String target;
                try {
                    target = String.valueOf(Files.readSymbolicLink(p));
                } catch (IOException | UnsupportedOperationException e) {
                    target = "a path";
                }
                throw new TilingException(out + ": " + (p.equals(out.toAbsolutePath()) ? "is" : "lies in")
                        + " a symbolic link to " + target + ", which does not exist; create it (or mount its disk)"
                        + " or choose another --out");
            }
        }
    }

    /** @return names in a folder that no chip store writes (its sidecar, parts, staging and hidden temporaries) */
    private static List<String> foreignEntries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(ChipStoreLayout.SIDECAR) && !n.equals(ChipStoreLayout.STAGING)
                            && !(n.startsWith("part-") && n.endsWith(".parquet"))
                            && !(n.startsWith(".") && (n.endsWith(".tmp") || n.endsWith(".crc"))))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TilingException(dir + ": cannot list the folder (" + e.getMessage() + "); check its permissions");
        }
    }

    private static boolean hasStore(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return true;
        }
    }
}
