package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.assertNoTemporaries;
import static io.geolightning.app.cli.BadInputs.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import java.util.Vector;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.TranslateOptions;
import org.gdal.gdal.gdal;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.FieldDefn;
import org.gdal.ogr.Geometry;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input suite, part 3: broken rasters, vectors and option values. Each case: the exit code (1 failure,
 * 2 usage), one {@code error:} line naming the file or flag and the fix, no stack trace, and nothing left at
 * {@code --out}. Fixtures are derived from the shipped Olinda scene with GDAL inside the test.
 */
class BadInputMessagesTest {

    /** Java names that must never reach a user. */
    private static final List<String> JAVA_NAMES = List.of("batchSize", "windowSize", "probabilitiesPath",
            "EdgeMode", "maxNodataFraction", "chipSize =", "Exception");

    @TempDir
    Path tmp;

    private CliRun tile(Path raster, Path labels, Object... more) {
        Object[] base = {"tile", "--raster", raster, "--labels", labels, "--label-field", "TIPO", "--chip", 16, "--out",
            tmp.resolve("out")};
        Object[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    private CliRun predict(Path raster, Object... more) {
        Object[] base = {"predict", "--checkpoint", BadInputs.checkpoint(), "--raster", raster, "--out",
            tmp.resolve("out.tif")};
        Object[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    private void nothingLeft() {
        assertFalse(Files.exists(tmp.resolve("out")), "a failed tile left --out behind");
        assertFalse(Files.exists(tmp.resolve("out.tif")), "a failed predict left --out behind");
        assertNoTemporaries(tmp);
    }

    private static Path translate(Path src, Path dst, String... options) {
        Gdal.ensureInitialised();
        Dataset in = gdal.Open(src.toString());
        Dataset out = gdal.Translate(dst.toString(), in, new TranslateOptions(new Vector<>(List.of(options))));
        out.delete();
        in.delete();
        return dst;
    }

    @Test
    void brokenRasters() throws Exception {
        byte[] bytes = Files.readAllBytes(RASTER);
        Path truncated = Files.write(tmp.resolve("truncated.tif"), Arrays.copyOf(bytes, bytes.length / 3));
        fails(1, tile(truncated, LABELS), "truncated.tif", "truncated or corrupt");
        fails(1, predict(truncated), "truncated.tif", "truncated or corrupt");
        Path empty = Files.write(tmp.resolve("empty.tif"), new byte[0]);
        fails(1, predict(empty), "empty.tif", "not a raster GDAL can read (the file is empty (0 bytes))");
        fails(1, CliRun.of("info", empty), "empty.tif", "the file is empty (0 bytes)");
        Path renamed = Files.writeString(tmp.resolve("notes.tif"), "meeting notes");
        fails(1, tile(renamed, LABELS), "notes.tif", "not a raster GDAL can read");
        fails(1, predict(tmp.resolve("missing.tif")), "missing.tif", "not found");
        Path folder = Files.createDirectories(tmp.resolve("results"));
        for (boolean overwrite : new boolean[] {false, true}) {
            CliRun r = CliRun.of(overwrite ? new Object[] {"predict", "--checkpoint", BadInputs.checkpoint(),
                "--raster", RASTER, "--out", folder, "--overwrite"} : new Object[] {"predict", "--checkpoint",
                BadInputs.checkpoint(), "--raster", RASTER, "--out", folder});
            fails(1, r, "results: is a folder; pass a file path such as " + folder.resolve("classes.tif"));
        }
        Files.delete(folder);
        Path noCrs = translate(RASTER, tmp.resolve("no-crs.tif"), "-of", "GTiff");
        Dataset d = gdal.Open(noCrs.toString(), org.gdal.gdalconst.gdalconstConstants.GA_Update);
        d.SetProjection("");
        d.delete();
        fails(1, predict(noCrs), "no-crs.tif", "CRS");
        fails(1, tile(noCrs, LABELS), "no-crs.tif", "CRS");
        Path allNodata = translate(RASTER, tmp.resolve("all-nodata.tif"), "-scale", "0", "255", "0", "0", "-a_nodata",
                "0");
        fails(1, tile(allNodata, LABELS), "all-nodata.tif", "nodata", "--max-nodata");
        Path nan = translate(RASTER, tmp.resolve("nan.tif"), "-ot", "Float32", "-scale", "0", "255", "0", "0",
                "-a_nodata", "0");
        fails(1, tile(nan, LABELS), "nan.tif", "nodata");
        fails(1, predict(CliRun.data("rgb-byte/RGB.byte.tif")), "RGB.byte.tif", "3", "6");
        fails(1, predict(RASTER, "--bands", "1,2,3,4,5,9"), "band 9", "1..6");
        Path small = translate(RASTER, tmp.resolve("small.tif"), "-srcwin", "100", "100", "10", "10");
        fails(1, predict(small), "small.tif", "10 x 10 pixels is smaller than", "--allow-padding");
        assertEquals(0, predict(small, "--allow-padding").code());
        Files.delete(tmp.resolve("out.tif"));
        // a region on a grid too coarse (--resolution in degrees): named by its file name, not GDAL's /vsimem/ path
        assertFalse(fails(1, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", RASTER, "--crs",
                "EPSG:4326", "--resolution", 30, "--out", tmp.resolve("coarse.tif")), "error: L7_ETMs-region.vrt: 1 x 1"
                + " pixels is smaller than", "(its pixels are 30.00 degrees wide: in a geographic CRS, --resolution is"
                + " in degrees)").contains("/vsimem/"));
        nothingLeft();
    }

    /** Olinda's pixels and (when {@code crs}) its CRS, without a geotransform: a scan never georeferenced. */
    private Path withoutGeoTransform(String name, boolean crs) {
        Gdal.ensureInitialised();
        Dataset in = gdal.Open(RASTER.toString());
        int w = in.getRasterXSize();
        int h = in.getRasterYSize();
        Path file = tmp.resolve(name);
        Dataset out = gdal.GetDriverByName("GTiff").Create(file.toString(), w, h, in.getRasterCount());
        byte[] band = new byte[w * h];
        for (int b = 1; b <= in.getRasterCount(); b++) {
            in.GetRasterBand(b).ReadRaster(0, 0, w, h, band);
            out.GetRasterBand(b).WriteRaster(0, 0, w, h, band);
        }
        if (crs) {
            out.SetProjection(in.GetProjection());
        }
        out.delete();
        in.delete();
        return file;
    }

    /**
     * A raster with a CRS but no geotransform was tiled with its pixel grid taken for map coordinates (the labels then
     * "did not overlap" an extent of [0, 0, 349, 352]; a label raster's pixels were placed there too), and one with
     * neither was told to assign a CRS only: both now name the missing geotransform and the gdal_edit.py line.
     */
    @Test
    void rastersWithoutAGeoTransform() throws Exception {
        Path noGt = withoutGeoTransform("no-gt.tif", true);
        fails(1, tile(noGt, LABELS), "error: no-gt.tif: raster has no geotransform (pixel-to-map coordinates), so"
                + " olinda1.shp cannot be placed on it; georeference it with gdal_edit.py -a_srs EPSG:<code> -a_ullr"
                + " <ulx> <uly> <lrx> <lry> no-gt.tif");
        fails(1, CliRun.of("tile", "--raster", RASTER, "--labels", noGt, "--chip", 16, "--out", tmp.resolve("out")),
                "error: no-gt.tif: the label raster has no geotransform (pixel-to-map coordinates), so it cannot be"
                + " placed on the scene; georeference it with gdal_edit.py");
        fails(1, predict(noGt), "no-gt.tif: has no geotransform");
        Path bare = withoutGeoTransform("bare.tif", false);
        String fix = "it has no geotransform either: georeference it with gdal_edit.py -a_srs EPSG:<code> -a_ullr <ulx>"
                + " <uly> <lrx> <lry> bare.tif";
        fails(1, tile(bare, LABELS), "bare.tif: raster has no CRS", fix);
        fails(1, predict(bare), "bare.tif: has no CRS", fix);
        CliRun info = CliRun.of("info", bare);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("crs:          none (" + fix + ")"), info.out());
        nothingLeft();
    }

    /**
     * A netCDF file holds its variables as GDAL subdatasets: info and predict called it "neither a raster nor a vector
     * file" / "not a raster GDAL can read (it has no raster bands)", and a subdataset name was "file not found" (tile:
     * at the working folder put in front of it). Both now say what they are and how to make one file of them, and
     * the gdalbuildvrt line given works.
     */
    @Test
    void netCdfContainersAndSubdatasetNames() throws Exception {
        Gdal.ensureInitialised();
        org.junit.jupiter.api.Assumptions.assumeTrue(gdal.GetDriverByName("netCDF") != null, "no netCDF driver");
        Path nc = translate(RASTER, tmp.resolve("scene.nc"), "-of", "netCDF");
        String container = "scene.nc: holds 6 subdataset(s) (NETCDF:\"" + nc + "\":Band1, NETCDF:\"" + nc
                + "\":Band2, NETCDF:\"" + nc + "\":Band3, ...) and no bands of its own; stack the ones to read into"
                + " one file (gdalbuildvrt -separate stack.vrt 'NETCDF:\"" + nc + "\":Band1' ..., or gdal_translate"
                + " one into a GeoTIFF) and pass that";
        fails(1, CliRun.of("info", nc), container);
        fails(1, predict(nc), container);
        String band1 = "NETCDF:\"" + nc + "\":Band1";
        String name = "error: " + band1 + ": a GDAL subdataset name, which GeoLightning does not open; write it to a"
                + " file first (gdalbuildvrt sub.vrt '" + band1 + "', or gdal_translate into a GeoTIFF) and pass that";
        assertEquals(name, fails(1, CliRun.of("info", band1)));
        assertEquals(name, fails(1, CliRun.of("tile", "--raster", band1, "--labels", LABELS, "--label-field", "TIPO",
                "--chip", 16, "--out", tmp.resolve("out"))));
        assertEquals(name, fails(1, CliRun.of("predict", "--checkpoint", BadInputs.checkpoint(), "--raster", band1,
                "--out", tmp.resolve("out.tif"))));
        Path vrt = tmp.resolve("sub.vrt");
        gdal.BuildVRT(vrt.toString(), new Vector<>(List.of(band1)),
                new org.gdal.gdal.BuildVRTOptions(new Vector<>())).delete();
        CliRun info = CliRun.of("info", vrt);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("bands:        1 (uint8)"), info.out());
        nothingLeft();
    }

    @Test
    void brokenVectors() throws Exception {
        Path noDbf = copyShapefile("no-dbf", "shp", "shx", "prj");
        fails(1, tile(RASTER, noDbf), ".dbf", "missing", "olinda1.shp");
        Path noShx = copyShapefile("no-shx", "shp", "dbf", "prj");
        fails(1, tile(RASTER, noShx), ".shx");
        Path zipped = tmp.resolve("labels.zip"); // a zipped shapefile passed as it is: name the /vsizip/ path
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zipped))) {
            for (String ext : List.of("dbf", "prj", "shp", "shx")) {
                z.putNextEntry(new ZipEntry("olinda1." + ext));
                z.write(Files.readAllBytes(LABELS.resolveSibling("olinda1." + ext)));
                z.closeEntry();
            }
        }
        String hint = "pass /vsizip/" + zipped.toAbsolutePath() + "/olinda1.shp (it holds olinda1.dbf, olinda1.prj,";
        fails(1, tile(RASTER, zipped), "labels.zip: is a ZIP archive", hint);
        fails(1, CliRun.of("info", zipped), "labels.zip: is a ZIP archive", hint);
        fails(1, tile(zipped, LABELS), "labels.zip: is a ZIP archive", hint);
        Path emptyFile = Files.write(tmp.resolve("zero.geojson"), new byte[0]);
        fails(1, tile(RASTER, emptyFile), "zero.geojson", "not a vector file GDAL can read (the file is empty");
        Path emptyLayer = layer("empty.gpkg", 0, null);
        fails(1, tile(RASTER, emptyLayer), "empty.gpkg");
        Path points = layer("points.gpkg", ogrConstants.wkbPoint, "POINT (-34.85 -7.99)");
        fails(1, tile(RASTER, points), "points.gpkg", "polygons");
        Path elsewhere = layer("elsewhere.gpkg", ogrConstants.wkbPolygon,
                "POLYGON ((10 50, 11 50, 11 51, 10 51, 10 50))");
        fails(1, tile(RASTER, elsewhere), "elsewhere.gpkg");
        Path bowtie = layer("bowtie.gpkg", ogrConstants.wkbPolygon,
                "POLYGON ((-34.9 -8.05, -34.8 -7.95, -34.8 -8.05, -34.9 -7.95, -34.9 -8.05))");
        CliRun r = tile(RASTER, bowtie); // GDAL rasterises a self-intersecting ring by its outline: either is fine
        if (r.code() != 0) {
            fails(1, r, "bowtie.gpkg");
        } else {
            try (java.util.stream.Stream<Path> s = Files.walk(tmp.resolve("out"))) { // the next case tiles there
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        fails(1, tile(RASTER, tmp.resolve("nowhere.shp")), "nowhere.shp");
        Path unlabelled = layer("unlabelled.gpkg", ogrConstants.wkbPolygon,
                "POLYGON ((-34.9 -8.05, -34.8 -8.05, -34.8 -7.95, -34.9 -7.95, -34.9 -8.05))", null);
        fails(1, tile(RASTER, unlabelled), "unlabelled.gpkg", "no value in field 'TIPO'", "--ignore-value 255",
                "data.ignoreValue");
        fails(1, tile(RASTER, unlabelled, "--mode", "segmentation", "--ignore-value", 0), "unlabelled.gpkg",
                "ignore value 0 is the id of class 'background'", "--ignore-value 255");
        nothingLeft();
    }

    @Test
    void optionValuesAreUsageErrorsNamingTheFlag() {
        Path ckpt = BadInputs.checkpoint();
        Path chips = BadInputs.chips();
        List<Object[]> cases = List.of(
                new Object[] {"--batch-size 0", "predict", "--checkpoint", ckpt, "--raster", RASTER, "--out",
                    tmp.resolve("o.tif"), "--batch-size", 0},
                new Object[] {"--window -5", "predict", "--checkpoint", ckpt, "--raster", RASTER, "--out",
                    tmp.resolve("o.tif"), "--window=-5"},
                new Object[] {"--window 20", "predict", "--checkpoint", ckpt, "--raster", RASTER, "--out",
                    tmp.resolve("o.tif"), "--window", 20},
                new Object[] {"--overlap 16", "predict", "--checkpoint", ckpt, "--raster", RASTER, "--out",
                    tmp.resolve("o.tif"), "--window", 16, "--overlap", 16},
                new Object[] {"--probability-type int4", "predict", "--checkpoint", ckpt, "--raster", RASTER, "--out",
                    tmp.resolve("o.tif"), "--probabilities", tmp.resolve("p.tif"), "--probability-type", "int4"},
                new Object[] {"is written as a Cloud-Optimized GeoTIFF, not as .png", "predict", "--checkpoint", ckpt,
                    "--raster", RASTER, "--out", tmp.resolve("o.png")},
                new Object[] {"--split training", "evaluate", "--checkpoint", ckpt, "--chips", chips, "--split",
                    "training"},
                new Object[] {"--batch-size 0", "evaluate", "--checkpoint", ckpt, "--chips", chips, "--batch-size", 0},
                new Object[] {"--chip 0", "tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO",
                    "--chip", 0, "--out", tmp.resolve("c")},
                new Object[] {"--split training", "tile", "--raster", RASTER, "--labels", LABELS, "--label-field",
                    "TIPO", "--split", "training", "--out", tmp.resolve("c")},
                new Object[] {"--ignore-value 300: masks are one byte per pixel", "tile", "--raster", RASTER,
                    "--labels", LABELS, "--label-field", "TIPO", "--ignore-value", 300, "--out", tmp.resolve("c")},
                new Object[] {"--max-nodata 2", "tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO",
                    "--max-nodata", 2, "--out", tmp.resolve("c")},
                new Object[] {"--edge wrap", "tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO",
                    "--edge", "wrap", "--out", tmp.resolve("c")},
                new Object[] {"(PATH): empty path; pass a file name", "info", ""},
                new Object[] {"--aoi': a\uD83C\uDF33.gpkg: GDAL's Java bindings cannot pass the character", "tile",
                    "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--aoi", "a\uD83C\uDF33.gpkg",
                    "--out", tmp.resolve("c")},
                new Object[] {"--label-field is not set", "tile", "--raster", RASTER, "--labels", LABELS, "--out",
                    tmp.resolve("c")},
                new Object[] {"--val 0.7 --test 0.5", "tile", "--raster", RASTER, "--labels", LABELS, "--label-field",
                    "TIPO", "--val", 0.7, "--test", 0.5, "--out", tmp.resolve("c")},
                new Object[] {"--set foo.bar=1", "train", "--config", CliRun.sample("run.yaml"), "--set", "foo.bar=1"},
                new Object[] {"--set data.batchSize=0", "train", "--config", CliRun.sample("run.yaml"), "--set",
                    "data.chips=" + chips, "--set", "data.batchSize=0", "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"--set model.architecture=vgg", "train", "--config", CliRun.sample("run.yaml"), "--set",
                    "data.chips=" + chips, "--set", "model.architecture=vgg", "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"--set callbacks.checkpoint.monitor=val_accuracy: the task logs no such metric; use"
                    + " val_loss, val_acc", "train", "--config", CliRun.sample("run.yaml"), "--set",
                    "data.chips=" + chips,
                    "--set", "callbacks.checkpoint.monitor=val_accuracy", "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"--set callbacks.earlyStopping.monitor=val_iou_urban: the task logs no such metric",
                    "train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                    "callbacks.earlyStopping.monitor=val_iou_urban", "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"--set optimizer.momentum=2: optimizer: momentum 2.0 is outside [0, 1)", "train",
                    "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                    "optimizer.name=sgd", "--set", "optimizer.momentum=2", "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"--set model.ignoreIndex=0: that is a real class id (0..1)", "train", "--config",
                    CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set", "model.ignoreIndex=0",
                    "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"--set callbacks.imageBands=[1, 2, 9]: band 9 is not one of the data's bands 1..6",
                    "train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                    "callbacks.imageBands=[1, 2, 9]", "--set", "runs=" + tmp.resolve("runs")},
                new Object[] {"callbacks.checkpoint.filename {val_los}: the task logs no such metric", "train",
                    "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips, "--set",
                    "callbacks.checkpoint.filename=e{epoch}-{val_los:.3f}", "--set", "runs=" + tmp.resolve("runs")});
        for (Object[] c : cases) {
            String line = fails(2, CliRun.of(Arrays.copyOfRange(c, 1, c.length)), (String) c[0]);
            for (String javaName : line.startsWith("error: --set ") ? List.<String>of() : JAVA_NAMES) {
                assertFalse(line.contains(javaName), "'" + javaName + "' in: " + line);
            }
        }
        assertFalse(Files.exists(tmp.resolve("runs")), "a refused configuration created a run folder");
        assertFalse(Files.exists(tmp.resolve("c")));
        assertFalse(Files.exists(tmp.resolve("o.tif")));
    }

    @Test
    void badRunConfigurations() throws Exception {
        String chips = "data:\n  chips: " + BadInputs.chips() + "\nruns: " + tmp.resolve("runs") + "\n";
        List<String[]> cases = List.of(
                new String[] {"syntax.yaml", chips + "trainer:\n  maxEpochs: [1\n", "not valid YAML"},
                new String[] {"bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                    + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
                    + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n", "bomb.yaml"},
                new String[] {"tag.yaml", chips + "model: !!javax.script.ScriptEngineManager [x]\n", "tag.yaml"},
                new String[] {"unknown.yaml", chips + "trainer:\n  maxEpocs: 3\n", "unknown key 'trainer.maxEpocs'"},
                new String[] {"type.yaml", chips + "trainer:\n  maxEpochs: many\n", "whole number"},
                new String[] {"list.yaml", "- a\n- b\n", "not a mapping"},
                new String[] {"fractions.yaml", "data:\n  raster: " + RASTER + "\n  labels: " + LABELS
                    + "\n  labelField: TIPO\n  chipSize: 16\n  val: 0.7\n  test: 0.5\nruns: " + tmp.resolve("runs")
                    + "\n", "fractions"});
        for (String[] c : cases) {
            Path cfg = Files.writeString(tmp.resolve(c[0]), c[1]);
            fails(2, CliRun.of("train", "--config", cfg), c[2]);
        }
        fails(2, CliRun.of("train", "--config", tmp.resolve("absent.yaml")), "absent.yaml", "not found");
        // resuming with another model section: named in keys, before any weight is read (run.yaml: width 16,
        // stages 2); an option left at its default is the same network and would resume
        Object[] resume = {"train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + BadInputs.chips(),
            "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.ckptPath=" + BadInputs.checkpoint()};
        fails(2, CliRun.of(concat(resume, "--set", "model.options.width=32")), "trainer.ckptPath",
                "the checkpoint holds another network than this run builds (model.options.width 16 -> 32)");
        fails(2, CliRun.of(concat(resume, "--set", "model.options={width: 16}")),
                "(model.options.stages 2 -> unset (its default))", "remove trainer.ckptPath to start afresh");
        fails(1, CliRun.of(concat(resume, "--set", "trainer.ckptPath=null", "--set", "model.architecture=resnet18",
                "--set", "model.options={}")), "chips of 16 px are too small for resnet18; tile chips of at least 32 px"
                + " (--chip, data.chipSize)");
        Path renamed = tmp.resolve("renamed");
        assertEquals(0, CliRun.of("tile", "--raster", RASTER, "--labels", LABELS, "--label-field", "TIPO", "--classes",
                "RURAL=rural,URBANO=urban", "--chip", 16, "--out", renamed).code());
        fails(2, CliRun.of(concat(resume, "--set", "data.chips=" + renamed)),
                "(classes [RURAL, URBANO] -> [rural, urban] (the data's))");
        Path oneClass = tmp.resolve("one-class");
        CliRun tiled = tile(RASTER, LABELS, "--classes", "URBANO", "--unknown", "ignore");
        assertEquals(0, tiled.code(), tiled.err());
        assertTrue(tiled.err().contains("warning: " + tmp.resolve("out") + " holds one class [URBANO]"), tiled.err());
        Files.move(tmp.resolve("out"), oneClass);
        Path cfg = Files.writeString(tmp.resolve("one.yaml"), "data:\n  chips: " + oneClass + "\nruns: "
                + tmp.resolve("runs") + "\n");
        fails(1, CliRun.of("train", "--config", cfg), "one-class: the chip store has 1 class [URBANO]",
                "--background");
        assertFalse(Files.exists(tmp.resolve("runs")), "a refused configuration created a run folder");
    }

    @Test
    void chipStoresWithOtherIgnoreValuesOrNodataAreNotReadTogether() throws Exception {
        // pooled, the first store's ignore value and nodata were applied to every store's chips: a segmentation
        // store tiled with --ignore-value 250 beside one with the default 255 stopped training at its first
        // ignored pixel ("label 250 is outside 0..1"), naming no store; other nodata went unmasked
        Path plain = tmp.resolve("plain");
        Path ignore = tmp.resolve("ignore-200");
        Path nodata = tmp.resolve("nodata-0");
        Path raster = translate(RASTER, tmp.resolve("nodata-0.tif"), "-a_nodata", "0");
        for (Object[] t : List.of(new Object[] {RASTER, plain}, new Object[] {RASTER, ignore, "--ignore-value", 200},
                new Object[] {raster, nodata})) {
            Object[] args = {"tile", "--raster", t[0], "--labels", LABELS, "--label-field", "TIPO", "--mode",
                "segmentation", "--chip", 16, "--out", t[1]};
            CliRun r = CliRun.of(concat(args, Arrays.copyOfRange(t, 2, t.length)));
            assertEquals(0, r.code(), r.err());
        }
        for (Path other : List.of(ignore, nodata)) {
            Path cfg = Files.writeString(tmp.resolve("two.yaml"), "model:\n  architecture: unet\ndata:\n  chips: ["
                    + plain + ", " + other + "]\nruns: " + tmp.resolve("runs") + "\n");
            Map<String, String> before = BadInputs.snapshot(plain, other);
            fails(1, CliRun.of("train", "--config", cfg), other + ": " + (other == ignore ? "ignore value 200, but 255"
                    : "nodata [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], but [none, none, none, none, none, none]") + " in "
                    + plain, "tile them with the same settings");
            assertEquals(before, BadInputs.snapshot(plain, other), "the stores are unchanged");
            assertFalse(Files.exists(tmp.resolve("runs")), "a refused configuration created a run folder");
        }
    }

    private Path copyShapefile(String folder, String... exts) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(folder));
        for (String ext : exts) {
            Files.copy(LABELS.resolveSibling("olinda1." + ext), dir.resolve("olinda1." + ext));
        }
        return dir.resolve("olinda1.shp");
    }

    /** A GeoPackage layer in WGS 84 with a TIPO field and one feature (none when {@code wkt} is null). */
    private Path layer(String name, int type, String wkt) {
        return layer(name, type, wkt, "URBANO");
    }

    /** The same, the feature's TIPO being {@code tipo} (unset when null). */
    private Path layer(String name, int type, String wkt, String tipo) {
        Gdal.ensureInitialised();
        Path path = tmp.resolve(name);
        DataSource ds = ogr.GetDriverByName("GPKG").CreateDataSource(path.toString());
        SpatialReference wgs84 = new SpatialReference();
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(org.gdal.osr.osrConstants.OAMS_TRADITIONAL_GIS_ORDER);
        Layer l = ds.CreateLayer("labels", wgs84, type == 0 ? ogrConstants.wkbPolygon : type);
        l.CreateField(new FieldDefn("TIPO", ogrConstants.OFTString));
        if (wkt != null) {
            Feature f = new Feature(l.GetLayerDefn());
            if (tipo != null) {
                f.SetField("TIPO", tipo);
            }
            f.SetGeometry(Geometry.CreateFromWkt(wkt));
            l.CreateFeature(f);
            f.delete();
        }
        ds.delete();
        return path;
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
