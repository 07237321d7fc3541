package io.geolightning.spark;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Makes sure the JVM running a task (driver or executor) can load the GDAL JNI library before any scene is touched,
 * so a node without it fails the job with one line that says how to ship the library, instead of failing every scene.
 */
public final class NativeLibraries {

    private NativeLibraries() {
    }

    /**
     * Loads GDAL (once per JVM).
     *
     * @throws SparkJobException naming the host and its {@code java.library.path} when libgdalalljni is missing
     */
    public static void requireGdal() {
        try {
            Gdal.ensureInitialised();
        } catch (GeoIOException | UnsatisfiedLinkError e) {
            throw new SparkJobException(missingGdalMessage(host(), System.getProperty("java.library.path")), e);
        }
    }

    /**
     * @param host the node
     * @param libraryPath its {@code java.library.path}
     * @return the one-line message for a node without the GDAL JNI library
     */
    static String missingGdalMessage(String host, String libraryPath) {
        return "executor on " + host + ": GDAL native library libgdalalljni.so not found on java.library.path ("
                + libraryPath + "); build it with scripts/setup, make <repo>/build/native available on every node and"
                + " pass --conf spark.executor.extraLibraryPath=<repo>/build/native"
                + " --conf spark.driver.extraLibraryPath=<repo>/build/native";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "an unknown host";
        }
    }
}
