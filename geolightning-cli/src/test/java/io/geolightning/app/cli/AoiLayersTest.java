package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.geo.Gdal;
import java.nio.file.Path;
import java.util.List;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.Geometry;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code --aoi} GeoPackage of several layers (a GIS project: the tracts first, the study area second) is read as
 * its first layer, as tile's labels are, and the run says so on stderr, naming the layers; it tiled the tracts'
 * area without a word, which is not the area the user drew. {@code --aoi-layer} picks the layer.
 */
class AoiLayersTest {

    @Test
    void anAoiOfSeveralLayersSaysWhichItUses(@TempDir Path tmp) throws Exception {
        Path gpkg = project(tmp);
        Launcher.Launch r = Launcher.run(tmp, "aoi", List.of("tile", "--raster", RASTER.toString(), "--labels",
                LABELS.toString(), "--label-field", "TIPO", "--chip", "16", "--aoi", gpkg.toString(), "--out",
                tmp.resolve("chips").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("[WARN] RegionOptions - project.gpkg: 2 layers [tracts, study_area]; the area of"
                + " interest is the first, 'tracts' (pick another with --aoi-layer)"), r.err());

        // --aoi-layer picks the study area: no warning, and only the chips that meet it
        Launcher.Launch picked = Launcher.run(tmp, "aoi-layer", List.of("tile", "--raster", RASTER.toString(),
                "--labels", LABELS.toString(), "--label-field", "TIPO", "--chip", "16", "--aoi", gpkg.toString(),
                "--aoi-layer", "study_area", "--out", tmp.resolve("study-chips").toString()));
        assertEquals(0, picked.code(), picked.err());
        assertTrue(!picked.err().contains("2 layers"), picked.err());
        assertTrue(written(picked.out()) > 0 && written(picked.out()) < written(r.out()), r.out() + picked.out());
        Launcher.Launch missing = Launcher.run(tmp, "aoi-missing", List.of("tile", "--raster", RASTER.toString(),
                "--labels", LABELS.toString(), "--label-field", "TIPO", "--chip", "16", "--aoi", gpkg.toString(),
                "--aoi-layer", "studyarea", "--out", tmp.resolve("no-chips").toString()));
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains("project.gpkg: has no layer 'studyarea' (layers: tracts, study_area)"),
                missing.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("no-chips")));
    }

    /** @return {@code project.gpkg} in {@code tmp}: Olinda's tracts ("tracts"), then one small "study_area" */
    static Path project(Path tmp) {
        Path gpkg = tmp.resolve("project.gpkg");
        Gdal.ensureInitialised();
        DataSource shp = ogr.Open(LABELS.toString());
        DataSource ds = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg.toString());
        try {
            ds.CopyLayer(shp.GetLayer(0), "tracts");
            Layer study = ds.CreateLayer("study_area", shp.GetLayer(0).GetSpatialRef(), ogrConstants.wkbPolygon);
            Feature area = new Feature(study.GetLayerDefn());
            area.SetGeometry(Geometry.CreateFromWkt("POLYGON ((-34.9 -8, -34.88 -8, -34.88 -7.98, -34.9 -8))"));
            study.CreateFeature(area);
            area.delete();
        } finally {
            ds.delete();
            shp.delete();
        }
        return gpkg;
    }

    static int written(String tileOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("chips: +(\\d+) written").matcher(tileOutput);
        assertTrue(m.find(), tileOutput);
        return Integer.parseInt(m.group(1));
    }
}
