package dev.dynamo.core.membership;

import dev.dynamo.core.bytes.DecoderFuzzTest;
import dev.dynamo.core.bytes.DecoderProperties;
import java.util.SplittableRandom;

class MembershipViewCodecFuzzTest extends DecoderFuzzTest<MembershipView> {

    MembershipViewCodecFuzzTest() {
        super(new DecoderProperties<>(MembershipViewCodec::encode, MembershipViewCodec::decode), 1,
                MembershipViewCodec.FORMAT);
    }

    @Override
    protected MembershipView randomValue(SplittableRandom random) {
        return new Views(random.nextLong()).next();
    }
}
