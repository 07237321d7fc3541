package io.geolightning.foundation;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an image as PNG in memory. {@code ImageIO.write(image, "png", stream)} buffers through a cache file in
 * {@code java.io.tmpdir} (ImageIO's default), so a full, read-only or missing {@code /tmp} failed a training run at
 * its first validation drawing or plot ("Can't create cache file!"); the PNGs here are small, so memory is the cache.
 */
public final class PngBytes {
    private PngBytes() {
    }

    /**
     * @param image the image
     * @return its PNG file's bytes
     * @throws IOException when javax.imageio cannot encode it
     */
    public static byte[] of(RenderedImage image) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer in javax.imageio");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
