package dev.dynamo.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.dynamo.node.LocalNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node with operator credentials: health's status and the data API are open, the other endpoints need HTTP Basic. */
class OperatorAuthenticationTest {

    @RegisterExtension
    static final LocalNode node = LocalNode.withOperator();

    @Test
    void healthIsOpenButItsDetailsAreTheOperators() throws Exception {
        HttpResponse<String> anonymous = node.get("/actuator/health");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\"").doesNotContain("components", "unreachable");
        assertThat(node.get("/actuator/health/ring").statusCode()).as("a component, hidden").isEqualTo(404);
        HttpResponse<String> operator = node.getAsOperator("/actuator/health");
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("\"ring\"", "\"storage\"");
        assertThat(node.getAsOperator("/actuator/health/ring").statusCode()).isEqualTo(200);
    }

    @Test
    void theRingNeedsTheOperatorsCredentials() throws Exception {
        HttpResponse<String> anonymous = node.get("/actuator/ring");
        assertUnauthenticated(anonymous, "needs HTTP Basic authentication");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Dynamo\"");

        HttpResponse<String> operator = node.getAsOperator("/actuator/ring");
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat((Boolean) JsonPath.read(operator.body(), "$.formed")).isTrue();
    }

    @Test
    void aWrongPasswordOrUserIsRefused() throws Exception {
        assertUnauthenticated(node.get("/actuator/ring", LocalNode.OPERATOR, "not-the-password"),
                "wrong user name or password");
        assertUnauthenticated(node.get("/actuator/ring", "someone", LocalNode.OPERATOR_PASSWORD),
                "wrong user name or password");
    }

    @Test
    void theAdminApiAndOtherActuatorEndpointsNeedCredentials() throws Exception {
        assertUnauthenticated(node.get("/admin/api/members"), "needs HTTP Basic authentication");
        assertUnauthenticated(node.get("/actuator/prometheus"), "needs HTTP Basic authentication");
        assertUnauthenticated(node.get("/actuator/info"), "needs HTTP Basic authentication");
        assertThat(node.getAsOperator("/actuator/prometheus").statusCode()).isEqualTo(200);
    }

    @Test
    void theDataApiStaysOpenWithoutSecurityHeaders() throws Exception {
        assertThat(node.put("/kv/demo/open", "value").statusCode()).isEqualTo(204);
        HttpResponse<String> get = node.get("/kv/demo/open");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("value");
        assertThat(get.headers().firstValue("Cache-Control")).isEmpty();
    }

    @Test
    void operatorPathsKeepTheStrictFirewallWhileDataKeysMayHoldAnyByte() throws Exception {
        HttpResponse<String> refused = node.getAsOperator("/actuator/ring/demo/a%2F..%2Fb");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((String) JsonPath.read(refused.body(), "$.detail")).startsWith("the request was refused");

        assertThat(node.put("/kv/demo/a%2F..%2Fb%3B%25", "odd").statusCode()).isEqualTo(204);
        assertThat(node.get("/kv/demo/a%2F..%2Fb%3B%25").body()).isEqualTo("odd");
    }

    static void assertUnauthenticated(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat((Integer) JsonPath.read(response.body(), "$.status")).isEqualTo(401);
        assertThat((String) JsonPath.read(response.body(), "$.detail")).contains(reason);
    }
}
