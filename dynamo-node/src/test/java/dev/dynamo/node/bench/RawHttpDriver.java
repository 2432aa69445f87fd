package dev.dynamo.node.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal blocking HTTP/1.1 client, one kept-alive socket (TCP_NODELAY) per worker, written only
 * to tell the node's cost from the client's: it parses just what the KV API answers (status line,
 * headers, a body by Content-Length or chunked) and costs far less CPU per request than
 * {@link JdkHttpDriver}. Not a general HTTP client: no redirects, no TLS, no pipelining.
 */
final class RawHttpDriver implements HttpDriver {

    private final String host;
    private final int port;
    private final String hostHeader;
    private final int timeoutMillis;
    private final Connection[] connections;
    private final AtomicInteger opened = new AtomicInteger();

    RawHttpDriver(String base, int workers, Duration timeout) {
        URI uri = URI.create(base);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--client raw speaks plain http only, not " + uri.getScheme());
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.hostHeader = host + ":" + port;
        this.timeoutMillis = (int) timeout.toMillis();
        this.connections = new Connection[workers];
    }

    @Override
    public Reply get(int worker, String path) throws IOException {
        return exchange(worker, "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n", null);
    }

    @Override
    public Reply put(int worker, String path, String context, byte[] value) throws IOException {
        String head = "PUT " + path + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + value.length
                + (context == null ? "" : "\r\n" + CONTEXT + ": " + context) + "\r\n\r\n";
        return exchange(worker, head, value);
    }

    private Reply exchange(int worker, String head, byte[] body) throws IOException {
        Connection connection = connections[worker];
        if (connection == null) {
            connection = connections[worker] = new Connection(host, port, timeoutMillis);
            opened.incrementAndGet();
        }
        try {
            connection.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                connection.out.write(body);
            }
            connection.out.flush();
            Reply reply = connection.readReply();
            if (connection.closing) {
                connection.close();
                connections[worker] = null;
            }
            return reply;
        } catch (IOException | RuntimeException e) {
            connection.close();
            connections[worker] = null;
            throw e;
        }
    }

    /** How many connections were opened: one per worker, plus one each time the node closed one. */
    @Override
    public String stats() {
        return "connections opened: " + opened.get();
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** One kept-alive connection and its buffered streams. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder(128);
        private boolean closing;

        Connection(String host, int port, int timeoutMillis) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        /** Reads one answer; sets {@link #closing} when the node asked to close the connection. */
        Reply readReply() throws IOException {
            String status = readLine();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            String context = null;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).strip();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "x-dynamo-context" -> context = value;
                    default -> { }
                }
            }
            int bodyLength;
            if (chunked) {
                bodyLength = readChunked();
            } else if (length >= 0) {
                skip(length);
                bodyLength = (int) length;
            } else if (code == 204 || code == 304 || code / 100 == 1) {
                bodyLength = 0;
            } else {
                throw new IOException("a " + code + " answer without Content-Length or chunked encoding");
            }
            closing = close;
            return new Reply(code, bodyLength, context);
        }

        private int readChunked() throws IOException {
            int total = 0;
            for (int size = Integer.parseInt(readLine().split(";")[0].strip(), 16); size > 0;
                 size = Integer.parseInt(readLine().split(";")[0].strip(), 16)) {
                skip(size);
                total += size;
                readLine();
            }
            while (!readLine().isEmpty()) { // trailers
            }
            return total;
        }

        private void skip(long bytes) throws IOException {
            in.skipNBytes(bytes); // throws EOFException when the stream ends first
        }

        private String readLine() throws IOException {
            line.setLength(0);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed by the node");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we are dropping anyway
            }
        }
    }
}
