package io.geolightning.tiling;

import io.geolightning.geo.Gdal;
import java.nio.file.Path;
import java.util.List;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Feature;
import org.gdal.ogr.FieldDefn;
import org.gdal.ogr.Geometry;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.ogr.ogrConstants;
import org.gdal.osr.SpatialReference;

/** Label layers the tests write themselves through OGR: one GeoPackage layer of WKT geometries and one field. */
final class LabelLayers {
    /** Centre of the Olinda scene (L7_ETMs.tif) in its CRS, EPSG:31985. */
    static final double OLINDA_X = 293750;
    static final double OLINDA_Y = 9115745;

    private LabelLayers() {
    }

    /**
     * Writes {@code file} (a new GeoPackage) with layer {@code layer} in EPSG:{@code epsg}: one feature per WKT
     * geometry, field {@code field} of OGR type {@code fieldType} (e.g. {@link ogrConstants#OFTInteger}) set to the
     * matching value.
     */
    static Path write(Path file, String layer, int epsg, String field, int fieldType, List<String> wkts,
                      List<?> values) {
        Gdal.ensureInitialised();
        DataSource ds = ogr.GetDriverByName("GPKG").CreateDataSource(file.toString());
        try {
            SpatialReference srs = new SpatialReference();
            srs.ImportFromEPSG(epsg);
            Layer l = ds.CreateLayer(layer, srs, ogrConstants.wkbUnknown);
            l.CreateField(new FieldDefn(field, fieldType));
            for (int i = 0; i < wkts.size(); i++) {
                Feature f = new Feature(l.GetLayerDefn());
                f.SetGeometry(Geometry.CreateFromWkt(wkts.get(i)));
                Object v = values.get(i);
                if (v instanceof Integer n) {
                    f.SetField(field, n);
                } else if (v instanceof Double d) {
                    f.SetField(field, d);
                } else {
                    f.SetField(field, String.valueOf(v));
                }
                l.CreateFeature(f);
                f.delete();
            }
        } finally {
            ds.delete(); // flushes and closes
        }
        return file;
    }

    /** A square of side {@code side} map units centred {@code dx, dy} from the Olinda scene's centre. */
    static String olindaSquare(double dx, double dy, double side) {
        double x = OLINDA_X + dx - side / 2;
        double y = OLINDA_Y + dy - side / 2;
        return String.format(java.util.Locale.ROOT, "POLYGON ((%f %f, %f %f, %f %f, %f %f, %f %f))", x, y, x + side,
                y, x + side, y + side, x, y + side, x, y);
    }
}
