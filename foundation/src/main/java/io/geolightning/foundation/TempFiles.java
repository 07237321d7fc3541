package io.geolightning.foundation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden temporary files that stand in for an output until it is complete and renamed onto its final path.
 *
 * <p>A temporary of {@code out.tif} is {@code .out.tif.<pid>@<host>.<random><suffix>} in the same folder (a name
 * over 170 bytes is cut and hashed there, {@link #stem}), so:
 * <ul>
 *   <li>every temporary this process holds is deleted by a shutdown hook when the JVM ends, including on SIGINT
 *       (Ctrl-C) and SIGTERM; only SIGKILL ({@code kill -9}) can leave one behind;</li>
 *   <li>{@link #removeStale(Path)} - called when an output is written again - deletes the temporaries of that output
 *       whose process is gone (same host, pid no longer alive), never those of a live concurrent writer;</li>
 *   <li>files are created with the default permissions (0666 less the umask), like any other tool's output, not the
 *       owner-only mode of {@link Files#createTempFile}.</li>
 * </ul>
 */
public final class TempFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = hostName();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The owner part of a temporary's name: {@code <pid>@<host>.<8 hex digits>}, then the suffix or the end. */
    private static final Pattern OWNED = Pattern.compile("(\\d+)@([A-Za-z0-9-]+)\\.[0-9a-f]{8}(?=\\.|$)");
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    /** The longest output name (UTF-8 bytes) a temporary's name holds whole; see {@link #stem}. */
    static final int NAME_BYTES = 170;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteLive, "geolightning-temp-cleanup"));
    }

    private TempFiles() {
    }

    /**
     * Names a fresh temporary for {@code target} without creating it (for writers that create the file themselves,
     * such as GDAL), and registers it for deletion if the process ends before {@link #release}.
     *
     * @param target the final output
     * @param suffix the temporary's suffix, e.g. {@code ".tmp"} or {@code ".part.tif"}
     * @return the temporary's path, next to {@code target}
     */
    public static Path reserve(Path target, String suffix) {
        Path abs = target.toAbsolutePath();
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        Path tmp = abs.resolveSibling("." + stem(abs.getFileName().toString()) + "." + PID + "@" + HOST + "."
                + HexFormat.of().formatHex(r) + suffix);
        LIVE.add(tmp);
        return tmp;
    }

    /**
     * Creates an empty temporary for {@code target} (default permissions: the umask applies).
     *
     * @param target the final output
     * @param suffix the temporary's suffix
     * @return the created file
     * @throws IOException when the folder is missing or not writable
     */
    public static Path create(Path target, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = reserve(target, suffix);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                LIVE.remove(tmp);
                if (attempt > 8) {
                    throw e;
                }
            } catch (IOException e) {
                LIVE.remove(tmp);
                throw e;
            }
        }
    }

    /**
     * Forgets a temporary that was renamed onto its output or deleted.
     *
     * @param tmp the temporary
     */
    public static void release(Path tmp) {
        if (tmp != null) {
            LIVE.remove(tmp.toAbsolutePath());
        }
    }

    /**
     * Deletes a temporary (and a GDAL {@code .aux.xml} beside it) and forgets it; errors are logged, not thrown.
     *
     * @param tmp the temporary, or null
     */
    public static void discard(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + ".aux.xml"));
        } catch (IOException e) {
            LOG.warn("cannot delete the temporary file {} ({})", tmp, e.getMessage());
        }
        release(tmp);
    }

    /**
     * Deletes the temporaries of {@code target} left by processes of this host that are no longer alive (a run
     * killed with SIGKILL, a machine that lost power). Temporaries of live processes - a concurrent writer of the same
     * output, or this process - are kept.
     *
     * @param target the output about to be written
     * @return how many were deleted
     */
    public static int removeStale(Path target) {
        Path abs = target.toAbsolutePath();
        return sweep(abs.getParent(), "." + stem(abs.getFileName().toString()) + ".");
    }

    /**
     * The part of a temporary's name that stands for its output's name: the name itself, or, when it is longer than
     * {@link #NAME_BYTES} bytes, its start and a hash of the whole, so that the temporary's name (up to ~85 bytes
     * longer: owner, suffix, the {@code .aux.xml} or {@code .crc} a library adds) stays within the 255 bytes file
     * systems allow for any output name they accept. It depends on the name alone, so every process finds the
     * temporaries of an output ({@link #removeStale}).
     *
     * @param name an output's file name
     * @return the name, or its first bytes (whole characters), {@code ~} and 8 hex digits of its SHA-256
     */
    public static String stem(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= NAME_BYTES) {
            return name;
        }
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > NAME_BYTES - 9) {
                break;
            }
            cut.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return cut + "~" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /**
     * Deletes every temporary in {@code dir} (not its subfolders) left by a process of this host that is gone, whatever
     * output it stood for: for folders owned by one kind of output, such as a run's {@code checkpoints/}.
     *
     * @param dir the folder
     * @return how many were deleted
     */
    public static int removeStaleIn(Path dir) {
        return sweep(dir == null ? null : dir.toAbsolutePath(), ".");
    }

    private static int sweep(Path dir, String prefix) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.list(dir)) {
            candidates = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            LOG.warn("cannot list {} for stale temporary files ({})", dir, e.getMessage());
            return 0;
        }
        int removed = 0;
        for (Path p : candidates) {
            String name = p.getFileName().toString();
            Matcher m = OWNED.matcher(name);
            if (!m.find() || m.start() < prefix.length() || name.charAt(m.start() - 1) != '.'
                    || !m.group(2).equals(HOST) || alive(Long.parseLong(m.group(1)))) {
                continue;
            }
            try {
                if (Files.deleteIfExists(p)) {
                    removed++;
                    LOG.info("removed {} left by an interrupted run (process {} is gone)", p, m.group(1));
                }
            } catch (IOException e) {
                LOG.warn("cannot delete the stale temporary file {} ({})", p, e.getMessage());
            }
        }
        return removed;
    }

    /** @return the temporaries this process holds now (tests, diagnostics) */
    public static Set<Path> live() {
        return Set.copyOf(LIVE);
    }

    private static boolean alive(long pid) {
        if (pid == PID) {
            return true;
        }
        try {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return true; // cannot tell: keep it
        }
    }

    private static void deleteLive() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
                Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".aux.xml"));
            } catch (IOException | RuntimeException ignored) {
                // the JVM is ending: nothing else to do
            }
        }
    }

    private static String hostName() {
        String h = null;
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                h = Files.readString(proc).trim();
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back below
        }
        if (h == null || h.isEmpty()) {
            h = System.getenv("HOSTNAME");
        }
        if (h == null || h.isEmpty()) {
            h = "localhost";
        }
        String clean = h.replaceAll("[^A-Za-z0-9-]", "-");
        return clean.length() > 32 ? clean.substring(0, 32) : clean;
    }
}
