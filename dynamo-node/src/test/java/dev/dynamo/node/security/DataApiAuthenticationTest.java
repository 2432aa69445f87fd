package dev.dynamo.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.client.AuthenticationFailedException;
import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoException;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.Value;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.transport.NettyTransport;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node with {@code dynamo.security.data-api=authenticated}: the data API, over HTTP and the binary client
 * protocol, serves the data-only account and the operator, refuses anyone else with the reason, and the
 * data-only account reaches no operator endpoint.
 */
class DataApiAuthenticationTest {

    private static final String APP = "app";
    private static final String APP_PASSWORD = "app-secret";

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator("--dynamo.security.data-api=authenticated",
            "--dynamo.security.client.name=" + APP, "--dynamo.security.client.password=" + APP_PASSWORD);

    @Test
    void theHttpDataApiNeedsCredentials() throws Exception {
        HttpResponse<String> anonymous = node.get("/kv/carts/alice");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Dynamo\"");
        assertThat((String) JsonPath.read(anonymous.body(), "$.detail"))
                .contains("dynamo.security.data-api=authenticated");

        assertThat(node.put("/kv/carts/alice", "milk").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = node.get("/kv/carts/alice", APP, "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat((String) JsonPath.read(wrong.body(), "$.detail")).contains("wrong user name or password");
        assertThat(node.get("/kv/carts/alice", APP, APP_PASSWORD).statusCode()).as("nothing was written")
                .isEqualTo(404);
    }

    @Test
    void theDataAccountAndTheOperatorUseTheHttpDataApi() throws Exception {
        assertThat(node.put("/kv/carts/bob", "milk", APP, APP_PASSWORD).statusCode()).isEqualTo(204);
        HttpResponse<String> read = node.get("/kv/carts/bob", APP, APP_PASSWORD);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("milk");
        assertThat(node.getAsOperator("/kv/carts/bob").body()).isEqualTo("milk");
    }

    @Test
    void theDataAccountReachesNoOperatorEndpoint() throws Exception {
        HttpResponse<String> admin = node.get("/admin/api/members", APP, APP_PASSWORD);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(admin.body(), "$.detail")).contains("data-only account");
        assertThat(node.get("/actuator/ring", APP, APP_PASSWORD).statusCode()).isEqualTo(403);
        assertThat(node.get("/actuator/prometheus", APP, APP_PASSWORD).statusCode()).isEqualTo(403);
        assertThat(node.get("/actuator/health", APP, APP_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(node.getAsOperator("/admin/api/members").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientWithoutOrWithWrongCredentialsFailsWithTheNodesReason() {
        try (NettyDynamoClient anonymous = client(null)) {
            assertThatThrownBy(() -> anonymous.get("carts", "carol")).isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("needs credentials").hasMessageContaining("dynamo.client.username")
                    .satisfies(e -> assertThat(((DynamoException) e).kind()).isEqualTo(FailureKind.UNAUTHENTICATED));
        }
        try (NettyDynamoClient wrong = client(new Credentials(APP, "not-the-password"))) {
            assertThatThrownBy(() -> wrong.put("carts", "carol", Value.text("milk"), CausalContext.NONE))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("wrong user name or password");
        }
        try (NettyDynamoClient app = client(new Credentials(APP, APP_PASSWORD))) {
            assertThat(app.get("carts", "carol").isFound()).as("nothing was written").isFalse();
        }
    }

    @Test
    void aClientWithTheDataAccountOrTheOperatorsIsServed() {
        try (NettyDynamoClient app = client(new Credentials(APP, APP_PASSWORD));
                NettyDynamoClient operator = client(new Credentials(LocalNode.OPERATOR, LocalNode.OPERATOR_PASSWORD))) {
            app.put("carts", "dave", Value.text("tea"), CausalContext.NONE);
            assertThat(operator.get("carts", "dave").value().asText()).isEqualTo("tea");
            assertThat(app.fetchRing().join().members()).hasSize(1);
        }
    }

    private static NettyDynamoClient client(Credentials credentials) {
        return new NettyDynamoClient(ClientSettings.of(List.of(node.bean(NettyTransport.class).localAddress()))
                .withCredentials(credentials));
    }
}
