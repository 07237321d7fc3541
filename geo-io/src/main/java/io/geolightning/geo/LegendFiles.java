package io.geolightning.geo;

import io.geolightning.foundation.TempFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Vector;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.RasterAttributeTable;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes a {@link ClassLegend} where GIS tools read it: category names and a raster attribute table through GDAL
 * (into the finished file's {@code .aux.xml}, as the GTiff driver keeps them; the TIFF itself, a COG's layout
 * included, is not touched) and a QGIS style file. The XML is built with the JDK's DOM, so names are escaped.
 */
final class LegendFiles {

    private LegendFiles() {
    }

    /** @return the sidecar GDAL writes for a raster, {@code <file>.aux.xml} */
    static Path auxOf(Path raster) {
        return raster.resolveSibling(raster.getFileName() + ".aux.xml");
    }

    /** @return the QGIS style file QGIS applies to a raster, {@code <stem>.qml} */
    static Path qmlOf(Path raster) {
        return raster.resolveSibling(Polygonizer.stem(raster) + ".qml");
    }

    /**
     * Sets the category names and the default raster attribute table of band 1 of a finished raster, opened read-only
     * so GDAL writes them to its {@code .aux.xml} when it closes.
     *
     * @param raster the finished raster (a temporary name; the sidecar follows it)
     * @param legend the classes
     * @return the sidecar written
     */
    static Path writeAux(Path raster, ClassLegend legend) {
        Dataset ds = gdal.Open(raster.toString(), gdalconstConstants.GA_ReadOnly);
        if (ds == null) {
            throw new IllegalStateException(Gdal.lastError("cannot reopen " + raster + " to add its class names"));
        }
        RasterAttributeTable rat = new RasterAttributeTable();
        try {
            Band band = ds.GetRasterBand(1);
            band.SetCategoryNames(new Vector<>(legend.categoryNames()));
            rat.SetTableType(gdalconstConstants.GRTT_THEMATIC);
            // CreateColumn returns an error code, not the column's index: the columns are 0..5 in this order
            column(rat, "Value", gdalconstConstants.GFT_Integer, gdalconstConstants.GFU_MinMax);
            column(rat, "Class", gdalconstConstants.GFT_String, gdalconstConstants.GFU_Name);
            column(rat, "Red", gdalconstConstants.GFT_Integer, gdalconstConstants.GFU_Red);
            column(rat, "Green", gdalconstConstants.GFT_Integer, gdalconstConstants.GFU_Green);
            column(rat, "Blue", gdalconstConstants.GFT_Integer, gdalconstConstants.GFU_Blue);
            column(rat, "Alpha", gdalconstConstants.GFT_Integer, gdalconstConstants.GFU_Alpha);
            rat.SetRowCount(legend.entries().size());
            int row = 0;
            for (ClassLegend.Entry e : legend.entries()) {
                rat.SetValueAsInt(row, 0, e.value());
                rat.SetValueAsString(row, 1, e.name());
                rat.SetValueAsInt(row, 2, e.color().getRed());
                rat.SetValueAsInt(row, 3, e.color().getGreen());
                rat.SetValueAsInt(row, 4, e.color().getBlue());
                rat.SetValueAsInt(row, 5, e.color().getAlpha());
                row++;
            }
            if (band.SetDefaultRAT(rat) != gdalconstConstants.CE_None) {
                throw new IllegalStateException(Gdal.lastError("cannot set the raster attribute table"));
            }
        } finally {
            rat.delete();
            ds.delete();
        }
        Path aux = auxOf(raster);
        if (!Files.isRegularFile(aux)) {
            throw new IllegalStateException("GDAL wrote no " + aux.getFileName() + " for the class names"
                    + " (is GDAL_PAM_ENABLED=NO set?)");
        }
        return aux;
    }

    private static void column(RasterAttributeTable rat, String name, int type, int usage) {
        if (rat.CreateColumn(name, type, usage) != gdalconstConstants.CE_None) {
            throw new IllegalStateException(Gdal.lastError("cannot add the column " + name + " to the attribute table"));
        }
    }

    /**
     * Writes the QGIS style file of a class raster to a temporary beside it, for an {@code OutputSet} to publish.
     *
     * @param target the style file
     * @param legend the classes
     * @return the temporary
     * @throws IOException when the folder is not writable or the disk is full (the temporary is then deleted)
     */
    static Path qmlTemporary(Path target, ClassLegend legend) throws IOException {
        TempFiles.removeStale(target);
        Path tmp = TempFiles.create(target, ".tmp");
        try {
            Files.writeString(tmp, qml(legend));
            return tmp;
        } catch (IOException | RuntimeException e) {
            TempFiles.discard(tmp);
            throw e;
        }
    }

    /**
     * @param legend the classes
     * @return a QGIS style document: a paletted renderer of band 1 with one entry per class (nodata pixels stay
     *     transparent, as QGIS reads the nodata value from the raster)
     */
    static String qml(ClassLegend legend) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element qgis = doc.createElement("qgis");
            qgis.setAttribute("version", "3.28.0");
            qgis.setAttribute("styleCategories", "Symbology");
            doc.appendChild(qgis);
            Element pipe = child(doc, qgis, "pipe");
            Element renderer = child(doc, pipe, "rasterrenderer");
            renderer.setAttribute("type", "paletted");
            renderer.setAttribute("band", "1");
            renderer.setAttribute("opacity", "1");
            renderer.setAttribute("alphaBand", "-1");
            renderer.setAttribute("nodataColor", "");
            child(doc, renderer, "rasterTransparency");
            Element palette = child(doc, renderer, "colorPalette");
            for (ClassLegend.Entry e : legend.entries()) {
                Element entry = child(doc, palette, "paletteEntry");
                entry.setAttribute("value", Integer.toString(e.value()));
                entry.setAttribute("label", e.name());
                entry.setAttribute("color", ClassLegend.hex(e.color()));
                entry.setAttribute("alpha", Integer.toString(e.color().getAlpha()));
            }
            Element resampler = child(doc, pipe, "rasterresampler");
            resampler.setAttribute("maxOversampling", "2");
            child(doc, qgis, "blendMode").setTextContent("0");
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            // no DOCTYPE: QGIS's own ('SYSTEM' as the DTD's path) sends XML parsers other than QGIS's looking for a file
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot build the QGIS style: " + e.getMessage(), e);
        }
    }

    private static Element child(Document doc, Element parent, String name) {
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }
}
