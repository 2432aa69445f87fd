package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class NodeApiTest {

    private final NodeApi api = new NodeApi(URI.create("http://127.0.0.1:1"), "u", "p".toCharArray(),
            JsonMapper.builder().build());

    @Test
    void aRefusalIsTheProblemDetailElseTheTitleOrErrorElseTheBody() {
        assertThat(api.reason(404, "{\"title\": \"Unknown member\", \"detail\": \"no member has id 'x'\"}"))
                .isEqualTo("no member has id 'x'");
        assertThat(api.reason(409, "{\"title\": \"Conflict\"}")).isEqualTo("Conflict");
        assertThat(api.reason(500, "{\"error\": \"Internal Server Error\"}")).isEqualTo("Internal Server Error");
        assertThat(api.reason(502, "<html>\n bad   gateway</html>")).isEqualTo("<html> bad gateway</html>");
        assertThat(api.reason(503, "")).isEqualTo("the node answered HTTP 503");
        assertThat(api.reason(400, "x".repeat(300))).hasSize(201).endsWith("…");
    }
}
