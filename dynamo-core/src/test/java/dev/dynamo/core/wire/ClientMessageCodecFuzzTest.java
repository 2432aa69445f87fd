package dev.dynamo.core.wire;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.ring.RingCodecFuzzTest;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientKeyPage;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientConditionFailed;
import dev.dynamo.core.wire.ClientMessage.ClientConditionalPut;
import dev.dynamo.core.wire.ClientMessage.ClientRead;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.NotServed;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import dev.dynamo.core.wire.ClientMessage.RingState;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Requests as a node reads them from a client, and replies as the client library reads them from a node. */
class ClientMessageCodecFuzzTest extends DecoderFuzzTest<ClientMessage> {

    private static final FailureKind[] KINDS = FailureKind.values();
    private static final WriteCondition[] CONDITIONS = WriteCondition.values();

    ClientMessageCodecFuzzTest() {
        super(new DecoderProperties<>(ClientMessageCodec::encode, ClientMessageCodec::decode), 60, 61, 62, 63, 64, 65,
                66, 67, 68, 69, 70, 71, 72, 73);
    }

    @Override
    protected ClientMessage randomValue(SplittableRandom random) {
        return switch (random.nextInt(13)) {
            case 0 -> new ClientGet(randomKey(random), random.nextInt());
            case 1 -> new ClientPut(randomKey(random), randomContext(random), randomClientValue(random), random.nextInt(),
                    random.nextBoolean() ? 0 : random.nextLong());
            case 2 -> new ClientDelete(randomKey(random), randomContext(random), random.nextInt());
            case 3 -> new RingFetch();
            case 4 -> new ClientRead(random.nextLong(), new ReadResult(
                    Stream.generate(() -> randomClientValue(random)).limit(random.nextInt(4)).toList(), randomContext(random)));
            case 5 -> new ClientWritten(random.nextLong(), randomContext(random), random.nextInt());
            case 6 -> {
                Map<String, Integer> bucketN = new HashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    bucketN.put(randomText(random), random.nextInt());
                }
                yield new RingState(RingCodecFuzzTest.randomRing(random), random.nextInt(), bucketN, random.nextLong());
            }
            case 7 -> new ClientFailure(random.nextLong(), KINDS[random.nextInt(KINDS.length)], randomText(random),
                    random.nextInt(), random.nextInt());
            case 8 -> new ClientConditionalPut(randomKey(random), CONDITIONS[random.nextInt(CONDITIONS.length)],
                    randomContext(random), randomClientValue(random), random.nextInt(), random.nextInt(), random.nextLong());
            case 9 -> new ClientConditionFailed(random.nextLong(), randomText(random), randomContext(random));
            case 10 -> new ClientListKeys(randomText(random), random.nextBoolean() ? null : randomListedKey(random),
                    random.nextInt());
            case 11 -> new ClientKeyPage(random.nextLong(), Stream.generate(() -> randomListedKey(random))
                    .limit(random.nextInt(4)).toList(), random.nextBoolean() ? null : randomListedKey(random));
            default -> new NotServed(randomText(random));
        };
    }

    private static ClientKey randomKey(SplittableRandom random) {
        return new ClientKey(randomText(random), randomBytes(random));
    }

    /** A key as listings carry them: 1 to 64 bytes, none of a listing's keys being empty. */
    private static byte[] randomListedKey(SplittableRandom random) {
        byte[] key = new byte[random.nextInt(1, 65)];
        random.nextBytes(key);
        return key;
    }

    private static CausalContext randomContext(SplittableRandom random) {
        return random.nextBoolean() ? CausalContext.NONE : new CausalContext(randomText(random));
    }

    private static Value randomClientValue(SplittableRandom random) {
        return new Value(randomBytes(random), randomText(random), random.nextLong());
    }

    private static String randomText(SplittableRandom random) {
        return randomText(random, 0, 12);
    }

    /** {@code min} to {@code max} characters below U+3000: control characters and non-ASCII letters, no surrogates. */
    static String randomText(SplittableRandom random, int min, int max) {
        int[] codePoints = random.ints(random.nextInt(min, max + 1), 0, 0x3000).toArray();
        return new String(codePoints, 0, codePoints.length);
    }

    private static byte[] randomBytes(SplittableRandom random) {
        return DecoderProperties.randomBytes(random, 64);
    }
}
