package io.geolightning.foundation;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outputs of one command, published together: a class raster with its legend files and polygons, an export's
 * weights with its model card. Each output is first written completely to a temporary ({@link TempFiles}) and
 * {@link #add added}; {@link #publish()} then keeps each existing target aside (a hard link, or a rename where links
 * are not supported), renames every temporary onto its target and removes the files the set drops. When a step
 * fails, what was published is undone: earlier files are put back, files new to their location are deleted, so the
 * folder holds the earlier outputs or the new ones, never a mix. {@link #close()} deletes what was not published. A
 * set that may not replace ({@link #OutputSet(boolean)}, a command without {@code --overwrite}) links its files into
 * place instead, which fails on a file another writer published meanwhile: then it publishes none.
 *
 * <p>Only a SIGKILL (or a power cut) in the middle of {@link #publish()} can leave a mix; the files kept aside are
 * then hidden temporaries that the next run writing the same output removes.
 */
public final class OutputSet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputSet.class);

    /** One output: a temporary to publish at {@code target}, or (tmp null) an existing file to remove. */
    private static final class Step {
        final Path tmp;
        final Path target;
        Path aside;
        boolean linked;
        boolean done;

        Step(Path tmp, Path target) {
            this.tmp = tmp == null ? null : tmp.toAbsolutePath();
            this.target = target.toAbsolutePath();
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private final boolean replace;
    private boolean published;

    /** A set that replaces existing targets (the command was given {@code --overwrite}, or they are its own). */
    public OutputSet() {
        this(true);
    }

    /**
     * @param replace false when every target must be new (no {@code --overwrite}): {@link #publish()} then fails,
     *     publishing none, when another command wrote one of them while this one ran, instead of replacing it
     */
    public OutputSet(boolean replace) {
        this.replace = replace;
    }

    /**
     * @param tmp a finished temporary (its owner hands it over: the set deletes it unless published)
     * @param target where it is published
     * @return {@code tmp}
     */
    public synchronized Path add(Path tmp, Path target) {
        steps.add(new Step(tmp, target));
        return tmp;
    }

    /**
     * @param target a file the new outputs make stale (the sidecar of a raster now without a legend), removed when
     *     the set is published; nothing when it does not exist
     */
    public synchronized void remove(Path target) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            steps.add(new Step(null, target));
        }
    }

    /**
     * Publishes every output, or none.
     *
     * @throws IOException when a step fails (the disk is full, the folder not writable); every target is then as it
     *     was, except where putting an earlier file back failed too, which is logged with where it is kept
     * @throws FileAlreadyExistsException when the set does not replace and a target exists (another writer's)
     */
    public synchronized void publish() throws IOException {
        if (published) {
            throw new IllegalStateException("already published");
        }
        try {
            for (Step s : steps) {
                if (replace || s.tmp == null) {
                    keepAside(s);
                }
            }
            for (Step s : steps) {
                if (s.tmp != null && !replace) {
                    AtomicFiles.commitNew(s.tmp, s.target); // fails on a file another writer published meanwhile
                } else if (s.tmp != null) {
                    Files.move(s.tmp, s.target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    TempFiles.release(s.tmp);
                } else if (s.linked) {
                    Files.delete(s.target);
                }
                s.done = true;
            }
        } catch (IOException | RuntimeException e) {
            undo();
            throw e;
        }
        published = true;
        for (Step s : steps) {
            if (s.aside != null) {
                try {
                    Files.deleteIfExists(s.aside);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}, the replaced {} ({})", s.aside, s.target.getFileName(), e.getMessage());
                }
            }
        }
    }

    private static void keepAside(Step s) throws IOException {
        if (!Files.exists(s.target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path aside = TempFiles.reserve(s.target, ".old");
        TempFiles.release(aside); // never deleted by the exit hook: it may be the only copy of an earlier output
        try {
            Files.createLink(aside, s.target);
            s.linked = true;
        } catch (IOException | UnsupportedOperationException e) {
            Files.move(s.target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        s.aside = aside;
    }

    private void undo() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            try {
                if (s.aside != null && (s.done || !s.linked)) {
                    Files.move(s.aside, s.target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else if (s.aside != null) {
                    Files.deleteIfExists(s.aside); // a link to the target, which was not touched
                } else if (s.done && s.tmp != null) {
                    Files.deleteIfExists(s.target); // new here: a failed run leaves no part of its outputs
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot restore {}{} ({})", s.target, s.aside == null ? "" : "; the earlier file is kept as "
                        + s.aside, e.getMessage());
            }
        }
    }

    /** Deletes the temporaries not published. */
    @Override
    public synchronized void close() {
        if (!published) {
            for (Step s : steps) {
                if (s.tmp != null && !s.done) {
                    TempFiles.discard(s.tmp);
                }
            }
        }
    }
}
