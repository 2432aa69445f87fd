package dev.dynamo.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.client.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientProtocolTest {

    @Test
    void aHelloCarriesItsCredentialsOrNone() {
        Credentials credentials = new Credentials("app", "pässwörd:with/any\u0000bytes");
        assertThat(ClientProtocol.readHello(ClientProtocol.hello(credentials)))
                .hasValueSatisfying(hello -> assertThat(hello.credentials()).isEqualTo(credentials));
        assertThat(ClientProtocol.readHello(ClientProtocol.HELLO))
                .hasValueSatisfying(hello -> assertThat(hello.credentials()).isNull());
    }

    @Test
    void aPeersProofIsNoHello() {
        assertThat(ClientProtocol.readHello(new byte[64])).isEmpty();
        assertThat(ClientProtocol.readHello("dynamo-client/".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void aTruncatedOrOverlongHelloIsMalformed() {
        byte[] hello = ClientProtocol.hello(new Credentials("app", "secret"));
        assertThatThrownBy(() -> ClientProtocol.readHello(Arrays.copyOf(hello, hello.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends inside its credentials");
        assertThatThrownBy(() -> ClientProtocol.readHello(Arrays.copyOf(hello, 16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends before its credentials");
        assertThatThrownBy(() -> ClientProtocol.readHello(Arrays.copyOf(hello, hello.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 bytes too many");
    }

    @Test
    void aRefusalCarriesItsReasonAndTheCredentialsHideThePassword() {
        assertThat(ClientProtocol.refusalReason(ClientProtocol.refusal("wrong user name or password")))
                .hasValue("wrong user name or password");
        assertThat(ClientProtocol.refusalReason(ClientProtocol.WELCOME)).isEmpty();
        assertThat(new Credentials("app", "secret").toString()).contains("app").doesNotContain("secret");
    }
}
