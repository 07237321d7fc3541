package io.geolightning.app.cli;

import static io.geolightning.app.cli.AoiLayersTest.project;
import static io.geolightning.app.cli.AoiLayersTest.written;
import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer's source as QGIS shows and copies it, {@code project.gpkg|layername=study_area} or {@code |layerid=1}, is
 * read as the file and its layer by {@code --labels} and {@code --aoi}: it was "file not found". A QGIS filter
 * ({@code |subset=}) is refused rather than ignored, as is a layer named twice, differently.
 */
class QgisLayerSourceTest {

    @Test
    void qgisLayerSourcesNameTheLayer(@TempDir Path tmp) throws Exception {
        Path gpkg = project(tmp);
        Launcher.Launch flag = tile(tmp, "flag", LABELS.toString(), List.of("--aoi", gpkg.toString(), "--aoi-layer",
                "study_area"));
        assertEquals(0, flag.code(), flag.err());
        for (String source : List.of(gpkg + "|layername=study_area", gpkg + "|layerid=1")) {
            Launcher.Launch qgis = tile(tmp, "qgis" + source.length(), LABELS.toString(), List.of("--aoi", source));
            assertEquals(0, qgis.code(), qgis.err());
            assertFalse(qgis.err().contains("2 layers"), qgis.err());
            assertEquals(written(flag.out()), written(qgis.out()), flag.out() + qgis.out());
        }
        // the labels too: the tracts layer of the project, as QGIS names it
        Launcher.Launch labels = tile(tmp, "labels", gpkg + "|layername=tracts", List.of());
        assertEquals(0, labels.code(), labels.err());
        assertFalse(labels.err().contains("2 layers"), labels.err());
    }

    @Test
    void qgisSourcesTheRunCannotHonourAreRefused(@TempDir Path tmp) throws Exception {
        Path gpkg = project(tmp);
        Launcher.Launch subset = tile(tmp, "subset", LABELS.toString(), List.of("--aoi", gpkg
                + "|layername=tracts|subset=\"TIPO\" = 'URBANO'"));
        assertEquals(1, subset.code(), subset.err());
        assertTrue(subset.err().contains(gpkg + ": QGIS's filter '|subset=\"TIPO\" = 'URBANO'' is not read here;"
                + " write the filtered layer to a file first (ogr2ogr -where"), subset.err());
        Launcher.Launch twice = tile(tmp, "twice", gpkg + "|layername=tracts", List.of("--layer", "study_area"));
        assertEquals(1, twice.code(), twice.err());
        assertTrue(twice.err().contains(gpkg + ": '|layername=tracts' and --layer study_area name two layers; name"
                + " the layer once"), twice.err());
        Launcher.Launch id = tile(tmp, "id", LABELS.toString(), List.of("--aoi", gpkg + "|layerid=2"));
        assertEquals(1, id.code(), id.err());
        assertTrue(id.err().contains(gpkg + ": has no layer id 2 (ids 0 to 1: tracts, study_area); pass one of these"
                + " ids or |layername=NAME"), id.err());
        for (Launcher.Launch l : List.of(subset, twice, id)) {
            assertEquals(1, l.err().strip().lines().filter(s -> !s.startsWith("[")).count(), l.err());
        }
        assertFalse(Files.exists(tmp.resolve("subset")) || Files.exists(tmp.resolve("twice"))
                || Files.exists(tmp.resolve("id")));
    }

    private static Launcher.Launch tile(Path tmp, String name, String labels, List<String> more)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("tile", "--raster", RASTER.toString(), "--labels", labels,
                "--label-field", "TIPO", "--chip", "16", "--out", tmp.resolve(name).toString()));
        args.addAll(more);
        return Launcher.run(tmp, name + "-run", args);
    }
}
