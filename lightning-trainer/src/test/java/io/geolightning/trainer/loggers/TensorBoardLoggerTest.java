package io.geolightning.trainer.loggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the event file back frame by frame, checks every CRC and decodes the protobufs independently. */
class TensorBoardLoggerTest {

    record Scalar(String tag, long step, float value) {}

    @Test
    void eventFileFramesAndScalarsRoundTrip(@TempDir Path tmp) throws Exception {
        TensorBoardLogger tb = new TensorBoardLogger(tmp, "exp");
        Map<String, Double> m1 = new LinkedHashMap<>();
        m1.put("train_loss", 0.75);
        m1.put("epoch", 0.0);
        tb.logMetrics(m1, 10);
        tb.logMetrics(Map.of("val_acc", 0.875), 20);
        tb.logHyperparams(Map.of("lr", 0.001));
        tb.close();
        Path file = tb.eventFile();
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        assertEquals(tmp.resolve("exp").resolve("version_0"), file.getParent());
        assertTrue(Files.exists(file.getParent().resolve("hparams.yaml")));

        List<byte[]> records = records(file);
        assertEquals(4, records.size());
        assertTrue(new String(records.get(0), StandardCharsets.ISO_8859_1).contains("brain.Event:2"));
        List<Scalar> scalars = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            scalars.add(decodeEvent(records.get(i)));
        }
        assertEquals(new Scalar("train_loss", 10, 0.75f), scalars.get(0));
        assertEquals(new Scalar("epoch", 10, 0f), scalars.get(1));
        assertEquals(new Scalar("val_acc", 20, 0.875f), scalars.get(2));
    }

    /**
     * An image summary: a framed Event at its step whose Summary.Value holds the tag and an Image (height, width,
     * colorspace RGB, the PNG), which decodes back to the same pixels; TensorBoard's image plugin reads this form.
     */
    @Test
    void imageSummaryHoldsThePngAtItsStep(@TempDir Path tmp) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(5, 3,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(4, 2, 0x12ab34);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        TensorBoardLogger tb = new TensorBoardLogger(tmp, "img");
        tb.logImage("val_predictions", png.toByteArray(), 5, 3, 42);
        tb.close();
        List<byte[]> records = records(tb.eventFile());
        assertEquals(2, records.size());
        Reader event = new Reader(records.get(1));
        long step = -1;
        byte[] value = null;
        while (event.more()) {
            long key = event.varint();
            if (key == (1 << 3 | 1)) {
                event.fixed64();
            } else if (key == (2 << 3)) {
                step = event.varint();
            } else if (key == (5 << 3 | 2)) {
                Reader summary = new Reader(event.bytes());
                assertEquals(1 << 3 | 2, summary.varint());
                value = summary.bytes();
            } else {
                throw new AssertionError("unexpected Event field " + key);
            }
        }
        assertEquals(42, step);
        Reader v = new Reader(value);
        assertEquals(1 << 3 | 2, v.varint());
        assertEquals("val_predictions", new String(v.bytes(), StandardCharsets.UTF_8));
        assertEquals(4 << 3 | 2, v.varint(), "Value.image");
        Reader image = new Reader(v.bytes());
        long[] dims = new long[4];
        byte[] encoded = null;
        while (image.more()) {
            long key = image.varint();
            int field = (int) (key >>> 3);
            if (field == 4) {
                encoded = image.bytes();
            } else {
                dims[field] = image.varint();
            }
        }
        assertEquals(3, dims[1], "height");
        assertEquals(5, dims[2], "width");
        assertEquals(3, dims[3], "colorspace RGB");
        java.awt.image.BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        assertEquals(0x12ab34, back.getRGB(4, 2) & 0xffffff);
    }

    /** @return the records of an event file, each frame's length and data CRCs checked */
    static List<byte[]> records(Path file) throws java.io.IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (buf.hasRemaining()) {
            byte[] lenBytes = new byte[8];
            buf.get(lenBytes);
            long len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(maskedCrc(lenBytes), buf.getInt(), "length CRC");
            byte[] data = new byte[(int) len];
            buf.get(data);
            assertEquals(maskedCrc(data), buf.getInt(), "data CRC");
            records.add(data);
        }
        return records;
    }

    /** CRC32C computed bit by bit (Castagnoli polynomial 0x82F63B78), masked as TFRecord does. */
    static int maskedCrc(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        crc = ~crc;
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    static Scalar decodeEvent(byte[] event) {
        Reader r = new Reader(event);
        long step = 0;
        Scalar s = null;
        boolean wall = false;
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 1) {
                double t = Double.longBitsToDouble(r.fixed64());
                wall = t > 1.6e9;
            } else if (field == 2 && wire == 0) {
                step = r.varint();
            } else if (field == 5 && wire == 2) {
                Reader summary = new Reader(r.bytes());
                assertEquals(1 << 3 | 2, summary.varint());
                Reader value = new Reader(summary.bytes());
                String tag = null;
                float v = Float.NaN;
                while (value.more()) {
                    long k = value.varint();
                    if (k == (1 << 3 | 2)) {
                        tag = new String(value.bytes(), StandardCharsets.UTF_8);
                    } else if (k == (2 << 3 | 5)) {
                        v = Float.intBitsToFloat(value.fixed32());
                    } else {
                        throw new AssertionError("unexpected Value field " + k);
                    }
                }
                s = new Scalar(tag, 0, v);
            } else {
                throw new AssertionError("unexpected Event field " + field + " wire " + wire);
            }
        }
        assertTrue(wall, "wall_time is a current Unix time");
        return new Scalar(s.tag(), step, s.value());
    }

    static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        boolean more() {
            return pos < b.length;
        }

        long varint() {
            long v = 0;
            int shift = 0;
            while (true) {
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if (x < 0x80) {
                    return v;
                }
                shift += 7;
            }
        }

        long fixed64() {
            long v = ByteBuffer.wrap(b, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            pos += 8;
            return v;
        }

        int fixed32() {
            int v = ByteBuffer.wrap(b, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            pos += 4;
            return v;
        }

        byte[] bytes() {
            int len = (int) varint();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(b, pos, len);
            pos += len;
            return out.toByteArray();
        }
    }
}
