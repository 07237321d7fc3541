package io.geolightning.foundation.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture of the region tests: the Massachusetts scene (1182 x 901 px, EPSG:26986, 1 m) cut into four quadrant
 * files with {@code gdal_translate}, the fourth reprojected to EPSG:32619 at 1.2 m with {@code gdalwarp}: a catalog
 * of files in two CRSs and resolutions that holds the scene's pixels.
 */
public final class Quadrants {

    private Quadrants() {
    }

    /**
     * @param scene the Massachusetts scene
     * @param folder where {@code q1.tif, q2.tif, q3.tif, q4-utm19.tif} are written (created)
     * @return the folder
     * @throws IOException when a GDAL command fails
     */
    public static Path cut(Path scene, Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        int[][] q = {{0, 0, 591, 450}, {591, 0, 591, 450}, {0, 450, 591, 451}, {591, 450, 591, 451}};
        for (int i = 0; i < 4; i++) {
            gdal("gdal_translate", "-q", "-srcwin", "" + q[i][0], "" + q[i][1], "" + q[i][2], "" + q[i][3],
                    scene.toString(), folder.resolve("q" + (i + 1) + ".tif").toString());
        }
        Path q4 = folder.resolve("q4.tif");
        Path warped = Files.createTempFile(folder.getParent(), "q4-utm19", ".tif");
        Files.delete(warped);
        gdal("gdalwarp", "-q", "-t_srs", "EPSG:32619", "-tr", "1.2", "1.2", "-r", "bilinear", q4.toString(),
                warped.toString());
        Files.delete(q4);
        Files.move(warped, folder.resolve("q4-utm19.tif"));
        return folder;
    }

    /**
     * Runs a GDAL command-line tool.
     *
     * @param cmd the command and its arguments
     * @throws IOException naming the command and its output when it fails or runs over two minutes
     */
    public static void gdal(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
