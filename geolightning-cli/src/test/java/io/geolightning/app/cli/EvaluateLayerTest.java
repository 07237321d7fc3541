package io.geolightning.app.cli;

import static io.geolightning.app.cli.BadInputs.LABELS;
import static io.geolightning.app.cli.BadInputs.RASTER;
import static io.geolightning.app.cli.BadInputs.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.geo.Gdal;
import java.nio.file.Path;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.Geometry;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --raster} on labels in a GeoPackage of several layers (an area of interest first, the labelled
 * tracts second), as a GIS project keeps them: {@code --layer} picks the labels as in {@code tile}, and scores exactly
 * what the same polygons in their own Shapefile score. evaluate had no {@code --layer}, so such labels could not be
 * scored, while its error told the user to pass {@code --layer tracts}. QGIS's {@code project.gpkg|layername=tracts}
 * picks the layer too.
 */
class EvaluateLayerTest {

    @Test
    void layerPicksTheLabelsOfAGeoPackage(@TempDir Path tmp) {
        Path gpkg = tmp.resolve("project.gpkg");
        Gdal.ensureInitialised();
        DataSource shp = ogr.Open(LABELS.toString());
        DataSource ds = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg.toString());
        try {
            Layer aoi = ds.CreateLayer("aoi", shp.GetLayer(0).GetSpatialRef(), ogrConstants.wkbPolygon);
            Feature area = new Feature(aoi.GetLayerDefn());
            area.SetGeometry(Geometry.CreateFromWkt("POLYGON ((-34.9 -8, -34.85 -8, -34.85 -7.95, -34.9 -8))"));
            aoi.CreateFeature(area);
            area.delete();
            ds.CopyLayer(shp.GetLayer(0), "tracts");
        } finally {
            ds.delete();
            shp.delete();
        }
        Path ckpt = BadInputs.checkpoint();
        fails(1, CliRun.of("evaluate", "--checkpoint", ckpt, "--raster", RASTER, "--labels", gpkg, "--label-field",
                "TIPO"), "layer 'aoi' has no field 'TIPO'", "--layer tracts");
        CliRun layer = CliRun.of("evaluate", "--checkpoint", ckpt, "--raster", RASTER, "--labels", gpkg,
                "--layer", "tracts", "--label-field", "TIPO");
        assertEquals(0, layer.code(), layer.err());
        CliRun own = CliRun.of("evaluate", "--checkpoint", ckpt, "--raster", RASTER, "--labels", LABELS,
                "--label-field", "TIPO");
        assertEquals(0, own.code(), own.err());
        assertEquals(own.out().replace(LABELS.getFileName().toString(), "L"),
                layer.out().replace(gpkg.getFileName().toString(), "L"));
        // the layer's source as QGIS copies it picks the same layer
        CliRun qgis = CliRun.of("evaluate", "--checkpoint", ckpt, "--raster", RASTER, "--labels", gpkg
                + "|layername=tracts", "--label-field", "TIPO");
        assertEquals(0, qgis.code(), qgis.err());
        assertEquals(layer.out(), qgis.out());
        fails(2, CliRun.of("evaluate", "--checkpoint", ckpt, "--chips", BadInputs.chips(), "--layer", "tracts"),
                "--layer goes with --raster");
    }
}
