package io.geolightning.geo;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gdal.ogr.DataSource;
import org.gdal.ogr.Layer;
import org.gdal.ogr.ogr;
import org.gdal.osr.SpatialReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a path becomes the OGR data source of a {@link VectorSource}, and the one-line errors when it does not: a missing
 * file, a Shapefile without its {@code .shx}, an archive, a file OGR reads as no vector or with no layers; which layer
 * is read, and which CRS means none.
 */
final class VectorOpening {
    private static final Logger LOG = LoggerFactory.getLogger(VectorSource.class);

    private VectorOpening() {
    }

    /**
     * @param path a vector file or GDAL path
     * @return its data source, opened read-only, with at least one layer
     * @throws GeoIOException when the file is missing or is not a vector file OGR can read
     */
    static DataSource dataSource(GdalPath path) {
        Gdal.quietThread();
        if (!path.isVirtual() && !Files.exists(path.local())) {
            throw notFound(path);
        }
        DataSource ds;
        org.gdal.gdal.gdal.ErrorReset();
        try {
            ds = ogr.Open(path.text(), 0);
        } catch (RuntimeException e) {
            if (path.isVirtual() && VirtualFiles.missing(path)) {
                throw notFound(path);
            }
            throw notOpened(path, Gdal.lastError(e, "format not recognised", path), e);
        }
        if (ds == null) {
            if (path.isVirtual() && VirtualFiles.missing(path)) {
                throw notFound(path);
            }
            throw notOpened(path, Gdal.lastError(null, "format not recognised", path), null);
        }
        if (ds.GetLayerCount() == 0) {
            ds.delete();
            throw notVector(path, "it has no vector layers", null);
        }
        return ds;
    }

    /** GDAL could not open the file: a Shapefile without its .shx is named as such, anything else is not a vector. */
    private static GeoIOException notFound(GdalPath path) {
        return GeoIOException.of(path, "file not found", VirtualFiles.checkHint(path));
    }

    private static GeoIOException notOpened(GdalPath path, String why, Throwable cause) {
        Optional<String> shx = ShapefileSidecars.of(path).flatMap(s -> s.problem("shx", "the shape index"));
        if (shx.isPresent()) {
            return new GeoIOException(path + ": " + shx.get(), cause);
        }
        Optional<String> archive = VirtualFiles.archiveHint(path);
        if (archive.isPresent()) {
            return new GeoIOException(path + ": " + archive.get(), cause);
        }
        return notVector(path, why, cause);
    }

    private static GeoIOException notVector(GdalPath path, String why, Throwable cause) {
        return GeoIOException.of(path, "not a vector file GDAL can read (" + why + ")",
                "pass a Shapefile, GeoPackage, GeoJSON or another OGR vector file", cause);
    }

    /** @return the names of {@code ds}'s layers, in order */
    static List<String> layerNames(DataSource ds) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ds.GetLayerCount(); i++) {
            names.add(ds.GetLayer(i).GetName());
        }
        return List.copyOf(names);
    }

    /**
     * @param names {@code ds}'s layer names
     * @param layerName the layer to read, or null for the first (logged when there are several)
     * @return the layer
     * @throws GeoIOException listing the layers when there is no such layer ({@code ds} is then deleted)
     */
    static Layer layer(GdalPath path, DataSource ds, List<String> names, String layerName) {
        if (layerName == null) {
            if (names.size() > 1) {
                LOG.info("{}: {} layers {}; using the first, '{}'", path, names.size(), names, names.get(0));
            }
            return ds.GetLayer(0);
        }
        Layer layer = names.contains(layerName) ? ds.GetLayerByName(layerName) : null;
        if (layer == null) {
            ds.delete();
            throw GeoIOException.of(path, "has no layer '" + layerName + "' (layers: " + String.join(", ", names)
                    + ")", "pass one of these layer names");
        }
        return layer;
    }

    /**
     * @return true for GeoPackage's two "undefined" CRSs (srs_id -1 and 0, organisation NONE), which a layer saved
     *     without a CRS gets: read as no CRS, not as a geographic or engineering CRS its coordinates are not in
     */
    static boolean undefinedCrs(SpatialReference ref) {
        String name = ref.GetName();
        return ref.GetAuthorityName(null) == null
                && ("Undefined geographic SRS".equals(name) || "Undefined Cartesian SRS".equals(name));
    }
}
