package dev.dynamo.node.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.node.DynamoNodeApplication;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A secret that must exist beyond loopback, long enough, and a key of its own per use. */
class ClusterSecretTest {

    @Test
    void aSecretShorterThanSixteenBytesIsRefused() {
        assertThatThrownBy(() -> new ClusterSecret("fifteen-bytes!!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 15 bytes; it needs at least 16");
        assertThatCode(() -> new ClusterSecret("sixteen-bytes!!!")).doesNotThrowAnyException();
    }

    @Test
    void noSecretIsFineOnLoopbackOnly() {
        ClusterSecret none = new ClusterSecret("");
        assertThatCode(() -> none.requireFor("127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> none.requireFor("127.0.0.3")).doesNotThrowAnyException();
        assertThatCode(() -> none.requireFor("localhost")).doesNotThrowAnyException();
        assertThatThrownBy(() -> none.requireFor("0.0.0.0")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dynamo.cluster.secret is empty, but the internode transport listens on 0.0.0.0");
        assertThatThrownBy(() -> none.requireFor("10.1.2.3")).isInstanceOf(IllegalStateException.class);
        assertThatCode(() -> new ClusterSecret("a-secret-of-the-cluster").requireFor("10.1.2.3"))
                .doesNotThrowAnyException();
    }

    @Test
    void eachUseHasItsOwnKeyAndEveryNodeDerivesTheSame() {
        ClusterSecret secret = new ClusterSecret("a-secret-of-the-cluster");

        assertThat(secret.peerKey()).hasSize(32).isEqualTo(new ClusterSecret("a-secret-of-the-cluster").peerKey());
        assertThat(secret.contextKey()).hasSize(32);
        assertThat(Arrays.equals(secret.peerKey(), secret.contextKey())).isFalse();
        assertThat(Arrays.equals(secret.peerKey(), new ClusterSecret("another-secret-of-a-cluster").peerKey())).isFalse();
    }

    @Test
    void derivationIsRfc5869Hkdf() {
        HexFormat hex = HexFormat.of();
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        // RFC 5869, test case 1: the first 32 bytes of its 42-byte output
        assertThat(hex.formatHex(Hkdf.sha256(hex.parseHex("000102030405060708090a0b0c"), ikm,
                hex.parseHex("f0f1f2f3f4f5f6f7f8f9"))))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    }

    @Test
    void aNodeListeningBeyondLoopbackWithoutASecretRefusesToStartAndSaysWhy() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DynamoNodeApplication.class).run(
                "--dynamo.transport.host=0.0.0.0", "--dynamo.storage.engine=memory", "--server.port=0",
                "--dynamo.transport.port=0", "--logging.level.root=OFF"))
                .rootCause().hasMessageContaining("dynamo.cluster.secret is empty")
                .hasMessageContaining("Set dynamo.cluster.secret");
    }
}
