package dev.dynamo.node.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.handoff.HintStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's pages and libraries are open; its status and removal preview need the operator. */
class ConsoleApiTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator();

    @Test
    void thePagesAndTheirLibrariesAreServedWithoutCredentials() throws Exception {
        HttpResponse<String> page = node.get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"signin-form\"").contains("js/main.js");
        HttpResponse<String> bare = node.get("/admin");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/admin/"));
        HttpResponse<String> script = node.get("/admin/js/main.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        HttpResponse<String> chartLibrary = node.get("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(chartLibrary.statusCode()).as("the WebJar, by a path without its version").isEqualTo(200);
        assertThat(chartLibrary.body()).contains("export { uPlot as default }");
    }

    @Test
    void theStatusNeedsTheOperator() throws Exception {
        assertProblem(node.get("/admin/api/status"), 401, "needs HTTP Basic authentication");
        assertProblem(node.get("/admin/api/status", LocalNode.OPERATOR, "wrong"), 401, "wrong user name or password");
    }

    @Test
    void theConsolesScriptsGetNoBasicChallengeSoTheBrowserOpensNoPasswordPrompt() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(node.uri("/admin/api/status"))
                    .header("X-Requested-With", "XMLHttpRequest").build(), BodyHandlers.ofString());
            assertProblem(refused, 401, "needs HTTP Basic authentication");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
        assertThat(node.get("/admin/api/status").headers().firstValue("WWW-Authenticate"))
                .as("other clients are challenged").hasValue("Basic realm=\"Dynamo\"");
    }

    @Test
    void theStatusCountsRequestsAndHintsPerOwner() throws Exception {
        assertThat(node.put("/kv/console/k", "v").statusCode()).isEqualTo(204);
        HintStore hints = node.bean(HintStore.class);
        VersionedValue value = VersionedValue.empty().put(VersionedValue.empty().clock(), "x@1",
                new Content("h".getBytes(StandardCharsets.UTF_8), "text/plain", 1, false), ConflictPolicy.SIBLINGS);
        for (String key : List.of("a", "b")) {
            hints.store("node-gone", StorageKey.of("console", key.getBytes(StandardCharsets.UTF_8)), value,
                    ConflictPolicy.SIBLINGS).join();
        }

        HttpResponse<String> status = node.getAsOperator("/admin/api/status");
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        String body = status.body();
        assertThat(JsonPath.<String>read(body, "$.node")).isNotBlank();
        assertThat(JsonPath.<List<Map<String, Object>>>read(body, "$.hints"))
                .containsExactly(Map.of("owner", "node-gone", "count", 2, "capped", false));
        assertThat(JsonPath.<List<String>>read(body, "$.requests[*].operation")).containsExactly("get", "put", "delete");
        assertThat(JsonPath.<List<Integer>>read(body, "$.requests[?(@.operation == 'put')].count").getFirst())
                .isGreaterThanOrEqualTo(1);
        assertThat(JsonPath.<List<Double>>read(body, "$.requests[?(@.operation == 'put')].p99Millis").getFirst())
                .isPositive();
        assertThat(JsonPath.<Map<String, Object>>read(body, "$.antiEntropy"))
                .containsKeys("exchanges", "keysRepaired", "bytesExchanged", "deferredRounds");
        assertThat(((Number) JsonPath.read(body, "$.storageBytes")).longValue()).isPositive();
    }

    @Test
    void theRemovalPreviewNeedsTheOperator() throws Exception {
        assertProblem(node.get("/admin/api/members/any/removal"), 401, "needs HTTP Basic authentication");
    }

    @Test
    void theRemovalPreviewRefusesAnUnknownMemberAndTheLastOne() throws Exception {
        HttpResponse<String> unknown = node.getAsOperator("/admin/api/members/no-such-node/removal");
        assertProblem(unknown, 404, "no member has id 'no-such-node'");

        String self = JsonPath.read(node.getAsOperator("/admin/api/members").body(), "$.self");
        HttpResponse<String> last = node.getAsOperator("/admin/api/members/" + self + "/removal");
        assertProblem(last, 409, "last member");
        assertThat(JsonPath.<List<String>>read(node.getAsOperator("/admin/api/members").body(), "$.members[*].status"))
                .as("a preview changes nothing").containsExactly("UP");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.<String>read(response.body(), "$.detail")).contains(detail);
    }
}
