package dev.dynamo.node.clientapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.DynamoException;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.client.autoconfigure.DynamoClientAutoConfiguration;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Value;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.transport.NettyTransport;
import dev.dynamo.node.transport.TestCertificates;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;

/**
 * A node whose transport requires TLS and whose HTTP port serves HTTPS, both from one PEM SSL bundle; the
 * starter, configured with a trust bundle only, talks to it; clients without that trust cannot.
 */
class TlsClientApiTest {

    @TempDir
    static Path dir;
    private static TestCertificates.Authority authority;
    private static LocalNode node;
    private static String address;

    @BeforeAll
    static void start() {
        authority = TestCertificates.authority(dir, "cluster-ca");
        TestCertificates.Issued certificate = authority.issue("node");
        node = LocalNode.start(
                "--spring.ssl.bundle.pem.node.keystore.certificate=" + certificate.certificate().toUri(),
                "--spring.ssl.bundle.pem.node.keystore.private-key=" + certificate.key().toUri(),
                "--spring.ssl.bundle.pem.node.truststore.certificate=" + authority.certificate().toUri(),
                "--dynamo.transport.ssl.mode=required", "--dynamo.transport.ssl.bundle=node",
                "--server.ssl.bundle=node");
        address = node.bean(NettyTransport.class).localAddress();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theStarterTalksTlsWithATrustBundleAndVerifiesTheHostName() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DynamoClientAutoConfiguration.class))
                .withPropertyValues("dynamo.client.seeds=" + address,
                        "spring.ssl.bundle.pem.nodes.truststore.certificate=" + authority.certificate().toUri(),
                        "dynamo.client.ssl.bundle=nodes")
                .run(context -> {
                    DynamoClient client = context.getBean(DynamoClient.class);
                    client.put("carts", "alice", Value.text("milk"), CausalContext.NONE);

                    assertThat(client.get("carts", "alice").value().asText()).isEqualTo("milk");
                });
    }

    @Test
    void aClientWithoutTheTrustMaterialCannotConnect() throws Exception {
        ClientSettings clear = ClientSettings.of(List.of(address)).withRouting(false);
        ClientSettings trustingTheJdksCas = clear.withTls(SslContextBuilder.forClient().build());

        try (NettyDynamoClient client = new NettyDynamoClient(clear)) {
            assertThatThrownBy(() -> client.get("carts", "alice")).isInstanceOf(DynamoException.class);
        }
        try (NettyDynamoClient client = new NettyDynamoClient(trustingTheJdksCas)) {
            assertThatThrownBy(() -> client.get("carts", "alice")).isInstanceOf(DynamoException.class)
                    .hasStackTraceContaining("TLS with " + address + " failed");
        }
    }

    @Test
    void httpIsServedOverTlsFromTheSameBundle() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(authority.trustBundle().createSslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI health = URI.create("https://localhost:" + node.bean(Environment.class).getProperty("local.server.port")
                + "/actuator/health");

        HttpResponse<String> response = https.send(HttpRequest.newBuilder(health).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }
}
