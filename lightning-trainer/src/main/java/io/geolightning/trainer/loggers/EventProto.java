package io.geolightning.trainer.loggers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written protobuf encoding of the two TensorFlow messages TensorBoard scalars and images need:
 * {@code Event {double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5;}} and
 * {@code Summary {repeated Value value = 1;}} with {@code Value {string tag = 1; float simple_value = 2;
 * Image image = 4;}} and {@code Image {int32 height = 1; int32 width = 2; int32 colorspace = 3;
 * bytes encoded_image_string = 4;}}.
 */
final class EventProto {

    private EventProto() {}

    static byte[] fileVersion(double wallTime) {
        Buf b = new Buf();
        b.fixed64Field(1, Double.doubleToLongBits(wallTime));
        b.bytesField(3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    static byte[] scalar(double wallTime, long step, String tag, float value) {
        Buf v = new Buf();
        v.bytesField(1, tag.getBytes(StandardCharsets.UTF_8));
        v.fixed32Field(2, Float.floatToIntBits(value));
        return event(wallTime, step, v);
    }

    /** @return an Event at {@code step} whose Summary holds the one Value {@code v} */
    private static byte[] event(double wallTime, long step, Buf v) {
        Buf summary = new Buf();
        summary.bytesField(1, v.toByteArray());
        Buf e = new Buf();
        e.fixed64Field(1, Double.doubleToLongBits(wallTime));
        e.varintField(2, step);
        e.bytesField(5, summary.toByteArray());
        return e.toByteArray();
    }

    /**
     * @param png the PNG-encoded image
     * @param colorspace 3 for RGB, 4 for RGBA
     */
    static byte[] image(double wallTime, long step, String tag, byte[] png, int width, int height, int colorspace) {
        Buf image = new Buf();
        image.varintField(1, height);
        image.varintField(2, width);
        image.varintField(3, colorspace);
        image.bytesField(4, png);
        Buf v = new Buf();
        v.bytesField(1, tag.getBytes(StandardCharsets.UTF_8));
        v.bytesField(4, image.toByteArray());
        return event(wallTime, step, v);
    }

    /** Minimal protobuf writer. */
    static final class Buf extends ByteArrayOutputStream {
        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        void varintField(int field, long v) {
            tag(field, 0);
            varint(v);
        }

        void fixed64Field(int field, long bits) {
            tag(field, 1);
            for (int i = 0; i < 8; i++) {
                write((int) (bits >>> (8 * i)) & 0xFF);
            }
        }

        void fixed32Field(int field, int bits) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                write((bits >>> (8 * i)) & 0xFF);
            }
        }

        void bytesField(int field, byte[] data) {
            tag(field, 2);
            varint(data.length);
            write(data, 0, data.length);
        }
    }
}
