package io.geolightning.geo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coverage mask of a mosaic whose rasters declare no nodata: a per-dataset {@code <MaskBand>} added to the
 * mosaic's VRT, made of each part's own mask ({@code mask,1}: all valid inside a plain raster, the alpha band of a
 * warped part), with 0 transparent so that the parts' masks add up. Where no part reaches the mask is 0, so those
 * pixels are not data (rather than zeros that look like data).
 */
final class MosaicMask {
    private static final Pattern BAND_1 = Pattern.compile("<VRTRasterBand[^>]*band=\"1\"[^>]*>(.*?)</VRTRasterBand>",
            Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("<(ComplexSource|SimpleSource)\\b[^>]*>(.*?)</\\1>",
            Pattern.DOTALL);
    private static final List<String> KEPT = List.of("SourceFilename", "SourceProperties", "SrcRect", "DstRect");

    private MosaicMask() {
    }

    /**
     * @param vrt the mosaic's VRT XML (sources of band 1 are the parts, in drawing order)
     * @return the XML with a per-dataset mask band over the parts' coverage
     * @throws GeoIOException when the XML has no band 1 with sources (not a mosaic GDAL built)
     */
    static String withMask(String vrt) {
        Matcher band = BAND_1.matcher(vrt);
        if (!band.find()) {
            throw new GeoIOException("mosaic VRT: no band 1 to build its coverage mask from");
        }
        List<String> sources = new ArrayList<>();
        Matcher m = SOURCE.matcher(band.group(1));
        while (m.find()) {
            StringBuilder src = new StringBuilder("      <ComplexSource>\n");
            for (String element : KEPT) {
                Matcher e = Pattern.compile("<" + element + "\\b.*?(/>|</" + element + ">)", Pattern.DOTALL)
                        .matcher(m.group(2));
                if (e.find()) {
                    src.append("        ").append(e.group()).append('\n');
                }
                if (element.equals("SourceFilename")) {
                    src.append("        <SourceBand>mask,1</SourceBand>\n");
                }
            }
            sources.add(src.append("        <NODATA>0</NODATA>\n      </ComplexSource>\n").toString());
        }
        if (sources.isEmpty()) {
            throw new GeoIOException("mosaic VRT: band 1 has no sources to build its coverage mask from");
        }
        String mask = "  <MaskBand>\n    <VRTRasterBand dataType=\"Byte\">\n" + String.join("", sources)
                + "    </VRTRasterBand>\n  </MaskBand>\n";
        int end = vrt.lastIndexOf("</VRTDataset>");
        return vrt.substring(0, end) + mask + vrt.substring(end);
    }
}
