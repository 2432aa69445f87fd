package dev.dynamo.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A single node in the test JVM on free HTTP and transport ports with in-memory storage, and a small
 * HTTP client for it (text bodies, each request bounded by {@link #REQUEST_TIMEOUT}). Either one node
 * per test class ({@code @RegisterExtension static LocalNode node = LocalNode.withOperator();}) or
 * started and closed by the test itself ({@link #start}).
 */
public final class LocalNode implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The operator account of {@link #withOperator()}. */
    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "local-node-test-password";

    private final List<String> args;
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext context;
    private URI base;

    private LocalNode(List<String> args) {
        this.args = args;
    }

    /**
     * A node with the operator account {@link #OPERATOR} and further {@code --property=value} arguments,
     * started before the test class and closed after it.
     */
    public static LocalNode withOperator(String... args) {
        List<String> all = new ArrayList<>(List.of("--spring.security.user.name=" + OPERATOR,
                "--spring.security.user.password=" + OPERATOR_PASSWORD));
        all.addAll(List.of(args));
        return new LocalNode(all);
    }

    /** Starts a node now, with further {@code --property=value} arguments; the caller closes it. */
    public static LocalNode start(String... args) {
        LocalNode node = new LocalNode(List.of(args));
        node.beforeAll(null);
        return node;
    }

    @Override
    public void beforeAll(ExtensionContext unused) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--dynamo.transport.port=0",
                "--dynamo.storage.engine=memory", "--dynamo.cluster.secret=local-node-test-secret", "--logging.level.root=WARN"));
        all.addAll(args);
        context = new SpringApplicationBuilder(DynamoNodeApplication.class).run(all.toArray(String[]::new));
        base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    @Override
    public void afterAll(ExtensionContext unused) {
        close();
    }

    /** The node's bean of {@code type}. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Every bean of the node's application context, by name. */
    public Map<String, Object> beans() {
        return context.getBeansOfType(Object.class);
    }

    /** The address of {@code path} on this node. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    /** {@code GET path} without credentials. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /** {@code GET path} with HTTP Basic credentials. */
    public HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        return send(request(path).header("Authorization", basic(user, password)).GET());
    }

    /** {@code GET path} as the operator of {@link #withOperator()}. */
    public HttpResponse<String> getAsOperator(String path) throws IOException, InterruptedException {
        return get(path, OPERATOR, OPERATOR_PASSWORD);
    }

    /** {@code PUT path} with a text body and no causal context. */
    public HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return put(path, body, "text/plain");
    }

    /** {@code PUT path} with a body of {@code contentType} and no causal context. */
    public HttpResponse<String> put(String path, String body, String contentType)
            throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType).PUT(BodyPublishers.ofString(body)));
    }

    /** {@code PUT path} with a text body, no causal context and HTTP Basic credentials. */
    public HttpResponse<String> put(String path, String body, String user, String password)
            throws IOException, InterruptedException {
        return send(request(path).header("Authorization", basic(user, password)).header("Content-Type", "text/plain")
                .PUT(BodyPublishers.ofString(body)));
    }

    /** {@code DELETE path} without credentials. */
    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    /** {@code DELETE path} as the operator of {@link #withOperator()}. */
    public HttpResponse<String> deleteAsOperator(String path) throws IOException, InterruptedException {
        return send(request(path).header("Authorization", basic(OPERATOR, OPERATOR_PASSWORD)).DELETE());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.close();
        if (context != null) {
            context.close();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), BodyHandlers.ofString());
    }
}
