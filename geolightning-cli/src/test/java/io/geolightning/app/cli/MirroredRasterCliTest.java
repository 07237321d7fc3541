package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterWindow;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Olinda scene stored south-up (rows reversed, positive pixel height, as rasters converted from netCDF often are)
 * tiles into the chips of the north-up scene, and a model's prediction of it is the north-up scene's prediction: the
 * chips face north, so a model trained on north-up chips does not see it upside down.
 */
class MirroredRasterCliTest {

    @TempDir
    Path tmp;

    @Test
    void aSouthUpSceneTilesAndPredictsAsTheNorthUpOne() {
        Path north = CliRun.sample("olinda/L7_ETMs.tif");
        Path south = southUp(north, tmp.resolve("L7-south-up.tif"));
        Path labels = CliRun.sample("olinda/olinda1.shp");
        CliRun info = CliRun.of("info", south);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("(stored south-up or east-to-west; tile and predict read it north-up, as here)"),
                info.out());
        List<ChipRow> a = tile(north, labels, tmp.resolve("north-chips"));
        List<ChipRow> b = tile(south, labels, tmp.resolve("south-chips"));
        assertTrue(a.size() > 100, "chips: " + a.size());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            ChipRow p = a.get(i);
            ChipRow q = b.get(i);
            assertEquals(List.of(p.x(), p.y(), p.label(), p.split()), List.of(q.x(), q.y(), q.label(), q.split()));
            assertEquals(p.maxy(), q.maxy(), 1e-6, "the chip's map box");
            assertArrayEquals(p.pixels(), q.pixels(), "chip " + p.chipId() + " faces north");
        }

        CliRun train = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips="
                + tmp.resolve("north-chips"), "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=1");
        assertEquals(0, train.code(), train.err());
        Path ckpt = tmp.resolve("runs/olinda/version_0/checkpoints/last.ckpt");
        Path fromNorth = tmp.resolve("north-classes.tif");
        Path fromSouth = tmp.resolve("south-classes.tif");
        for (Path[] io : new Path[][] {{north, fromNorth}, {south, fromSouth}}) {
            CliRun p = CliRun.of("predict", "--checkpoint", ckpt, "--raster", io[0], "--out", io[1]);
            assertEquals(0, p.code(), p.err());
        }
        try (GeoRaster x = GeoRaster.open(fromNorth); GeoRaster y = GeoRaster.open(fromSouth)) {
            assertArrayEquals(x.geoTransform().toGdal(), y.geoTransform().toGdal(), 1e-9, "written north-up");
            assertTrue(y.geoTransform().pixelHeight() < 0);
            assertArrayEquals(x.readAll().bytes(), y.readAll().bytes(), "the same classes");
        }
    }

    private static List<ChipRow> tile(Path raster, Path labels, Path out) {
        CliRun r = CliRun.of("tile", "--raster", raster, "--labels", labels, "--label-field", "TIPO", "--chip", 16,
                "--stride", 8, "--split", "spatial", "--block", 4, "--seed", 42, "--out", out);
        assertEquals(0, r.code(), r.err());
        List<ChipRow> rows = new ArrayList<>();
        ChipStoreReader.open(out).forEach(rows::add);
        return rows;
    }

    /** Writes the raster with its rows reversed and the geotransform to match (gdal_translate cannot). */
    private static Path southUp(Path in, Path out) {
        try (GeoRaster r = GeoRaster.open(in)) {
            int w = r.width();
            int h = r.height();
            RasterWindow all = r.readAll();
            double[] gt = r.geoTransform().toGdal();
            Dataset d = gdal.GetDriverByName("GTiff").Create(out.toString(), w, h, r.bandCount(),
                    gdalconstConstants.GDT_Byte);
            d.SetGeoTransform(new double[] {gt[0], gt[1], 0, gt[3] + h * gt[5], 0, -gt[5]});
            d.SetProjection(r.requireCrs().wkt());
            for (int b = 0; b < r.bandCount(); b++) {
                byte[] rows = new byte[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        rows[(h - 1 - y) * w + x] = (byte) all.getDouble(b, x, y);
                    }
                }
                d.GetRasterBand(b + 1).WriteRaster(0, 0, w, h, rows);
            }
            d.delete();
            assertEquals(new PixelWindow(0, 0, w, h), r.extent());
        }
        return out;
    }
}
