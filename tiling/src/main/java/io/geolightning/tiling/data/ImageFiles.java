package io.geolightning.tiling.data;

import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterDataType;
import io.geolightning.geo.RasterWindow;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TilingException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image files of an image folder: which files count (an image suffix, not hidden) and how they decode.
 * <ul>
 *   <li>8-bit images of one or three bands (JPEG, PNG, BMP, GIF, TIFF; grey, palette, RGB, with or without alpha)
 *       decode with javax.imageio as RGB, three uint8 bands; a file the decoder reports damaged (a truncated JPEG,
 *       whose missing rows it would fill with grey) is refused;</li>
 *   <li>TIFF and PNG files with other band counts or wider samples (multispectral chips such as EuroSAT's 13-band
 *       GeoTIFFs, 16-bit reflectances) decode with GDAL, keeping every band but alpha and its data type, so that
 *       nothing is dropped or rescaled;</li>
 *   <li>hidden files and folders (names starting with a dot: macOS's {@code ._*} resource forks, {@code .DS_Store},
 *       {@code .ipynb_checkpoints}) are not images.</li>
 * </ul>
 */
public final class ImageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);
    private static final List<String> SUFFIXES = List.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff");
    private static final List<String> GDAL_SUFFIXES = List.of("png", "tif", "tiff");

    private ImageFiles() {
    }

    /** @return the image suffixes read, for messages: "jpg, jpeg, png, bmp, gif, tif, tiff" */
    public static String suffixes() {
        return String.join(", ", SUFFIXES);
    }

    /**
     * @param p a file
     * @return whether it is a regular file with an image suffix ({@link #suffixes()}) whose name does not start with
     *     a dot
     */
    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return !n.startsWith(".") && dot > 0 && SUFFIXES.contains(n.substring(dot + 1)) && Files.isRegularFile(p);
    }

    /**
     * @param folder a folder
     * @return the images under it at any depth, outside hidden folders, in path order
     * @throws IOException when the folder cannot be listed
     */
    public static List<Path> under(Path folder) throws IOException {
        List<Path> images = new ArrayList<>();
        // links to folders are followed (a class folder linked in from elsewhere), as torchvision's ImageFolder does
        try (Stream<Path> s = Files.walk(folder, Integer.MAX_VALUE, FileVisitOption.FOLLOW_LINKS)) {
            s.filter(p -> !hiddenBelow(folder, p) && isImage(p)).sorted().forEach(images::add);
        } catch (UncheckedIOException e) {
            throw e.getCause() instanceof FileSystemLoopException loop ? new IOException(loop.getFile()
                    + " links back to a folder above it; remove the link", loop) : e.getCause();
        }
        return images;
    }

    private static boolean hiddenBelow(Path folder, Path p) {
        for (Path part : folder.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param image an image file
     * @param resize the square side to resize it to (bilinear), or 0 to keep its size
     * @param label the sample's class
     * @return the image as a band-major sample: RGB uint8, or every band of a multi-band or wide-sample TIFF/PNG
     * @throws TilingException one line naming the file, when it cannot be decoded or is damaged
     */
    public static ChipSample decode(Path image, int resize, int label) {
        ChipSample wide = decodeWide(image, resize, label);
        return wide != null ? wide : decodeRgb(image, resize, label);
    }

    /**
     * {@link #decode} for images read again and again (every epoch): remembers which decoder read each file, so that
     * an 8-bit RGB TIFF or PNG is opened by javax.imageio alone after its first decode instead of by GDAL first (to
     * learn its bands and type) on every read. The same values as {@link #decode}. Thread-safe.
     */
    public static final class Decoder {
        private final Map<Path, Boolean> viaGdal = new ConcurrentHashMap<>();

        /** @see ImageFiles#decode(Path, int, int) */
        public ChipSample decode(Path image, int resize, int label) {
            if (Boolean.FALSE.equals(viaGdal.get(image))) {
                return decodeRgb(image, resize, label);
            }
            ChipSample wide = decodeWide(image, resize, label);
            viaGdal.put(image, wide != null);
            return wide != null ? wide : decodeRgb(image, resize, label);
        }
    }

    /** GDAL's decoding of a TIFF or PNG that is not 8-bit grey or RGB(A); null for any other file. */
    private static ChipSample decodeWide(Path image, int resize, int label) {
        String n = image.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!GDAL_SUFFIXES.contains(n.substring(n.lastIndexOf('.') + 1))) {
            return null;
        }
        GeoRaster r;
        try {
            r = GeoRaster.open(image);
        } catch (GeoIOException e) {
            return null; // not a raster GDAL reads: javax.imageio decides, with its own message
        }
        RasterWindow w;
        try (r) {
            int[] bands = r.dataBands();
            if (r.dataType() == RasterDataType.UINT8 && (bands.length == 1 || bands.length == 3)) {
                return null;
            }
            w = r.readAll(bands); // a truncated file: GDAL's one-line error naming it
        }
        ChipDataType dtype = ChipDataType.parse(w.dataType().name());
        byte[] px = w.asBytes();
        int width = w.width();
        int height = w.height();
        if (resize > 0 && (width != resize || height != resize)) {
            px = resizeBilinear(px, dtype, w.bandCount(), width, height, resize);
            width = resize;
            height = resize;
        }
        return new ChipSample(px, dtype, w.bandCount(), height, width, label, null);
    }

    /**
     * Bilinear resampling of band-major samples, pixel centres aligned as Java2D's bilinear interpolation does;
     * integer types are rounded.
     */
    static byte[] resizeBilinear(byte[] px, ChipDataType dtype, int bands, int w, int h, int side) {
        byte[] out = new byte[bands * side * side * dtype.bytes()];
        double sx = (double) w / side;
        double sy = (double) h / side;
        boolean integer = dtype != ChipDataType.FLOAT32 && dtype != ChipDataType.FLOAT64;
        for (int b = 0; b < bands; b++) {
            int in = b * w * h;
            for (int y = 0; y < side; y++) {
                double fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
                int y0 = (int) fy;
                int y1 = Math.min(y0 + 1, h - 1);
                double ty = fy - y0;
                for (int x = 0; x < side; x++) {
                    double fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
                    int x0 = (int) fx;
                    int x1 = Math.min(x0 + 1, w - 1);
                    double tx = fx - x0;
                    double top = dtype.get(px, in + y0 * w + x0) * (1 - tx) + dtype.get(px, in + y0 * w + x1) * tx;
                    double bottom = dtype.get(px, in + y1 * w + x0) * (1 - tx) + dtype.get(px, in + y1 * w + x1) * tx;
                    double v = top * (1 - ty) + bottom * ty;
                    // a weighted mean of samples of the type, rounded: within the type's range, no clamping needed
                    dtype.set(out, (b * side + y) * side + x, integer ? Math.round(v) : v);
                }
            }
        }
        return out;
    }

    private static ChipSample decodeRgb(Path image, int resize, int label) {
        BufferedImage img = read(image);
        if (resize > 0 && (img.getWidth() != resize || img.getHeight() != resize)) {
            BufferedImage r = new BufferedImage(resize, resize, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = r.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, resize, resize, null);
            g.dispose();
            img = r;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[3 * w * h];
        int n = w * h;
        for (int i = 0; i < n; i++) {
            int v = argb[i];
            px[i] = (byte) (v >> 16);
            px[n + i] = (byte) (v >> 8);
            px[2 * n + i] = (byte) v;
        }
        return new ChipSample(px, ChipDataType.UINT8, 3, h, w, label, null);
    }

    /** javax.imageio's decoding, refusing an image its decoder warns about (data missing or corrupt). */
    private static BufferedImage read(Path image) {
        List<String> warnings = new ArrayList<>();
        BufferedImage img = null;
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers != null && readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                    reader.setInput(in, true, true);
                    img = reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException ex) {
            throw new TilingException(image + ": cannot decode the image (" + ex.getMessage()
                    + "); remove or replace the file", ex);
        }
        if (img == null) {
            throw new TilingException(image + ": not an image javax.imageio can read; convert it to JPEG or PNG");
        }
        for (String warning : warnings) {
            // the decoders' words for pixels they did not find (filled with grey): "Premature end of JPEG file",
            // "Corrupt JPEG data: premature end of data segment", "... found marker 0xd9 instead of RST1"
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature") || lower.contains("truncated") || lower.contains("instead of rst")) {
                throw new TilingException(image + ": damaged image (" + warning + "); remove or replace the file");
            }
            LOG.warn("{}: {}", image, warning);
        }
        return img;
    }
}
