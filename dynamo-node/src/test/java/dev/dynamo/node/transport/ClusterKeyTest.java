package dev.dynamo.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The handshake's proofs, bound to their channel. */
class ClusterKeyTest {

    private final ClusterKey key = new ClusterKey(TestTransports.peerKey(TestTransports.SECRET));
    private final byte[] nonce = ClusterKey.nonce();

    @Test
    void aProofVerifiesOnTheChannelItWasMadeFor() {
        byte[] binding = binding(1);

        assertThat(key.verify(ClusterKey.CLIENT, nonce, binding, key.proof(ClusterKey.CLIENT, nonce, binding))).isTrue();
    }

    @Test
    void aProofRelayedOntoAnotherTlsChannelDoesNotVerify() {
        // a node that dialled a relay answers the challenge the relay passed on from its own channel to us
        byte[] relayed = key.proof(ClusterKey.CLIENT, nonce, binding(1));

        assertThat(key.verify(ClusterKey.CLIENT, nonce, binding(2), relayed)).isFalse();
        assertThat(key.verify(ClusterKey.CLIENT, nonce, ChannelBinding.CLEAR, relayed)).isFalse();
    }

    @Test
    void aProofMadeInClearDoesNotVerifyOverTls() {
        assertThat(key.verify(ClusterKey.CLIENT, nonce, binding(1),
                key.proof(ClusterKey.CLIENT, nonce, ChannelBinding.CLEAR))).isFalse();
    }

    /** Two certificates' fingerprints, as {@link ChannelBinding} makes them, different for each {@code channel}. */
    private static byte[] binding(int channel) {
        byte[] binding = new byte[64];
        Arrays.fill(binding, (byte) channel);
        return binding;
    }
}
