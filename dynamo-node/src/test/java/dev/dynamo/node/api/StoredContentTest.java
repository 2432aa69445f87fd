package dev.dynamo.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.LocalNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stored values stay inert in a browser, and the console runs only its own scripts. */
class StoredContentTest {

    @RegisterExtension
    static LocalNode node = LocalNode.withOperator();

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "text/html; charset=utf-8", "image/svg+xml", "application/xml",
            "application/atom+xml", "text/javascript", "application/javascript"})
    void aValueABrowserWouldRenderOrRunIsADownloadInASandbox(String type) throws Exception {
        String path = "/kv/inert/" + type.replaceAll("[^a-z]", "-");
        assertThat(node.put(path, "<script>alert(document.domain)</script>", type).statusCode()).isEqualTo(204);

        HttpResponse<String> read = node.get(path);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Disposition")).hasValue("attachment");
        assertInert(read);
    }

    @Test
    void otherValuesAreShownInlineButStillSandboxed() throws Exception {
        assertThat(node.put("/kv/inert/plain", "hello").statusCode()).isEqualTo(204);

        HttpResponse<String> read = node.get("/kv/inert/plain");

        assertThat(read.headers().firstValue("Content-Disposition")).isEmpty();
        assertInert(read);
    }

    @Test
    void refusalsOfTheDataApiAreSandboxedToo() throws Exception {
        HttpResponse<String> missing = node.get("/kv/inert/never-written");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertInert(missing);
    }

    @Test
    void theConsoleLoadsOnlyItsOwnScripts() throws Exception {
        HttpResponse<String> page = node.get("/admin/index.html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("script-src 'self'", "default-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval").doesNotContainPattern("script-src[^;]*unsafe-inline"));
    }

    private static void assertInert(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
    }
}
