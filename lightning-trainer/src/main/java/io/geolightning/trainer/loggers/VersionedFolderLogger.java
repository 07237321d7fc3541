package io.geolightning.trainer.loggers;

import java.nio.file.Path;

/**
 * Base of the file loggers: Lightning's {@code <root>/<name>/version_<N>} folder, created on first use, with
 * {@code N} one more than the highest existing version unless a version is given (claimed atomically: runs started
 * together get one folder each).
 */
public abstract class VersionedFolderLogger implements ExperimentLogger {

    private final Path root;
    private final String name;
    private String version;
    private Path dir;

    /**
     * @param root the root folder
     * @param name the experiment name
     * @param version the version folder name, or null for the next {@code version_N}
     */
    protected VersionedFolderLogger(Path root, String name, String version) {
        this.root = root;
        this.name = name;
        this.version = version;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        logDir();
        return version;
    }

    @Override
    public synchronized Path logDir() {
        if (dir == null) {
            Path experiment = root.resolve(name);
            if (version == null) {
                version = LogFolders.claimNextVersion(experiment);
                dir = experiment.resolve(version);
            } else {
                dir = experiment.resolve(version);
                LogFolders.createDirectories(dir);
            }
        }
        return dir;
    }
}
