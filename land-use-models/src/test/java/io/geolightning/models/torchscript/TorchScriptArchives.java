package io.geolightning.models.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small parameter-free TorchScript archives, byte for byte what {@code torch.jit.save} writes for a module
 * without parameters: a zip (stored entries) with {@code data.pkl} (the module object pickled with protocol 2:
 * GLOBAL '__torch__ Name', NEWOBJ, BUILD {'training': False}), {@code constants.pkl} (an empty tuple),
 * {@code code/__torch__.py} (the TorchScript source) and {@code version}. No Python is available here, so this is
 * how the tests obtain real TorchScript files that libtorch itself parses and runs.
 */
public final class TorchScriptArchives {

    private TorchScriptArchives() {
    }

    /**
     * @param file where to write
     * @param className TorchScript class name
     * @param forwardBody the body of {@code forward(self, x: Tensor) -> Tensor}, one statement per line
     * @return the file
     * @throws IOException on write failure
     */
    public static Path write(Path file, String className, String... forwardBody) throws IOException {
        StringBuilder code = new StringBuilder();
        code.append("class ").append(className).append("(Module):\n")
                .append("  __parameters__ = []\n")
                .append("  __buffers__ = []\n")
                .append("  training : bool\n")
                .append("  def forward(self: __torch__.").append(className).append(",\n")
                .append("    x: Tensor) -> Tensor:\n");
        for (String line : forwardBody) {
            code.append("    ").append(line).append('\n');
        }
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.write(0x80);
        pkl.write(2);
        pkl.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        pkl.write(')');
        pkl.write(0x81);
        pkl.write('}');
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        pkl.write('X');
        pkl.write(new byte[] {(byte) key.length, 0, 0, 0});
        pkl.writeBytes(key);
        pkl.write(0x89); // NEWFALSE: saved in eval mode
        pkl.write('s');
        pkl.write('b');
        pkl.write('.');
        String root = "archive/";
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, root + "data.pkl", pkl.toByteArray());
            put(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(zip, root + "code/__torch__.py", code.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * A segmenter whose logits are the first two input bands (scaled): class 1 where normalised band 2 exceeds
     * normalised band 1.
     *
     * @param file where to write
     * @return the file
     * @throws IOException on write failure
     */
    public static Path firstTwoBandsSegmenter(Path file) throws IOException {
        return write(file, "FirstTwoBands", "return torch.mul(torch.slice(x, 1, 0, 2), 4.0)");
    }

    /**
     * A classifier whose logits are the window means of the first two input bands.
     *
     * @param file where to write
     * @return the file
     * @throws IOException on write failure
     */
    public static Path meanOfFirstTwoBandsClassifier(Path file) throws IOException {
        return write(file, "MeanOfFirstTwoBands", "return torch.mul(torch.mean(torch.slice(x, 1, 0, 2), [2, 3]), 4.0)");
    }
}
