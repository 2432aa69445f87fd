package dev.dynamo.node.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link java.net.http.HttpClient} over HTTP/1.1: {@code clients} instances shared round-robin by
 * the workers. The JDK client keeps idle connections without a limit and opens one per concurrent
 * request, so each worker ends up with a kept-alive connection of its own; it sets TCP_NODELAY;
 * each instance has one selector thread. Its default executor (a cached thread pool) hands every
 * response between threads; in one short comparison here it cost about 1.7 times the client CPU
 * per request of an executor of virtual threads, which is therefore the default
 * ({@code --executor virtual}). One shared client did better than 4 or 32 (one per worker).
 */
final class JdkHttpDriver implements HttpDriver {

    private final String base;
    private final Duration timeout;
    private final HttpClient[] clients;
    private final ExecutorService executor;

    /** @param executor {@code virtual} (virtual thread per task) or {@code jdk-default} */
    JdkHttpDriver(String base, int clients, String executor, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.clients = new HttpClient[clients];
        this.executor = switch (executor) {
            case "virtual" -> Executors.newVirtualThreadPerTaskExecutor();
            case "jdk-default" -> null;
            default -> throw new IllegalArgumentException("--executor must be virtual or jdk-default, was " + executor);
        };
        for (int i = 0; i < clients; i++) {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
            if (this.executor != null) {
                builder.executor(this.executor);
            }
            this.clients[i] = builder.build();
        }
    }

    @Override
    public Reply get(int worker, String path) throws Exception {
        HttpResponse<byte[]> response = client(worker).send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.body().length, response.headers().firstValue(CONTEXT).orElse(null));
    }

    @Override
    public Reply put(int worker, String path, String context, byte[] value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value));
        if (context != null) {
            request.header(CONTEXT, context);
        }
        HttpResponse<Void> response = client(worker).send(request.build(), HttpResponse.BodyHandlers.discarding());
        return new Reply(response.statusCode(), 0, response.headers().firstValue(CONTEXT).orElse(null));
    }

    private HttpClient client(int worker) {
        return clients[worker % clients.length];
    }

    @Override
    public void close() {
        for (HttpClient client : clients) {
            client.close();
        }
        if (executor != null) {
            executor.close();
        }
    }
}
