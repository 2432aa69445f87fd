package dev.dynamo.core.wire;

import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import dev.dynamo.core.version.History;
import java.util.SplittableRandom;

/** The peers' messages; every key in them goes through {@code StorageKey.decode}, every value through its codec. */
class MessageCodecFuzzTest extends DecoderFuzzTest<Message> {

    MessageCodecFuzzTest() {
        super(new DecoderProperties<>(MessageCodec::encode, MessageCodec::decode), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30,
                31, 32, 40, 41, 50, 51, 52, 53, 54, 55, 56, 57);
    }

    @Override
    protected Message randomValue(SplittableRandom random) {
        return MessageCodecTest.randomMessage(History.generate(random.nextLong(), SIBLINGS));
    }
}
