package io.geolightning.geo;

import java.util.List;
import java.util.Optional;
import java.util.Vector;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdal.gdal.Dataset;

/**
 * GDAL subdatasets (the variables of a netCDF or HDF file, {@code NETCDF:"a.nc":var}), which GeoLightning does not
 * open: a raster is one file. The one-line errors that say how to make one of them.
 */
public final class Subdatasets {
    private static final Pattern NAME = Pattern.compile("(^|/)((NETCDF|HDF5|HDF4_SDS|HDF4_EOS|HDF4_IMAGE|GTIFF_DIR"
            + "|NITF_IM|ZARR|GRIB|PDF|SENTINEL2_L\\w+):)");

    private Subdatasets() {
    }

    /**
     * @param path a path that names no file
     * @return the subdataset name it holds ({@code NETCDF:"a.nc":var}, {@code HDF5:"a.h5"://x}), also after a local
     *     folder was put in front of it, or empty
     */
    public static Optional<String> name(GdalPath path) {
        Matcher m = NAME.matcher(path.text());
        return m.find() ? Optional.of(path.text().substring(m.start(2))) : Optional.empty();
    }

    /**
     * @param name a subdataset name
     * @return the error for it
     */
    public static GeoIOException notRead(String name) {
        return new GeoIOException(name + ": a GDAL subdataset name, which GeoLightning does not open; write it to a"
                + " file first (gdalbuildvrt sub.vrt '" + name + "', or gdal_translate into a GeoTIFF) and pass that");
    }

    /**
     * @param path the file
     * @param ds the file opened by GDAL, without bands
     * @return the error for a container of subdatasets (a netCDF or HDF file), or empty when it holds none
     */
    static Optional<GeoIOException> container(GdalPath path, Dataset ds) {
        Vector<?> meta = ds.GetMetadata_List("SUBDATASETS");
        List<String> names = meta == null ? List.of() : meta.stream().map(String::valueOf)
                .filter(m -> m.matches("SUBDATASET_\\d+_NAME=.*")).map(m -> m.substring(m.indexOf('=') + 1)).toList();
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(GeoIOException.of(path, "holds " + names.size() + " subdataset(s) (" + String.join(", ",
                names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? ", ..." : "") + ") and no bands of"
                + " its own", "stack the ones to read into one file (gdalbuildvrt -separate stack.vrt '" + names.get(0)
                + "' ..., or gdal_translate one into a GeoTIFF) and pass that"));
    }
}
