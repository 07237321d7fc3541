package io.geolightning.trainer.loggers;

import io.geolightning.trainer.TrainerException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes scalars and images as real TensorBoard event files, {@code <root>/<name>/version_<N>/events.out.tfevents.<ts>.<host>}:
 * TFRecord framing with masked CRC32C ({@link TfRecordWriter}) around hand-encoded {@code Event}/{@code Summary}
 * protobufs ({@link EventProto}); hyperparameters go to {@code hparams.yaml} beside it, as Lightning does. Event
 * files are append-only logs by design (TensorBoard ignores a truncated last record), so they are streamed rather
 * than written atomically; {@link #flush()} pushes buffered records to disk.
 */
public final class TensorBoardLogger extends VersionedFolderLogger {

    private Path eventFile;
    private OutputStream out;
    private final Map<String, Object> hparams = new LinkedHashMap<>();

    /**
     * @param root the root folder
     * @param name the experiment name
     */
    public TensorBoardLogger(Path root, String name) {
        this(root, name, null);
    }

    /**
     * @param root the root folder
     * @param name the experiment name
     * @param version the version folder name, or null for the next {@code version_N}
     */
    public TensorBoardLogger(Path root, String name, String version) {
        super(root, name, version);
    }

    /** @return the event file (created on first write), or null before */
    public synchronized Path eventFile() {
        return eventFile;
    }

    private OutputStream stream() throws IOException {
        if (out == null) {
            long now = System.currentTimeMillis();
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            eventFile = logDir().resolve("events.out.tfevents." + (now / 1000) + "." + host);
            out = new BufferedOutputStream(Files.newOutputStream(eventFile));
            TfRecordWriter.write(out, EventProto.fileVersion(now / 1000.0));
        }
        return out;
    }

    @Override
    public synchronized void logHyperparams(Map<String, Object> hyperparameters) {
        hparams.putAll(hyperparameters);
        LogFolders.writeAtomically(logDir().resolve("hparams.yaml"), Yaml.of(hparams));
    }

    @Override
    public synchronized void logMetrics(Map<String, Double> metrics, long step) {
        double wall = System.currentTimeMillis() / 1000.0;
        try {
            OutputStream os = stream();
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                if (e.getValue() != null) {
                    TfRecordWriter.write(os, EventProto.scalar(wall, step, e.getKey(), e.getValue().floatValue()));
                }
            }
        } catch (IOException e) {
            throw new TrainerException(logDir() + ": cannot write TensorBoard events (" + e.getMessage()
                    + "); check the folder is writable and the disk has space", e);
        }
    }

    /** Writes an image summary (shown in TensorBoard's Images tab); the PNG is stored as given, RGB. */
    @Override
    public synchronized void logImage(String tag, byte[] png, int width, int height, long step) {
        try {
            TfRecordWriter.write(stream(), EventProto.image(System.currentTimeMillis() / 1000.0, step, tag, png, width,
                    height, 3));
        } catch (IOException e) {
            throw new TrainerException(logDir() + ": cannot write TensorBoard events (" + e.getMessage()
                    + "); check the folder is writable and the disk has space", e);
        }
    }

    @Override
    public synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new TrainerException(eventFile + ": cannot flush TensorBoard events (" + e.getMessage()
                        + "); check the disk has space", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new TrainerException(eventFile + ": cannot close TensorBoard events (" + e.getMessage() + ")", e);
            } finally {
                out = null;
            }
        }
    }
}
