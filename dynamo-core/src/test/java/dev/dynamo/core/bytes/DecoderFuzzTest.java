package dev.dynamo.core.bytes;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fuzz suite every decoder of bytes from the network or disk passes ({@link DecoderProperties}):
 * each decoder's test gives its codec, the first bytes it knows and a generator of valid values.
 */
public abstract class DecoderFuzzTest<T> {

    private final DecoderProperties<T> properties;
    private final int[] firstBytes;

    /** @param firstBytes the format bytes or type tags the decoder knows, which half the random inputs start with */
    protected DecoderFuzzTest(DecoderProperties<T> properties, int... firstBytes) {
        this.properties = properties;
        this.firstBytes = firstBytes;
    }

    protected abstract T randomValue(SplittableRandom random);

    @Test
    void randomBytesDecodeOrAreRefused() {
        properties.randomBytesDecodeOrAreRefused(firstBytes);
    }

    @Test
    void validValuesRoundTrip() {
        properties.validValuesRoundTrip(this::randomValue);
    }

    @Test
    void mutatedEncodingsDecodeOrAreRefused() {
        properties.mutatedEncodingsDecodeOrAreRefused(this::randomValue);
    }
}
