package io.geolightning.app.cli;

import io.geolightning.app.report.Numbers;
import io.geolightning.geo.VectorSource;
import java.io.PrintWriter;
import org.locationtech.jts.geom.Envelope;

/**
 * Prints what {@code info} knows about a vector file: every layer's CRS, geometry type, feature count, fields with
 * their types and extent.
 */
final class VectorDescriber {

    private final PrintWriter out;

    VectorDescriber(PrintWriter out) {
        this.out = out;
    }

    void describe(VectorSource first) {
        out.println("vector " + first.path());
        Table t = new Table(out, 14);
        t.row("layers", String.join(", ", first.layerNames()));
        for (String layer : first.layerNames()) {
            if (layer.equals(first.layerName())) {
                layer(first);
            } else {
                try (VectorSource v = VectorSource.open(first.path(), layer)) {
                    layer(v);
                }
            }
        }
    }

    private void layer(VectorSource v) {
        out.println("layer " + v.layerName());
        Table t = new Table(out, 14);
        t.row("crs", v.crs().map(RasterDescriber::crs).orElse("none"));
        t.row("geometry", v.geometryTypeName());
        t.row("features", v.featureCount());
        t.row("fields", v.fieldNames().isEmpty() ? "none" : String.join(", ", v.fieldsWithTypes()));
        Envelope e = v.extent();
        if (e != null && !e.isNull()) {
            t.row("extent", "minx " + Numbers.num(e.getMinX()) + ", miny " + Numbers.num(e.getMinY()) + ", maxx "
                    + Numbers.num(e.getMaxX()) + ", maxy " + Numbers.num(e.getMaxY()));
        }
    }
}
