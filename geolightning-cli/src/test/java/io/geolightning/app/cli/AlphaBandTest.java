package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoRaster;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.WarpOptions;
import org.gdal.gdal.gdal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RGBA raster (GDAL's alpha band: transparency, as a warped scene or an orthophoto carries it) is three bands of
 * data and a mask: tile makes three-band chips, identical to those of the same RGB with the alpha as an internal mask,
 * and an RGB model predicts it without --bands, as it predicts that copy. Before, the alpha became a fourth band of
 * the chips and an RGB model refused the raster.
 */
class AlphaBandTest {

    @TempDir
    Path tmp;

    @Test
    void anAlphaBandIsAMaskNotABand() throws Exception {
        Gdal.ensureInitialised();
        Path rgba = tmp.resolve("rgba.tif");
        Path masked = tmp.resolve("rgb-mask.tif");
        Dataset src = gdal.Open(CliRun.data("massachusetts/22978945_15.tif").toString());
        Dataset warped = gdal.Warp(rgba.toString(), new Dataset[] {src}, new WarpOptions(new Vector<>(List.of(
                "-t_srs", "EPSG:4326", "-dstalpha"))));
        gdal.Translate(masked.toString(), warped, new TranslateOptions(new Vector<>(List.of("-b", "1", "-b", "2",
                "-b", "3", "-mask", "4")))).delete();
        warped.delete();
        src.delete();
        try (GeoRaster r = GeoRaster.open(rgba)) {
            assertEquals(4, r.bandCount());
            assertArrayEquals(new int[] {1, 2, 3}, r.dataBands());
        }
        CliRun info = CliRun.of("info", rgba);
        assertTrue(info.out().contains("4 (uint8); 1 alpha (transparency): tile and predict read the other 3"),
                info.out());

        List<ChipRow> fromAlpha = tile(rgba, "a");
        List<ChipRow> fromMask = tile(masked, "m");
        assertEquals(fromMask.size(), fromAlpha.size());
        assertTrue(fromAlpha.size() > 100, "chips: " + fromAlpha.size());
        for (int i = 0; i < fromAlpha.size(); i++) {
            assertEquals(3, fromAlpha.get(i).bands());
            assertArrayEquals(fromMask.get(i).pixels(), fromAlpha.get(i).pixels(), "chip " + i);
        }

        Path yaml = Files.writeString(tmp.resolve("run.yaml"), String.join("\n", "name: rgb",
                "runs: " + tmp.resolve("runs"), "model: {architecture: unet, options: {width: 8, depth: 2}}",
                "data: {chips: " + tmp.resolve("a") + ", batchSize: 32}", "trainer: {maxEpochs: 1}", ""));
        CliRun train = CliRun.of("train", "--config", yaml);
        assertEquals(0, train.code(), train.err());
        Path ckpt = tmp.resolve("runs/rgb/version_0/checkpoints/last.ckpt");
        for (Path in : List.of(rgba, masked)) {
            CliRun p = CliRun.of("predict", "--checkpoint", ckpt, "--raster", in, "--out", tmp.resolve(
                    in.getFileName().toString().replace(".tif", "-classes.tif")));
            assertEquals(0, p.code(), p.err());
        }
        try (GeoRaster a = GeoRaster.open(tmp.resolve("rgba-classes.tif"));
             GeoRaster m = GeoRaster.open(tmp.resolve("rgb-mask-classes.tif"))) {
            assertArrayEquals(m.readAll().bytes(), a.readAll().bytes(), "the same classes, nodata where transparent");
        }
    }

    private List<ChipRow> tile(Path raster, String store) {
        CliRun r = CliRun.of("tile", "--raster", raster, "--labels", CliRun.data(
                "massachusetts/buildings_22978945_15.gpkg"), "--mode", "segmentation", "--chip", 32, "--split", "random",
                "--out", tmp.resolve(store));
        assertEquals(0, r.code(), r.err());
        List<ChipRow> rows = new ArrayList<>();
        ChipStoreReader.open(tmp.resolve(store)).forEach(rows::add);
        return rows;
    }
}
