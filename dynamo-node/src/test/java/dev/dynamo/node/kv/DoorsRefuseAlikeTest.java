package dev.dynamo.node.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.clientapi.ClientService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binary client API refuses exactly what HTTP refuses, for the same reason, before anything is
 * stored: both doors go through one KvService.
 */
class DoorsRefuseAlikeTest {

    private static final String VALID = "text/plain";

    private static LocalNode node;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        node = LocalNode.start("--dynamo.limits.max-value-size=1KB");
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        http.close();
        node.close();
    }

    @Test
    void aContentTypeThatIsNoMediaType() throws Exception {
        refusedAlike("/kv/carts/guarded", "not a media type", null, "x", 400, FailureKind.BAD_REQUEST,
                "invalid Content-Type");
    }

    @Test
    void aContentTypeOverTheLimit() throws Exception {
        refusedAlike("/kv/carts/guarded", "text/" + "x".repeat(300), null, "x", 400, FailureKind.BAD_REQUEST,
                "over the limit of 256");
    }

    @Test
    void aBadBucket() throws Exception {
        refusedAlike("/kv/bad!bucket/guarded", VALID, null, "x", 400, FailureKind.BAD_REQUEST, "bucket name must be");
        refusedAlike("/kv//guarded", VALID, null, "x", 400, FailureKind.BAD_REQUEST, "bucket name must be");
    }

    @Test
    void aKeyOfNoBytesOrOver1024() throws Exception {
        refusedAlike("/kv/carts/", VALID, null, "x", 400, FailureKind.BAD_REQUEST, "key must be 1 to 1024 bytes");
        refusedAlike("/kv/carts/" + "k".repeat(1025), VALID, null, "x", 400, FailureKind.BAD_REQUEST,
                "key must be 1 to 1024 bytes");
    }

    @Test
    void aQuorumOutsideOneToN() throws Exception {
        refusedAlike("/kv/carts/guarded?w=4", VALID, null, "x", 400, FailureKind.BAD_REQUEST,
                "w must be an integer from 1 to 3");
        refusedAlike("/kv/carts/guarded?w=-1", VALID, null, "x", 400, FailureKind.BAD_REQUEST,
                "w must be an integer from 1 to 3");

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(node.uri("/kv/carts/guarded?r=9")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        ClientMessage binary = client(new ClientMessage.ClientGet(new ClientKey("carts", bytes("guarded")), 9));
        assertThat(get.statusCode()).isEqualTo(400);
        assertThat(get.body()).contains("r must be an integer from 1 to 3");
        assertRefused(binary, FailureKind.BAD_REQUEST, "r must be an integer from 1 to 3");
    }

    @Test
    void aValueOverTheLimit() throws Exception {
        refusedAlike("/kv/carts/guarded", VALID, null, "x".repeat(1025), 413, FailureKind.VALUE_TOO_LARGE,
                "larger than the limit of 1024 bytes");
    }

    @Test
    void aContextThatIsForgedOrNoContext() throws Exception {
        refusedAlike("/kv/carts/guarded", VALID, "not-a-context!", "x", 400, FailureKind.BAD_REQUEST,
                "invalid X-Dynamo-Context");
        refusedAlike("/kv/carts/guarded", VALID, "AQEBbg", "x", 400, FailureKind.BAD_REQUEST,
                "invalid X-Dynamo-Context");
    }

    @Test
    void aContextReadFromAnotherKey() throws Exception {
        HttpResponse<String> written = node.put("/kv/carts/another", "y");
        String contextOfAnother = written.headers().firstValue("X-Dynamo-Context").orElseThrow();

        refusedAlike("/kv/carts/guarded", VALID, contextOfAnother, "x", 400, FailureKind.BAD_REQUEST,
                "was read from another key");
    }

    /**
     * Puts {@code value} at {@code path} (the bucket and key of a {@code /kv/{bucket}/{key}?w=} path) through
     * both doors, and sees each refuse it saying {@code reason}, and the key still hold nothing.
     */
    private static void refusedAlike(String path, String contentType, String context, String value, int status,
            FailureKind kind, String reason) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(node.uri(path)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(value));
        if (context != null) {
            put.header("X-Dynamo-Context", context);
        }
        HttpResponse<String> refused = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(status);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains(reason);

        String[] parts = path.substring("/kv/".length()).split("\\?w=");
        int slash = parts[0].indexOf('/');
        ClientKey key = new ClientKey(parts[0].substring(0, slash), bytes(parts[0].substring(slash + 1)));
        int w = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        ClientMessage binary = client(new ClientMessage.ClientPut(key, context == null ? CausalContext.NONE
                : new CausalContext(context), new Value(bytes(value), contentType, 0), w));
        assertRefused(binary, kind, reason);

        ClientMessage read = client(new ClientMessage.ClientGet(new ClientKey("carts", bytes("guarded")), 0));
        assertThat(read).isInstanceOfSatisfying(ClientMessage.ClientRead.class,
                found -> assertThat(found.result().siblings()).isEmpty());
    }

    private static void assertRefused(ClientMessage reply, FailureKind kind, String reason) {
        assertThat(reply).isInstanceOfSatisfying(ClientMessage.ClientFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(kind);
            assertThat(failure.reason()).contains(reason);
        });
    }

    private static ClientMessage client(ClientMessage request) {
        return node.bean(ClientService.class).handle(request).join();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
