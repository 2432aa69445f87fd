package dev.dynamo.core.version;

import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import java.util.SplittableRandom;

class VersionedValueCodecFuzzTest extends DecoderFuzzTest<VersionedValue> {

    VersionedValueCodecFuzzTest() {
        super(new DecoderProperties<>(VersionedValueCodec::encode, VersionedValueCodec::decode),
                VersionedValueCodec.FORMAT_VERSION);
    }

    /** A state some replica had in a random history: siblings, tombstones and clocks of three actors. */
    @Override
    protected VersionedValue randomValue(SplittableRandom random) {
        return History.generate(random.nextLong(), SIBLINGS).randomState();
    }
}
