package dev.dynamo.core.wire;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.wire.ClientProtocol.Hello;
import java.util.Optional;
import java.util.SplittableRandom;

/** A connection's first frame, as a node reads it before authentication: at most {@link ClientProtocol#MAX_HELLO} bytes. */
class ClientProtocolFuzzTest extends DecoderFuzzTest<Optional<Hello>> {

    /** A first frame that is no hello: a peer's proof is 32 bytes. */
    private static final byte[] PROOF = new byte[32];

    ClientProtocolFuzzTest() {
        super(new DecoderProperties<>(hello -> hello.map(ClientProtocolFuzzTest::encode).orElse(PROOF),
                ClientProtocol::readHello, ClientProtocol.MAX_HELLO));
    }

    private static byte[] encode(Hello hello) {
        return hello.credentials() == null ? ClientProtocol.HELLO : ClientProtocol.hello(hello.credentials());
    }

    @Override
    protected Optional<Hello> randomValue(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(new Hello(null));
            default -> Optional.of(new Hello(new Credentials(
                    ClientMessageCodecFuzzTest.randomText(random, 1, 40), ClientMessageCodecFuzzTest.randomText(random, 0, 40))));
        };
    }
}
