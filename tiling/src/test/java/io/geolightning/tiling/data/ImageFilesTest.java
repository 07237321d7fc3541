package io.geolightning.tiling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterWindow;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TestData;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.trainer.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.gdal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image folders as users bring them: multispectral and 16-bit chips (EuroSAT-MS style GeoTIFFs cut from Olinda's six
 * Landsat bands with GDAL), damaged JPEGs, hidden files, folder names in another Unicode form.
 */
class ImageFilesTest {
    private static final Path OLINDA = TestData.data("olinda/L7_ETMs.tif");

    @TempDir
    Path tmp;

    /** Cuts a 32x32 chip of Olinda at (x, y) with extra gdal_translate options. */
    private Path chip(Path target, int x, int y, String... options) throws IOException {
        Gdal.ensureInitialised();
        Files.createDirectories(target.getParent());
        List<String> args = new ArrayList<>(List.of("-srcwin", "" + x, "" + y, "32", "32"));
        args.addAll(Arrays.asList(options));
        Dataset in = gdal.Open(OLINDA.toString());
        gdal.Translate(target.toString(), in, new TranslateOptions(new Vector<>(args))).delete();
        in.delete();
        return target;
    }

    private static RasterWindow gdalRead(Path image) {
        try (GeoRaster r = GeoRaster.open(image)) {
            return r.readAll();
        }
    }

    @Test
    void multispectralAndSixteenBitChipsKeepEveryBandAndValue() throws IOException {
        Path six = chip(tmp.resolve("ms/urban/a.tif"), 0, 0);
        Path wide = chip(tmp.resolve("u16/a.tif"), 40, 40, "-ot", "UInt16", "-scale", "0", "255", "0", "10000");
        Path png = chip(tmp.resolve("u16/b.png"), 40, 40, "-of", "PNG", "-b", "1", "-b", "2", "-b", "3", "-ot",
                "UInt16", "-scale", "0", "255", "0", "10000");
        Path nir = chip(tmp.resolve("u8/rgbn.tif"), 80, 80, "-b", "3", "-b", "2", "-b", "1", "-b", "4");

        ChipSample s = ImageFiles.decode(six, 0, 1);
        assertEquals(6, s.bands());
        assertEquals(ChipDataType.UINT8, s.dtype());
        assertArrayEquals(gdalRead(six).asBytes(), s.pixels(), "the six bands as GDAL reads them");
        ChipSample u = ImageFiles.decode(wide, 0, 0);
        assertEquals(6, u.bands());
        assertEquals(ChipDataType.UINT16, u.dtype());
        assertArrayEquals(gdalRead(wide).asBytes(), u.pixels(), "16-bit values kept, not divided by 257");
        assertTrue(max(u) > 255, "reflectances above 255: " + max(u));
        ChipSample p = ImageFiles.decode(png, 0, 0);
        assertEquals(3, p.bands());
        assertEquals(ChipDataType.UINT16, p.dtype(), "a 16-bit PNG keeps its 16 bits");
        assertArrayEquals(gdalRead(png).asBytes(), p.pixels());
        assertEquals(4, ImageFiles.decode(nir, 0, 0).bands(), "RGB + near infrared keeps its fourth band");

        // resized by half: each pixel is the mean of a 2x2 block (bilinear, pixel centres aligned), rounded
        ChipSample half = ImageFiles.decode(wide, 16, 0);
        assertEquals(16, half.width());
        assertEquals(ChipDataType.UINT16, half.dtype());
        for (int b = 0; b < 6; b += 5) {
            for (int y = 0; y < 16; y += 5) {
                for (int x = 0; x < 16; x += 3) {
                    double mean = 0;
                    for (int k = 0; k < 4; k++) {
                        mean += u.dtype().get(u.pixels(), b * 1024 + (2 * y + k / 2) * 32 + 2 * x + k % 2) / 4;
                    }
                    assertEquals(Math.round(mean), half.dtype().get(half.pixels(), b * 256 + y * 16 + x), 0.51);
                }
            }
        }
    }

    /** The decoder that remembers each file's reader gives decode's values, on the first read and the later ones. */
    @Test
    void theRememberingDecoderGivesTheSameValues() throws IOException {
        List<Path> images = List.of(chip(tmp.resolve("d/six.tif"), 0, 0),
                chip(tmp.resolve("d/u16.png"), 40, 40, "-of", "PNG", "-b", "1", "-b", "2", "-b", "3", "-ot", "UInt16",
                        "-scale", "0", "255", "0", "10000"),
                chip(tmp.resolve("d/rgb.png"), 80, 80, "-of", "PNG", "-b", "3", "-b", "2", "-b", "1"),
                chip(tmp.resolve("d/rgb.tif"), 20, 60, "-b", "3", "-b", "2", "-b", "1"),
                chip(tmp.resolve("d/grey.tif"), 60, 20, "-b", "4"),
                TestData.data("aid150/Beach/beach_1.jpg"));
        ImageFiles.Decoder decoder = new ImageFiles.Decoder();
        for (int read = 0; read < 3; read++) {
            for (Path image : images) {
                for (int resize : new int[] {0, 24}) {
                    ChipSample want = ImageFiles.decode(image, resize, 3);
                    ChipSample got = decoder.decode(image, resize, 3);
                    String what = image.getFileName() + " read " + read + " resize " + resize;
                    assertEquals(want.bands(), got.bands(), what);
                    assertEquals(want.dtype(), got.dtype(), what);
                    assertEquals(want.width(), got.width(), what);
                    assertArrayEquals(want.pixels(), got.pixels(), what);
                }
            }
        }
    }

    private static double max(ChipSample s) {
        double m = 0;
        for (int i = 0; i < s.bands() * s.width() * s.height(); i++) {
            m = Math.max(m, s.dtype().get(s.pixels(), i));
        }
        return m;
    }

    @Test
    void aFolderOfSixBandChipsTrainsOnSixBandsAndRefusesAThreeBandOne() throws IOException {
        Path root = tmp.resolve("ms");
        for (int i = 0; i < 4; i++) {
            chip(root.resolve("urban/u" + i + ".tif"), 32 * i, 0);
            chip(root.resolve("rural/r" + i + ".tif"), 32 * i, 200);
        }
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(root)
                .withSplit(new SplitRatios(1, 0, 0), 1));
        dm.setup(Stage.FIT);
        assertEquals(6, dm.bandCount());
        assertEquals(6, dm.bandStatistics().bands());
        double band6 = 0;
        for (ImageFolderDataModule.Entry e : dm.entries(io.geolightning.tiling.splits.Split.TRAIN)) {
            ChipSample s = dm.decode(e);
            for (int i = 5 * 1024; i < 6 * 1024; i++) {
                band6 += s.dtype().get(s.pixels(), i) / (8 * 1024.0);
            }
        }
        assertEquals(band6, dm.bandStatistics().mean()[5], 1e-9, "band 6's statistics come from band 6");

        Path rgb = chip(root.resolve("rural/rgb.tif"), 0, 100, "-b", "3", "-b", "2", "-b", "1");
        ImageFolderDataModule mixed = new ImageFolderDataModule(ImageFolderDataModule.Config.of(root)
                .withSplit(new SplitRatios(1, 0, 0), 1));
        TilingException e = assertThrows(TilingException.class, () -> mixed.setup(Stage.FIT));
        assertEquals(rgb + ": 3 bands of uint8, but the images of " + root + " have 6 bands of uint8; give every"
                + " image the same bands (or remove this one)", e.getMessage());
    }

    @Test
    void aTruncatedJpegIsRefusedNotFilledWithGrey() throws IOException {
        Path whole = TestData.data("aid150/Beach/beach_1.jpg");
        Path cut = Files.createDirectories(tmp.resolve("cut")).resolve("beach_1.jpg");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(whole), 3000));
        assertEquals(3, ImageFiles.decode(whole, 0, 0).bands());
        TilingException e = assertThrows(TilingException.class, () -> ImageFiles.decode(cut, 0, 0));
        assertTrue(e.getMessage().startsWith(cut + ": damaged image (") && e.getMessage().endsWith("); remove or"
                + " replace the file") && !e.getMessage().contains("\n"), e.getMessage());

        // in a folder, found when training sets up (before a run writes anything), though not among the images
        // decoded for the band statistics
        Path beach = Files.createDirectories(tmp.resolve("set/Beach"));
        try (var files = Files.list(TestData.data("aid150/Beach"))) {
            for (Path p : files.sorted().limit(5).toList()) {
                Files.copy(p, beach.resolve(p.getFileName()));
            }
        }
        Files.copy(cut, beach.resolve("beach_9.jpg")); // sorts last
        ImageFolderDataModule dm = new ImageFolderDataModule(new ImageFolderDataModule.Config(tmp.resolve("set"),
                new SplitRatios(1, 0, 0), 1, 0, 1, null));
        e = assertThrows(TilingException.class, () -> dm.setup(Stage.FIT));
        assertTrue(e.getMessage().startsWith(beach.resolve("beach_9.jpg") + ": damaged image ("), e.getMessage());
    }

    @Test
    void hiddenFilesAndFoldersAreNotImages() throws IOException {
        Path beach = Files.createDirectories(tmp.resolve("set/Beach"));
        Path forest = Files.createDirectories(tmp.resolve("set/Forest"));
        Files.copy(TestData.data("aid150/Beach/beach_1.jpg"), beach.resolve("beach_1.jpg"));
        Files.copy(TestData.data("aid150/Forest/forest_1.jpg"), forest.resolve("forest_1.jpg"));
        Files.writeString(beach.resolve("._beach_1.jpg"), "a macOS resource fork, not a JPEG");
        Files.createDirectories(forest.resolve(".ipynb_checkpoints"));
        Files.copy(TestData.data("aid150/Beach/beach_2.jpg"), forest.resolve(".ipynb_checkpoints/beach_2.jpg"));
        assertEquals(List.of(beach.resolve("beach_1.jpg"), forest.resolve("forest_1.jpg")),
                ImageFiles.under(tmp.resolve("set")));
        assertFalse(ImageFiles.isImage(beach.resolve("._beach_1.jpg")));
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(tmp.resolve("set"))
                .withSplit(new SplitRatios(1, 0, 0), 1));
        dm.setup(Stage.FIT);
        assertEquals(2, dm.sampleCount(io.geolightning.tiling.splits.Split.TRAIN));
    }

    @Test
    void classFoldersNamedInDecomposedUnicodeAreTheModelsClasses() throws IOException {
        String nfc = Normalizer.normalize("Água", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("Água", Normalizer.Form.NFD);
        assertFalse(nfc.equals(nfd));
        Path dir = Files.createDirectories(tmp.resolve("nfd").resolve(nfd));
        Files.copy(TestData.data("aid150/Pond/pond_1.jpg"), dir.resolve("pond_1.jpg"));
        ImageFolderDataModule dm = new ImageFolderDataModule(ImageFolderDataModule.Config.of(tmp.resolve("nfd"))
                .forModel(List.of("Mata", nfc), null));
        dm.prepareData();
        assertEquals(List.of("Mata", nfc), dm.classNames());
        assertEquals(1, dm.entries(io.geolightning.tiling.splits.Split.TEST).get(0).label());
    }
}
