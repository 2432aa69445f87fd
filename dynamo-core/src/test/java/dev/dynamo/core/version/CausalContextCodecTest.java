package dev.dynamo.core.version;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.bytes.ByteWriter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CausalContextCodecTest {

    static final byte[] SECRET = "cluster secret".getBytes(UTF_8);
    private final CausalContextCodec codec = new CausalContextCodec(SECRET);
    private static final String ALTERED = "context was altered, comes from another cluster or was read from another key";
    static final String BUCKET = "carts";
    static final byte[] KEY = "alice".getBytes(UTF_8);

    @Test
    void aContextIsGoodOnlyForTheKeyItWasReadFrom() {
        String token = codec.encode(VersionVector.of(Map.of("a", 2L)), BUCKET, KEY);

        assertThat(codec.decode(token, BUCKET, KEY)).isEqualTo(VersionVector.of(Map.of("a", 2L)));
        assertThatThrownBy(() -> codec.decode(token, BUCKET, "bob".getBytes(UTF_8)))
                .isInstanceOf(InvalidContextException.class).hasMessage(ALTERED);
        assertThatThrownBy(() -> codec.decode(token, "other", KEY)).isInstanceOf(InvalidContextException.class);
    }

    @Test
    void aCounterThatCouldOverflowIsRefused() {
        long limit = CausalContextCodec.MAX_COUNTER;
        assertThat(codec.decode(codec.encode(VersionVector.of(Map.of("a", limit)), BUCKET, KEY), BUCKET, KEY))
                .isEqualTo(VersionVector.of(Map.of("a", limit)));
        assertThatThrownBy(() -> codec.encode(VersionVector.of(Map.of("a", limit + 1)), BUCKET, KEY))
                .hasMessageContaining("counter");
        assertThatThrownBy(() -> codec.decode(signed(SECRET, w -> entries(w, 1, "a", limit + 1)), BUCKET, KEY)).isInstanceOf(InvalidContextException.class)
                .hasMessageContaining("counter above");
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTripsRandomVectors(long seed) {
        Random random = new Random(seed);
        Map<String, Long> entries = new HashMap<>();
        for (int i = random.nextInt(20); i > 0; i--) {
            String actor = random.nextBoolean() ? "node-" + random.nextInt(50) : "ñ\uD83D\uDE00" + random.nextInt(9);
            entries.put(actor, random.nextBoolean() ? 1 + random.nextInt(1000) : random.nextLong(1, CausalContextCodec.MAX_COUNTER + 1));
        }
        VersionVector v = VersionVector.of(entries);
        String token = codec.encode(v, BUCKET, KEY);
        assertThat(token).as("seed %d", seed).matches("[A-Za-z0-9_-]+");
        assertThat(codec.decode(token, BUCKET, KEY)).as("seed %d", seed).isEqualTo(v);
    }

    @Test
    void emptyContextIsAValidTokenInTheDocumentedFormat() {
        String token = codec.encode(VersionVector.empty(), BUCKET, KEY);
        assertThat(codec.decode(token, BUCKET, KEY)).isEqualTo(VersionVector.empty());
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        assertThat(bytes).hasSize(10).startsWith(1, 0);
        assertThat(token).isEqualTo(signed(SECRET, w -> w.writeVarLong(0)));
    }

    @Test
    void tokenFromAnotherSecretIsRejected() {
        VersionVector v = VersionVector.of(Map.of("a", 3L));
        assertThat(new CausalContextCodec("cluster secret".getBytes(UTF_8)).decode(codec.encode(v, BUCKET, KEY), BUCKET, KEY)).isEqualTo(v);
        assertRejected(new CausalContextCodec("other secret".getBytes(UTF_8)), codec.encode(v, BUCKET, KEY),
                ALTERED);
        assertRejected(new CausalContextCodec(new byte[0]), codec.encode(v, BUCKET, KEY),
                ALTERED);
    }

    @Test
    void emptySecretStillDetectsTampering() {
        CausalContextCodec open = new CausalContextCodec(new byte[0]);
        String token = open.encode(VersionVector.of(Map.of("a", 3L)), BUCKET, KEY);
        assertThat(open.decode(token, BUCKET, KEY)).isEqualTo(VersionVector.of(Map.of("a", 3L)));
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        bytes[4] = 4; // the counter: a=3 becomes a=4
        assertRejected(open, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                ALTERED);
    }

    @Test
    void rejectsTokensThatAreNotBase64UrlOrTooLong() {
        for (String bad : new String[] {"ab+c", "ab/c", "AQA=", "A", "é", "a b"}) {
            assertRejected(codec, bad, "context is not base64url");
        }
        assertRejected(codec, null, "context is empty");
        assertRejected(codec, "", "context is empty");
        assertRejected(codec, "A".repeat(8193), "context is longer than 8 KiB");
    }

    @Test
    void rejectsWrongVersionAndTruncation() {
        byte[] good = Base64.getUrlDecoder().decode(codec.encode(VersionVector.of(Map.of("a", 1L, "bb", 300L)), BUCKET, KEY));
        good[0] = 2;
        assertRejected(codec, encode(good), "context format version 2 is not supported");
        good[0] = 1;
        for (int length = 1; length < good.length; length++) {
            assertRejected(codec, encode(Arrays.copyOf(good, length)), "context is truncated");
        }
        assertRejected(codec, signed(SECRET, w -> entries(w, 2, "a", 1)), "context is truncated");
    }

    @Test
    void rejectsBadEntriesEvenWhenSigned() {
        assertRejected(codec, signed(SECRET, w -> {
            entries(w, 1, "a", 1);
            w.writeByte(0);
        }), "context has trailing bytes");
        assertRejected(codec, signed(SECRET, w -> entries(w, 1, "a", 0)), "context has a counter below 1 for actor a");
        assertRejected(codec, signed(SECRET, w -> entries(w, 1, "a", -1)), "context has a counter below 1 for actor a");
        assertRejected(codec, signed(SECRET, w -> entries(w, 1, "", 1)), "context has an empty actor");
        assertRejected(codec, signed(SECRET, w -> entries(w, 1, "x".repeat(256), 1)),
                "context has an actor longer than 255 bytes");
        assertRejected(codec, signed(SECRET, w -> entries(w, 2, "a", 1, "a", 2)), "context lists actor a twice");
        assertRejected(codec, signed(SECRET, w -> entries(w, 2, "b", 1, "a", 2)), "context lists actors out of order");
        assertRejected(codec, signed(SECRET, w -> {
            w.writeVarLong(1025);
            IntStream.range(0, 1025).forEach(i -> entries(w, -1, shortActor(i), 1));
        }), "context has more than 1024 entries");
        assertRejected(codec, signed(SECRET, w -> w.writeRaw(new byte[] {1, 1, (byte) 0xFF, 1})),
                "context has text that is not UTF-8");
    }

    @Test
    void acceptsTheLargestContextAndRefusesToEncodeBeyondIt() {
        Map<String, Long> entries = new HashMap<>();
        IntStream.range(0, 1024).forEach(i -> entries.put(shortActor(i), 1L));
        VersionVector largest = VersionVector.of(entries);
        assertThat(codec.decode(codec.encode(largest, BUCKET, KEY), BUCKET, KEY)).isEqualTo(largest);
        assertThatThrownBy(() -> codec.encode(largest.with("zzz", 1), BUCKET, KEY)).hasMessageContaining("more than 1024");
        VersionVector wide = VersionVector.empty();
        for (int i = 0; i < 1000; i++) {
            wide = wide.with("node-" + shortActor(i), 1);
        }
        VersionVector tooWide = wide;
        assertThatThrownBy(() -> codec.encode(tooWide, BUCKET, KEY)).hasMessageContaining("longer than 8 KiB");
        assertThatThrownBy(() -> codec.encode(VersionVector.of(Map.of("x".repeat(256), 1L)), BUCKET, KEY))
                .hasMessageContaining("longer than 255 bytes");
    }

    @Test
    void isSafeToShareBetweenThreads() {
        IntStream.range(0, 20_000).parallel().forEach(i -> {
            VersionVector v = VersionVector.of(Map.of("node-" + (i % 7), (long) i + 1));
            assertThat(codec.decode(codec.encode(v, BUCKET, KEY), BUCKET, KEY)).isEqualTo(v);
        });
    }

    /** Two-character actors in sorted order, so that 1025 entries still fit in 8 KiB. */
    private static String shortActor(int i) {
        return "" + (char) ('0' + i / 64) + (char) ('0' + i % 64);
    }

    private static void assertRejected(CausalContextCodec codec, String token, String message) {
        assertThatThrownBy(() -> codec.decode(token, BUCKET, KEY)).isInstanceOf(InvalidContextException.class)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /** {@code count} (unless negative) and then actor, counter pairs, as the token body lays them out. */
    private static void entries(ByteWriter w, long count, Object... actorsAndCounters) {
        if (count >= 0) {
            w.writeVarLong(count);
        }
        for (int i = 0; i < actorsAndCounters.length; i += 2) {
            w.writeString((String) actorsAndCounters[i]);
            w.writeVarLong(((Number) actorsAndCounters[i + 1]).longValue());
        }
    }

    /** A format-1 token for BUCKET/KEY with {@code body} after the version byte, signed independently of the codec. */
    private static String signed(byte[] secret, Consumer<ByteWriter> body) {
        ByteWriter w = new ByteWriter(16);
        w.writeByte(1);
        body.accept(w);
        return signed(secret, w.toByteArray());
    }

    /** The token of {@code bytes} (format version included) for BUCKET/KEY, signed independently of the codec. */
    static String signed(byte[] secret, byte[] bytes) {
        ByteWriter w = new ByteWriter(bytes.length + 8);
        w.writeRaw(bytes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(bytes);
            ByteWriter binding = new ByteWriter(16);
            binding.writeString(BUCKET);
            binding.writeVarLong(KEY.length);
            binding.writeRaw(KEY);
            w.writeRaw(Arrays.copyOf(mac.doFinal(binding.toByteArray()), 8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return encode(w.toByteArray());
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
