package dev.dynamo.core.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The properties every decoder of bytes from the network or disk must have, checked over seeded
 * random inputs: random bytes and mutated valid encodings decode to a value that re-encodes to
 * itself, or are refused with an IllegalArgumentException, and neither allocates more than the bytes
 * could hold; valid values round-trip. A failing input is shrunk before it is reported, with the
 * seed that replays it.
 *
 * <p>{@code -Ddynamo.fuzz.tries=N} runs N tries per property (default 1000), {@code
 * -Ddynamo.fuzz.seed=S} starts at another seed (try i uses seed S + i).
 *
 * @param maxInput the most bytes an input has: what the caller lets the decoder read at most
 */
public record DecoderProperties<T>(Function<T, byte[]> encode, Function<byte[], T> decode, int maxInput) {

    static final int TRIES = Integer.getInteger("dynamo.fuzz.tries", 1000);
    static final long SEED = Long.getLong("dynamo.fuzz.seed", 0);

    /**
     * The most a decode of {@code n} bytes may allocate: {@code 128 n + 64 KiB}. A correct decode builds
     * objects in proportion to its input: the densest valid encodings measured (3000 empty values in a
     * client read, 3000 one-character member entries or clock actors) cost 70 to 93 bytes per input byte,
     * each string going through a decoder and each collection copied once or twice. The constant covers
     * an exception and its stack trace and a context token's HMAC (under 10 KiB measured). A decoder that
     * sizes a list by a count it read before checking the count against the bytes left goes far over:
     * 12 bytes claiming 34040 ring members pre-sized a list of 136 KiB.
     */
    static final int ALLOCATED_PER_INPUT_BYTE = 128;
    static final int ALLOCATED_BEYOND_INPUT = 64 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Numbers a count, length or index is likely to break on. */
    private static final long[] EDGES = {0, 1, -1, 127, 128, 255, 0xFFFF, 0x10000, Integer.MAX_VALUE, 1L << 31,
            1L << 32, Long.MAX_VALUE, Long.MIN_VALUE};

    /** A codec whose decoder may be handed inputs of up to 4 KiB in these properties. */
    public DecoderProperties(Function<T, byte[]> encode, Function<byte[], T> decode) {
        this(encode, decode, 4096);
    }

    /** Random bytes, and random bytes after one of {@code firstBytes} (the formats or tags it knows). */
    public void randomBytesDecodeOrAreRefused(int... firstBytes) {
        forAllBytes(random -> {
            byte[] bytes = randomBytes(random, maxInput);
            if (bytes.length > 0 && firstBytes.length > 0 && random.nextBoolean()) {
                bytes[0] = (byte) firstBytes[random.nextInt(firstBytes.length)];
            }
            return bytes;
        }, this::decodesOrRefuses);
    }

    /** Values made by {@code valid} round-trip. */
    public void validValuesRoundTrip(Function<SplittableRandom, T> valid) {
        forAll(valid, value -> assertThat(decode.apply(encode.apply(value))).isEqualTo(value),
                (value, failure) -> String.valueOf(value));
    }

    /** Encodings of values made by {@code valid}, changed one to four times, decode or are refused. */
    public void mutatedEncodingsDecodeOrAreRefused(Function<SplittableRandom, T> valid) {
        forAllBytes(random -> mutate(encode.apply(valid.apply(random)), random), this::decodesOrRefuses);
    }

    /**
     * Only an IllegalArgumentException may escape; what decodes must survive encoding and decoding
     * unchanged; and decoding must stay within its allocation budget.
     */
    private void decodesOrRefuses(byte[] input) {
        long budget = (long) ALLOCATED_PER_INPUT_BYTE * input.length + ALLOCATED_BEYOND_INPUT;
        Decoded<T> decoded = measured(input, decode);
        // The first decodes of a run load and initialise classes, which counts as allocation: measure again.
        decoded = decoded.allocated() <= budget ? decoded : measured(input, decode);
        assertThat(decoded.allocated()).as("bytes allocated decoding %d bytes", input.length)
                .isLessThanOrEqualTo(budget);
        if (decoded.value() != null) {
            assertThat(decode.apply(encode.apply(decoded.value()))).isEqualTo(decoded.value());
        }
    }

    /** Bytes allocated decoding {@code input}, refused or not: the fewer of two decodes, as the first may load classes. */
    public static long allocatedDecoding(byte[] input, Function<byte[], ?> decode) {
        return Math.min(measured(input, decode).allocated(), measured(input, decode).allocated());
    }

    /** {@code value} null when refused. */
    private record Decoded<T>(T value, long allocated) {
    }

    private static <T> Decoded<T> measured(byte[] input, Function<byte[], T> decode) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T value;
        try {
            value = decode.apply(input);
        } catch (IllegalArgumentException refused) {
            value = null;
        }
        return new Decoded<>(value, THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private void forAllBytes(Function<SplittableRandom, byte[]> inputs, Consumer<byte[]> property) {
        forAll(random -> cap(inputs.apply(random)), property, (input, failure) -> input.length + " bytes, shrunk to "
                + HexFormat.of().formatHex(shrink(input, property, failure.getClass())));
    }

    private byte[] cap(byte[] input) {
        return input.length > maxInput ? Arrays.copyOf(input, maxInput) : input;
    }

    private static <V> void forAll(Function<SplittableRandom, V> values, Consumer<V> property,
            BiFunction<V, Throwable, String> describe) {
        for (int i = 0; i < TRIES; i++) {
            long seed = SEED + i;
            V value = values.apply(new SplittableRandom(seed));
            try {
                property.accept(value);
            } catch (Throwable failure) {
                throw new AssertionError("fails at seed " + seed + " (replay: -Ddynamo.fuzz.seed=" + seed
                        + " -Ddynamo.fuzz.tries=1) on " + describe.apply(value, failure), failure);
            }
        }
    }

    /** The shortest input found by cutting pieces out of {@code input} that fails the same way. */
    private static byte[] shrink(byte[] input, Consumer<byte[]> property, Class<?> failure) {
        byte[] smallest = input;
        for (int piece = Math.max(1, input.length / 2); piece > 0; piece /= 2) {
            for (int from = 0; from + piece <= smallest.length; ) {
                byte[] cut = replace(smallest, from, piece, new byte[0]);
                if (failure.isInstance(failureOf(property, cut))) {
                    smallest = cut;
                } else {
                    from++;
                }
            }
        }
        return smallest;
    }

    private static Throwable failureOf(Consumer<byte[]> property, byte[] input) {
        try {
            property.accept(input);
            return null;
        } catch (Throwable failure) {
            return failure;
        }
    }

    /** From none to {@code max} bytes, short ones the most often. */
    public static byte[] randomBytes(SplittableRandom random, int max) {
        byte[] bytes = new byte[random.nextInt(1 + (random.nextBoolean() ? Math.min(64, max) : max))];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code valid} changed one to four times: bytes flipped, cut, added, repeated, numbers replaced. */
    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] b = valid;
        for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
            int at = random.nextInt(b.length + 1);
            int left = b.length - at;
            b = switch (random.nextInt(8)) {
                case 0 -> replace(b, at, Math.min(1, left), new byte[] {(byte) random.nextInt(256)});
                case 1 -> Arrays.copyOf(b, at); // truncated
                case 2 -> replace(b, at, 0, randomBytes(random, 16)); // inserted, or extended at the end
                case 3 -> replace(b, at, Math.min(left, 1 + random.nextInt(16)), new byte[0]);
                // a piece of itself elsewhere: a field or an entry repeated, out of place
                case 4 -> replace(b, random.nextInt(b.length + 1), 0,
                        Arrays.copyOfRange(b, at, at + Math.min(left, 1 + random.nextInt(32))));
                // where a one-byte count or length was, a huge, negative or edge one as a varint
                case 5 -> replace(b, at, Math.min(1, left), varint(number(random)));
                // the same as a big-endian number of 2, 4 or 8 bytes, as fixed-width fields are written
                case 6 -> {
                    int width = 1 << (1 + random.nextInt(3));
                    byte[] number = ByteBuffer.allocate(Long.BYTES).putLong(number(random)).array();
                    yield replace(b, at, Math.min(width, left), Arrays.copyOfRange(number, Long.BYTES - width,
                            Long.BYTES));
                }
                default -> {
                    byte[] flipped = b.clone();
                    if (left > 0) {
                        flipped[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    yield flipped;
                }
            };
        }
        return b;
    }

    private static long number(SplittableRandom random) {
        return random.nextBoolean() ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
    }

    private static byte[] varint(long value) {
        ByteWriter w = new ByteWriter(10);
        w.writeVarLong(value);
        return w.toByteArray();
    }

    /** {@code b} with its {@code length} bytes at {@code from} replaced by {@code with}. */
    private static byte[] replace(byte[] b, int from, int length, byte[] with) {
        byte[] out = new byte[b.length - length + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, from + length, out, from + with.length, b.length - from - length);
        return out;
    }
}
