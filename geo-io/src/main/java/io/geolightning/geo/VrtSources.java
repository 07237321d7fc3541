package io.geolightning.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gdal.gdal.Dataset;

/**
 * The files a local VRT names as its sources, checked when it is opened: GDAL opens a VRT whose sources are gone
 * (a VRT moved without them: its {@code relativeToVRT} sources are looked for beside it) and fails only on the first
 * pixel read, which looked like a damaged file.
 */
final class VrtSources {

    private static final Pattern SOURCE = Pattern.compile(
            "<(SourceFilename|SourceDataset)([^>]*)>([^<]+)</\\1>");
    private static final Pattern DRIVER_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9_]+:");

    private VrtSources() {
    }

    /**
     * @param path the raster as opened
     * @param ds its dataset
     * @return the one-line error naming the first source of a local VRT that is not there, if any
     */
    static Optional<GeoIOException> missing(GdalPath path, Dataset ds) {
        if (path.isVirtual() || !"VRT".equals(ds.GetDriver().getShortName())) {
            return Optional.empty();
        }
        java.util.Vector<?> xml = ds.GetMetadata_List("xml:VRT");
        if (xml == null || xml.isEmpty()) {
            return Optional.empty();
        }
        Path folder = path.local().toAbsolutePath().getParent();
        Matcher m = SOURCE.matcher(String.valueOf(xml.get(0)));
        while (m.find()) {
            String name = unescape(m.group(3).trim());
            if (GdalPath.isVirtual(name) || DRIVER_PREFIX.matcher(name).find()) {
                continue; // a /vsi path or a subdataset (NETCDF:"a.nc":var): GDAL's to report
            }
            boolean relative = m.group(2).replace(" ", "").contains("relativeToVRT=\"1\"");
            Path source = relative ? folder.resolve(name) : Path.of(name);
            if (!Files.exists(source)) {
                return Optional.of(GeoIOException.of(path, "its source " + name + " is missing (looked for at "
                        + source + (relative ? ", beside the VRT" : "") + ")", relative
                        ? "a VRT names its sources relative to its own folder: move it back beside them, or rebuild"
                        + " it where they are (gdalbuildvrt)"
                        : "restore the file, or rebuild the VRT from the files where they are now (gdalbuildvrt)"));
            }
        }
        return Optional.empty();
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
