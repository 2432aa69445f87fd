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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key's object cannot grow without bound: blind writes that pile up siblings, or siblings that
 * together grow too large, are refused with the limit and the way out, and nothing is stored.
 */
class ObjectLimitsTest {

    @RegisterExtension
    static LocalNode node = LocalNode.withOperator("--dynamo.limits.max-siblings=5",
            "--dynamo.limits.max-object-size=16KB");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void blindWritesPastTheSiblingLimitAreRefusedUntilTheClientResolves() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertThat(put("/kv/carts/piling", "item-" + i, null).statusCode()).isEqualTo(204);
        }

        HttpResponse<String> refused = put("/kv/carts/piling", "item-6", null);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("urn:dynamo:problem:object-limit", "6 siblings",
                "dynamo.limits.max-siblings=5", "resolve its siblings");
        HttpResponse<String> siblings = node.get("/kv/carts/piling");
        assertThat(siblings.statusCode()).isEqualTo(300);
        assertThat(siblings.body()).doesNotContain("item-6");

        ClientMessage binary = node.bean(ClientService.class).handle(new ClientMessage.ClientPut(
                new ClientKey("carts", bytes("piling")), CausalContext.NONE, new Value(bytes("item-7"), "text/plain", 0),
                0)).join();
        assertThat(binary).isInstanceOfSatisfying(ClientMessage.ClientFailure.class,
                failure -> assertThat(failure.kind()).isEqualTo(FailureKind.OBJECT_LIMIT));

        String context = siblings.headers().firstValue("X-Dynamo-Context").orElseThrow();
        assertThat(put("/kv/carts/piling", "merged", context).statusCode()).isEqualTo(204);
        assertThat(node.get("/kv/carts/piling").body()).isEqualTo("merged");
    }

    @Test
    void siblingsThatTogetherPassTheSizeLimitAreRefused() throws Exception {
        String fiveKib = "x".repeat(5 * 1024);
        for (int i = 1; i <= 3; i++) {
            assertThat(put("/kv/carts/large", fiveKib, null).statusCode()).isEqualTo(204);
        }

        HttpResponse<String> refused = put("/kv/carts/large", fiveKib, null);

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("dynamo.limits.max-object-size=16384");
        assertThat(node.get("/kv/carts/large").body().split("x{5120}", -1)).hasSize(4); // still three siblings
    }

    private HttpResponse<String> put(String path, String value, String context) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(node.uri(path)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(value));
        if (context != null) {
            put.header("X-Dynamo-Context", context);
        }
        return http.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
