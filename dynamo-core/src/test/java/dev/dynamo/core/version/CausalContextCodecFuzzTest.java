package dev.dynamo.core.version;

import static dev.dynamo.core.version.CausalContextCodecTest.BUCKET;
import static dev.dynamo.core.version.CausalContextCodecTest.KEY;
import static dev.dynamo.core.version.CausalContextCodecTest.SECRET;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Tokens as a client sends them, and, since nobody without the secret gets past the MAC, token bodies
 * signed with the right key, so that every byte after the MAC check is fuzzed too.
 */
class CausalContextCodecFuzzTest extends DecoderFuzzTest<VersionVector> {

    private static final CausalContextCodec CODEC = new CausalContextCodec(SECRET);

    /** Token bytes without their MAC, which decoding adds. */
    private static final DecoderProperties<VersionVector> SIGNED_BODIES = new DecoderProperties<>(
            context -> {
                byte[] token = Base64.getUrlDecoder().decode(CODEC.encode(context, BUCKET, KEY));
                return Arrays.copyOf(token, token.length - CausalContextCodec.MAC_BYTES);
            },
            body -> CODEC.decode(CausalContextCodecTest.signed(SECRET, body), BUCKET, KEY));

    /** Tokens as their characters' bytes. */
    CausalContextCodecFuzzTest() {
        super(new DecoderProperties<>(context -> CODEC.encode(context, BUCKET, KEY).getBytes(ISO_8859_1),
                token -> CODEC.decode(new String(token, ISO_8859_1), BUCKET, KEY),
                CausalContextCodec.MAX_TOKEN_CHARS + 16), 'A', 'B');
    }

    /** Up to 20 actors, some not ASCII, with small or huge counters. */
    @Override
    protected VersionVector randomValue(SplittableRandom random) {
        Map<String, Long> entries = new HashMap<>();
        for (int i = random.nextInt(21); i > 0; i--) {
            String actor = random.nextBoolean() ? "node-" + random.nextInt(50) : "ñ\uD83D\uDE00" + random.nextInt(9);
            entries.put(actor, random.nextBoolean() ? 1 + random.nextInt(1000)
                    : random.nextLong(1, CausalContextCodec.MAX_COUNTER + 1));
        }
        return VersionVector.of(entries);
    }

    @Test
    void randomSignedBodiesDecodeOrAreRefused() {
        SIGNED_BODIES.randomBytesDecodeOrAreRefused(CausalContextCodec.FORMAT_VERSION);
    }

    @Test
    void mutatedSignedBodiesDecodeOrAreRefused() {
        SIGNED_BODIES.mutatedEncodingsDecodeOrAreRefused(this::randomValue);
    }
}
