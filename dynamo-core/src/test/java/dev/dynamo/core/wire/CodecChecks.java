package dev.dynamo.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.bytes.ByteWriter;
import java.util.function.Consumer;
import java.util.function.Function;

/** The checks both protocols' codec tests make, of a codec given as its two functions. */
record CodecChecks<M>(Function<M, byte[]> encode, Function<byte[], M> decode) {

    void roundTrip(M message) {
        assertThat(decode.apply(encode.apply(message))).isEqualTo(message);
    }

    /** Anything but an IllegalArgumentException escapes and fails the test. */
    void decodesOrRejects(byte[] bytes) {
        M decoded;
        try {
            decoded = decode.apply(bytes);
        } catch (IllegalArgumentException rejected) {
            assertThat(rejected).hasMessageContaining("message ");
            return;
        }
        roundTrip(decoded);
    }

    void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> decode.apply(bytes))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    /** A message of type {@code tag} with {@code body} after it. */
    static byte[] bytes(int tag, Consumer<ByteWriter> body) {
        ByteWriter w = new ByteWriter(16);
        w.writeByte(tag);
        body.accept(w);
        return w.toByteArray();
    }
}
