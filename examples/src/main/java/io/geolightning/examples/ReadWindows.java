package io.geolightning.examples;

import io.geolightning.geo.CrsTransform;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterWindow;
import io.geolightning.geo.VectorFeature;
import io.geolightning.geo.VectorSource;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

/**
 * What a GIS application reads through GeoLightning, as a Java program: a raster's grid and one window of its pixels
 * (per-band mean), the vector features under that window (JTS geometries in the layer's CRS), and the chips of a
 * chip store with their split, label and footprint.
 *
 * <pre>
 * ReadWindows RASTER VECTOR CHIP_STORE
 * ReadWindows sample-data/olinda/L7_ETMs.tif sample-data/olinda/olinda1.shp build/example/chips
 * </pre>
 */
public final class ReadWindows {

    private ReadWindows() {
    }

    /** @param args RASTER VECTOR CHIP_STORE */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ReadWindows RASTER VECTOR CHIP_STORE");
            System.exit(2);
        }
        try (GeoRaster raster = GeoRaster.open(Path.of(args[0]));
             VectorSource vector = VectorSource.open(Path.of(args[1]))) {
            System.out.printf("raster: %d x %d px, %d bands of %s, %s%n", raster.width(), raster.height(),
                    raster.bandCount(), raster.dataType(), raster.requireCrs());
            PixelWindow window = new PixelWindow(raster.width() / 4, raster.height() / 4, 64, 64);
            RasterWindow pixels = raster.read(window);
            for (int b = 0; b < pixels.bandCount(); b++) {
                double sum = 0;
                for (int y = 0; y < pixels.height(); y++) {
                    for (int x = 0; x < pixels.width(); x++) {
                        sum += pixels.getDouble(b, x, y);
                    }
                }
                System.out.printf("%s band %d mean %.2f%n", window, b + 1, sum / pixels.pixelsPerBand());
            }
            // the window's footprint in the layer's CRS (the labels may be in another one), then the features under it
            Polygon footprint = raster.geoTransform().footprint(window);
            CrsTransform toLayer = CrsTransform.of(raster.requireCrs(), vector.requireCrs());
            Geometry inLayer = toLayer.transform(footprint);
            Envelope box = inLayer.getEnvelopeInternal();
            List<VectorFeature> under = vector.features(box).stream()
                    .filter(f -> f.geometry().intersects(inLayer)).toList();
            System.out.printf("vector: %d features in %s; %d under the window%n", vector.featureCount(),
                    vector.requireCrs(), under.size());
        }
        ChipStoreReader store = ChipStoreReader.open(Path.of(args[2]));
        Map<String, Integer> perSplit = new TreeMap<>();
        ChipRow[] first = new ChipRow[1];
        store.forEach(row -> {
            perSplit.merge(row.split().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            if (first[0] == null) {
                first[0] = row;
            }
        });
        System.out.printf("chip store: %d chips %s, classes %s%n", store.rowCount(), perSplit,
                store.requireMetadata().classNames());
        ChipRow c = first[0];
        System.out.printf("first chip %s: %d x %d px of %s at (%d, %d), label %s, bounds [%.1f %.1f %.1f %.1f]%n",
                c.chipId(), c.width(), c.height(), c.scene(), c.x(), c.y(), c.label(), c.minx(), c.miny(), c.maxx(),
                c.maxy());
    }
}
