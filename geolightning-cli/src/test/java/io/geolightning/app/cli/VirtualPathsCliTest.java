package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.foundation.fuzz.ZipEdits;
import io.geolightning.foundation.testing.RangeHttpServer;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs as GDAL paths through the CLI: the Olinda labels zipped ({@code /vsizip//...}) and the Landsat scene served
 * over loopback HTTP with range requests ({@code /vsicurl/http://127.0.0.1:PORT/...}) give the same chips and the same
 * classified raster as the local files; bad virtual paths are one line and leave nothing behind.
 */
class VirtualPathsCliTest {

    @TempDir
    Path tmp;

    /** @return chip id -> split, label and the pixels' hash: what tiling produced, whatever the scene's path */
    private static Map<String, String> chips(Path store) {
        Map<String, String> out = new TreeMap<>();
        ChipStoreReader.open(store).forEach(r -> out.put(r.chipId(), r.split() + " " + r.label() + " "
                + Arrays.hashCode(r.pixels())));
        return out;
    }

    @Test
    void zippedLabelsAndAnHttpSceneTileAndPredictLikeTheLocalFiles() throws Exception {
        Path zip = ZipEdits.zipShapefile(BadInputs.LABELS, tmp.resolve("labels.zip"));
        Path served = Files.createDirectories(tmp.resolve("www"));
        Files.copy(BadInputs.RASTER, served.resolve("L7_ETMs.tif"));
        try (RangeHttpServer http = new RangeHttpServer(served)) {
            String labels = "/vsizip/" + zip + "/olinda1.shp";
            String raster = "/vsicurl/" + http.url("L7_ETMs.tif");

            CliRun info = CliRun.of("info", labels);
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("vector " + labels) && info.out().contains("TIPO"), info.out());
            info = CliRun.of("info", raster);
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("raster " + raster) && info.out().contains("349 x 352"), info.out());

            Path local = tmp.resolve("local-chips");
            Path virtual = tmp.resolve("virtual-chips");
            CliRun a = CliRun.of("tile", "--raster", BadInputs.RASTER, "--labels", BadInputs.LABELS, "--label-field",
                    "TIPO", "--chip", 16, "--out", local);
            CliRun b = CliRun.of("tile", "--raster", raster, "--labels", labels, "--label-field", "TIPO", "--chip", 16,
                    "--out", virtual);
            assertEquals(0, a.code(), a.err());
            assertEquals(0, b.code(), b.err());
            assertTrue(b.out().startsWith("tiled L7_ETMs.tif with olinda1.shp into "), b.out());
            Map<String, String> expected = chips(local);
            assertFalse(expected.isEmpty());
            assertEquals(expected, chips(virtual), "same chips, splits, labels and pixels");
            assertTrue(http.partialResponses() > 0, "read with range requests");

            Path ckpt = BadInputs.checkpoint();
            Path fromFile = tmp.resolve("from-file.tif");
            Path fromUrl = tmp.resolve("from-url.tif");
            assertEquals(0, CliRun.of("predict", "--checkpoint", ckpt, "--raster", BadInputs.RASTER, "--out", fromFile)
                    .code());
            CliRun p = CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out", fromUrl);
            assertEquals(0, p.code(), p.err());
            try (GeoRaster x = GeoRaster.open(fromFile); GeoRaster y = GeoRaster.open(fromUrl)) {
                assertArrayEquals(x.readAll().bytes(), y.readAll().bytes());
                assertArrayEquals(x.geoTransform().toGdal(), y.geoTransform().toGdal());
            }

            // bad virtual paths: one line, exit 1 (missing input) or 2 (an output that is not local), nothing written
            CliRun missing = CliRun.of("tile", "--raster", "/vsicurl/" + http.url("gone.tif"), "--labels", labels,
                    "--label-field", "TIPO", "--out", tmp.resolve("never"));
            assertEquals(1, missing.code(), missing.err());
            assertEquals("error: /vsicurl/" + http.url("gone.tif") + ": file not found; check the URL and your access"
                    + " to it (GDAL could not fetch it)", missing.errorLine());
            CliRun notInZip = CliRun.of("info", "/vsizip/" + zip + "/olinda2.shp");
            assertEquals(1, notInZip.code());
            assertTrue(notInZip.errorLine().endsWith("olinda2.shp: file not found; check the path inside the archive;"
                    + " it holds olinda1.shp, olinda1.shx, olinda1.dbf, olinda1.prj"), notInZip.errorLine());
            CliRun remoteOut = CliRun.of("predict", "--checkpoint", ckpt, "--raster", raster, "--out",
                    "/vsis3/bucket/classes.tif");
            assertEquals(2, remoteOut.code());
            assertTrue(remoteOut.errorLine().startsWith("error: --out /vsis3/bucket/classes.tif: outputs are written to"
                    + " local files, not to GDAL virtual paths"), remoteOut.errorLine());
            assertFalse(Files.exists(tmp.resolve("never")));
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(Set.of("labels.zip", "www", "local-chips", "virtual-chips", "from-file.tif",
                        "from-file.qml", "from-url.tif", "from-url.qml"), s.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".aux.xml"))
                        .collect(java.util.stream.Collectors.toSet()), "no temporaries or half-written outputs");
            }
        }
    }
}
