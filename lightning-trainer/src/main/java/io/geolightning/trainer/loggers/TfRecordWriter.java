package io.geolightning.trainer.loggers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing as TensorBoard reads it: {@code uint64 length (LE)}, {@code uint32 masked CRC32C of the length},
 * {@code data}, {@code uint32 masked CRC32C of the data}; masking is
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}.
 */
final class TfRecordWriter {

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecordWriter() {}

    static int maskedCrc(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    static void write(OutputStream out, byte[] record) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(record.length);
        header.putInt(maskedCrc(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc(record, 0, record.length));
        out.write(header.array());
        out.write(record);
        out.write(footer.array());
    }
}
