package dev.dynamo.core.ring;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import java.util.Random;
import java.util.SplittableRandom;

public class RingCodecFuzzTest extends DecoderFuzzTest<Ring> {

    RingCodecFuzzTest() {
        super(new DecoderProperties<>(RingCodec::encode, RingCodec::decode), RingCodec.FORMAT);
    }

    /**
     * A ring of 8 to 256 partitions, one to eight members in up to three zones, after up to nine
     * changes; public for the client codec's properties.
     */
    public static Ring randomRing(SplittableRandom random) {
        return PreferenceListTest.randomRing(new Random(random.nextLong()), 1 + random.nextInt(3));
    }

    @Override
    protected Ring randomValue(SplittableRandom random) {
        return randomRing(random);
    }
}
