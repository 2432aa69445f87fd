package dev.dynamo.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Data, node id and version actor survive a restart of the node on the same directory. */
class RestartTest {

    @TempDir
    Path data;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void dataSurvivesARestart() throws Exception {
        String context;
        try (ConfigurableApplicationContext node = KvApiTest.startNode(data)) {
            var put = http.send(HttpRequest.newBuilder(uri(node, "/kv/demo/kept")).PUT(HttpRequest.BodyPublishers.ofString("kept"))
                    .build(), BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(204);
            context = put.headers().firstValue("X-Dynamo-Context").orElseThrow();
        }
        try (ConfigurableApplicationContext node = KvApiTest.startNode(data)) {
            var get = http.send(HttpRequest.newBuilder(uri(node, "/kv/demo/kept")).build(), BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("kept");
            assertThat(get.headers().firstValue("X-Dynamo-Context")).hasValue(context);

            // the same actor continues its counter: a write with the old context replaces, never forks
            var put = http.send(HttpRequest.newBuilder(uri(node, "/kv/demo/kept")).PUT(HttpRequest.BodyPublishers.ofString("next"))
                    .header("X-Dynamo-Context", context).build(), BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(204);
            assertThat(http.send(HttpRequest.newBuilder(uri(node, "/kv/demo/kept")).build(), BodyHandlers.ofString()).body())
                    .isEqualTo("next");
        }
    }

    private static URI uri(ConfigurableApplicationContext node, String path) {
        return URI.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port") + path);
    }
}
