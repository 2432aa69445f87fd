package dev.dynamo.node.it;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.cli.PathSegments;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 client for one node's API ({@code /kv/{bucket}/{key}}), for tests. Keys are
 * UTF-8 text, percent-encoded here; every request is bounded by {@link #REQUEST_TIMEOUT}. Protected
 * endpoints are called as the operator {@link NodeProcess} starts nodes with.
 */
public final class KvClient implements AutoCloseable {

    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    private static final String OPERATOR_AUTHORIZATION = "Basic " + Base64.getEncoder().encodeToString(
            (NodeProcess.OPERATOR + ":" + NodeProcess.OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final URI baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    public KvClient(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public HttpResponse<byte[]> put(String bucket, String key, byte[] value) throws IOException, InterruptedException {
        return send(request(bucket, key).header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofByteArray(value)));
    }

    /** A PUT that supersedes the versions {@code context} (an {@code X-Dynamo-Context} from an earlier answer) names. */
    public HttpResponse<byte[]> put(String bucket, String key, byte[] value, String context)
            throws IOException, InterruptedException {
        return send(request(bucket, key).header("Content-Type", "application/octet-stream")
                .header("X-Dynamo-Context", context).PUT(BodyPublishers.ofByteArray(value)));
    }

    public HttpResponse<byte[]> get(String bucket, String key) throws IOException, InterruptedException {
        return send(request(bucket, key).GET());
    }

    /** A GET that asks for siblings as JSON ({@code {"context":..., "siblings":[{"value": base64}, ...]}}) on 300. */
    public HttpResponse<byte[]> getAcceptingJson(String bucket, String key) throws IOException, InterruptedException {
        return send(request(bucket, key).header("Accept", "application/json").GET());
    }

    public HttpResponse<byte[]> delete(String bucket, String key) throws IOException, InterruptedException {
        return send(request(bucket, key).DELETE());
    }

    /** A DELETE that supersedes the versions {@code context} names. */
    public HttpResponse<byte[]> delete(String bucket, String key, String context)
            throws IOException, InterruptedException {
        return send(request(bucket, key).header("X-Dynamo-Context", context).DELETE());
    }

    public HttpResponse<byte[]> health() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(baseUrl.resolve("/actuator/health")).timeout(HEALTH_TIMEOUT).GET());
    }

    /** {@code GET /actuator/ring/{bucket}/{key}}: the key's replicas as each holds it. */
    public HttpResponse<byte[]> replicas(String bucket, String key) throws IOException, InterruptedException {
        return send(operator("/actuator/ring/" + PathSegments.encode(bucket) + "/" + PathSegments.encode(key)).GET());
    }

    /**
     * Null when all 3 replicas of {@code key} hold exactly {@code value} per
     * {@link #replicas(String, String)}, with no replica in error and no sibling; else what they hold.
     */
    public String replicasHold(String bucket, String key, String value) throws IOException, InterruptedException {
        List<String> expected = List.of(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        return unlessReplicas(bucket, key, views -> views.size() == 3 && views.stream().allMatch(
                r -> r.get("error") == null
                        && JsonPath.parse(r).<List<String>>read("$.siblings[*].valueBase64").equals(expected)));
    }

    /**
     * Null when every replica of {@code key} holds nothing for it (no sibling, not even a tombstone, and
     * an empty clock: the key was reaped) per {@link #replicas(String, String)}; else what they hold.
     */
    public String replicasHoldNothing(String bucket, String key) throws IOException, InterruptedException {
        return unlessReplicas(bucket, key, views -> views.stream().allMatch(r -> r.get("error") == null
                && ((List<?>) r.get("siblings")).isEmpty() && ((Map<?, ?>) r.get("clock")).isEmpty()));
    }

    /** Null when the replica views of {@code key} satisfy {@code met}; else the views (or the refusal). */
    private String unlessReplicas(String bucket, String key, Predicate<List<Map<String, Object>>> met)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> replicas = replicas(bucket, key);
        if (replicas.statusCode() != 200) {
            return text(replicas);
        }
        DocumentContext view = JsonPath.parse(new String(replicas.body(), StandardCharsets.UTF_8));
        return met.test(view.read("$.replicas")) ? null : view.jsonString();
    }

    /** {@code DELETE /kv/{bucket}}, a truncation, with the operator's credentials. */
    public HttpResponse<byte[]> truncate(String bucket) throws IOException, InterruptedException {
        return send(operator("/kv/" + PathSegments.encode(bucket)).DELETE());
    }

    /** {@code GET path} with the operator's credentials. */
    public HttpResponse<byte[]> operatorGet(String path) throws IOException, InterruptedException {
        return send(operator(path).GET());
    }

    /** {@code GET /actuator/ring}: members, owners and preference lists, this node's transfers. */
    public HttpResponse<byte[]> ring() throws IOException, InterruptedException {
        return send(operator("/actuator/ring").GET());
    }

    /** {@code GET /admin/api/members}: the members, the ring change under way, this node's transfers. */
    public HttpResponse<byte[]> members() throws IOException, InterruptedException {
        return send(operator("/admin/api/members").GET());
    }

    /** {@code POST /admin/api/members} with {@code json} as the body, sent as is (so it may be malformed). */
    public HttpResponse<byte[]> addMember(String json) throws IOException, InterruptedException {
        return send(operator("/admin/api/members").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)));
    }

    /** {@code DELETE /admin/api/members/{id}}. */
    public HttpResponse<byte[]> removeMember(String id) throws IOException, InterruptedException {
        return send(operator("/admin/api/members/" + PathSegments.encode(id)).DELETE());
    }

    /** Whether health answers 200 now; {@code false} when the node cannot be reached. */
    public boolean isHealthy() {
        try {
            return health().statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return baseUrl.toString();
    }

    /** A response's body as text, for failure messages. */
    public static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("")
                + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String bucket, String key) {
        return HttpRequest.newBuilder(baseUrl.resolve("/kv/" + PathSegments.encode(bucket) + "/"
                + PathSegments.encode(key))).timeout(REQUEST_TIMEOUT);
    }

    private HttpRequest.Builder operator(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path)).header("Authorization", OPERATOR_AUTHORIZATION)
                .timeout(REQUEST_TIMEOUT);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), BodyHandlers.ofByteArray());
    }
}
