package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.fails;
import static io.geolightning.foundation.testing.Quadrants.gdal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code info RASTER} shows what gdalinfo shows and changes how GeoLightning reads a raster - NBITS, a colour table,
 * overviews, a per-dataset mask - and agrees with gdalinfo on each fixture (derived from the Olinda scene with GDAL's
 * tools). Before, info printed none of them. A paletted image is refused by tile and predict in one line (its values
 * are colour indices: a model would learn the palette's order); as labels it is read, and a grey-ramp palette (GDAL's
 * black and white table of a 1-bit TIFF) is read as its indices.
 */
class RasterInfoTest {

    @TempDir
    Path tmp;

    @Test
    void infoShowsBitsPaletteOverviewsAndMasksAsGdalinfoDoes() throws Exception {
        String src = RASTER.toString();
        Path bits1 = tmp.resolve("bits1.tif");
        gdal("gdal_translate", "-q", "-b", "1", "-scale", "0", "255", "0", "1", "-co", "NBITS=1", src,
                bits1.toString());
        Path bits4 = tmp.resolve("bits4.tif");
        gdal("gdal_translate", "-q", "-b", "1", "-scale", "0", "255", "0", "15", "-co", "NBITS=4", src,
                bits4.toString());
        Path rgb = tmp.resolve("rgb.tif");
        gdal("gdal_translate", "-q", "-b", "3", "-b", "2", "-b", "1", src, rgb.toString());
        Path palette = tmp.resolve("palette.tif");
        gdal("rgb2pct.py", rgb.toString(), palette.toString());
        Path overviews = Files.copy(rgb, tmp.resolve("overviews.tif")); // the scene's own overviews are not copied
        gdal("gdaladdo", "-q", overviews.toString(), "2", "4");
        Path masked = tmp.resolve("masked.tif");
        gdal("gdal_translate", "-q", "-b", "1", "-b", "2", "-b", "3", "-mask", "1", "--config",
                "GDAL_TIFF_INTERNAL_MASK", "YES", src, masked.toString());

        String b1 = info(bits1);
        assertTrue(gdalinfo(bits1).contains("NBITS=1"));
        assertTrue(b1.contains("  bits:         1 (NBITS: values 0..1, read as uint8)\n"), b1);
        if (gdalinfo(bits1).contains("Color Table")) { // GDAL gives a 1-bit TIFF a black and white table
            assertTrue(b1.contains("  palette:      band 1, 2 colours: a grey ramp, read as its indices\n"), b1);
        }
        assertTrue(info(bits4).contains("  bits:         4 (NBITS: values 0..15, read as uint8)\n"));
        assertFalse(info(rgb).contains("bits:") || info(rgb).contains("palette:") || info(rgb).contains("mask:"));

        String p = info(palette);
        Matcher entries = Pattern.compile("Color Table \\(RGB with (\\d+) entries\\)").matcher(gdalinfo(palette));
        assertTrue(entries.find(), gdalinfo(palette));
        assertTrue(p.contains("  palette:      band 1, " + entries.group(1) + " colours: values are colour indices;"
                + " tile and predict refuse it as an image (gdal_translate -expand rgb), a label raster reads each"
                + " value as a class\n"), p);

        Matcher sizes = Pattern.compile("Overviews: (.*)").matcher(gdalinfo(overviews));
        assertTrue(sizes.find(), gdalinfo(overviews));
        assertEquals("175x176, 88x88", sizes.group(1).trim());
        assertTrue(info(overviews).contains("  overviews:    2 (175 x 176, 88 x 88)\n"), info(overviews));
        assertTrue(info(rgb).contains("  overviews:    none\n"));
        assertTrue(info(RASTER).contains("  overviews:    4 (175 x 176, 88 x 88, 44 x 44, 22 x 22)\n"));

        assertTrue(gdalinfo(masked).contains("Mask Flags: PER_DATASET"), gdalinfo(masked));
        assertTrue(info(masked).contains("  mask:         per-dataset (internal or .msk): tile and predict read masked"
                + " pixels as no data\n"), info(masked));
    }

    @Test
    void aPalettedImageIsRefusedByTileAndPredictButReadAsLabels() throws Exception {
        Path rgb = tmp.resolve("rgb.tif");
        gdal("gdal_translate", "-q", "-b", "3", "-b", "2", "-b", "1", RASTER.toString(), rgb.toString());
        Path palette = tmp.resolve("palette.tif");
        gdal("rgb2pct.py", rgb.toString(), palette.toString());
        String refused = ": band 1 is a colour table (palette) band, whose values are colour indices, not"
                + " measurements; expand it to its colours first: gdal_translate -expand rgb palette.tif rgb.tif"
                + " (-expand gray for a grey palette, rgba for one with transparency)";
        fails(1, CliRun.of("tile", "--raster", palette, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--out", tmp.resolve("chips")), palette + refused);
        fails(1, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", palette, "--out",
                tmp.resolve("classes.tif")), refused);
        assertFalse(Files.exists(tmp.resolve("chips")) || Files.exists(tmp.resolve("classes.tif")));

        CliRun labels = CliRun.of("tile", "--raster", RASTER, "--labels", palette, "--chip", 16, "--out",
                tmp.resolve("labelled.parquet"));
        assertEquals(0, labels.code(), labels.err());
        Path bits1 = tmp.resolve("bits1.tif");
        gdal("gdal_translate", "-q", "-b", "1", "-scale", "0", "255", "0", "1", "-co", "NBITS=1", RASTER.toString(),
                bits1.toString());
        CliRun grey = CliRun.of("tile", "--raster", bits1, "--labels", LABELS, "--label-field", "TIPO", "--chip", 16,
                "--out", tmp.resolve("bits1.parquet"));
        assertEquals(0, grey.code(), grey.err());
    }

    private static String info(Path raster) {
        CliRun r = CliRun.of("info", raster);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    private static String gdalinfo(Path raster) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("gdalinfo", raster.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }
}
