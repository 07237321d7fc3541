package io.geolightning.foundation.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server over one folder that answers HEAD and GET with byte ranges ({@code Range: bytes=a-b}, 206
 * Partial Content), as object stores and web servers do for GDAL's {@code /vsicurl/}; a missing file is a 404. For
 * tests of remote reads without a network.
 */
public final class RangeHttpServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final Path root;
    private final AtomicInteger partial = new AtomicInteger();
    private final AtomicInteger whole = new AtomicInteger();

    /**
     * Starts serving {@code root} on a free loopback port.
     *
     * @param root the folder whose files are served by name
     * @throws IOException when no port can be bound
     */
    public RangeHttpServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /** @return {@code http://127.0.0.1:PORT/name} */
    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    /** @return GET requests answered with part of a file (206) */
    public int partialResponses() {
        return partial.get();
    }

    /** @return GET requests answered with a whole file (200) */
    public int wholeResponses() {
        return whole.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String name = ex.getRequestURI().getPath().replaceFirst("^/+", "");
            Path file = root.resolve(name).normalize();
            if (name.isEmpty() || !file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(size));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            long from = 0;
            long to = size - 1;
            if (m != null && m.matches()) {
                from = Long.parseLong(m.group(1));
                to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                if (from >= size) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
                partial.incrementAndGet();
                ex.sendResponseHeaders(206, to - from + 1);
            } else {
                whole.incrementAndGet();
                ex.sendResponseHeaders(200, size);
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r"); OutputStream out = ex.getResponseBody()) {
                f.seek(from);
                byte[] buf = new byte[64 * 1024];
                long left = to - from + 1;
                while (left > 0) {
                    int n = f.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
