package io.geolightning.geo;

import io.geolightning.foundation.Progress;
import org.gdal.gdal.ProgressCallback;
import org.slf4j.Logger;

/**
 * A GDAL progress callback that logs at INFO every 10% with elapsed time and an ETA, for long GDAL operations (COG
 * translation of big rasters), e.g. {@code "L7.tif: COG: 40% after 12s, ETA 18s"} ({@link Progress#fractionLine}).
 * Quiet for operations that finish within two seconds.
 */
final class ProgressLog extends ProgressCallback {
    private final Logger log;
    private final String what;
    private final long start = System.nanoTime();
    private int nextDecile = 1;

    ProgressLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    @Override
    public int run(double complete, String message) {
        if (complete * 10 >= nextDecile) {
            nextDecile = (int) Math.floor(complete * 10) + 1;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= 2 && complete > 0 && complete < 1 && log.isInfoEnabled()) {
                log.info(Progress.fractionLine(what, complete, elapsed));
            }
        }
        return 1;
    }
}
