package dev.dynamo.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link DynamoClient#keys}: a page fetched only as the stream comes to it, each page's next followed to the end. */
class KeyPagesTest {

    /**
     * A bucket listed as a node lists it: a page looks at no more than {@code scan} keys after its {@code after}
     * (nor more than asked), holds the live ones among them, and names the last it looked at as its next while
     * keys remain. So a run of deleted keys makes an empty page that is not the last.
     */
    private static final class ListedBucket extends FakeDynamoClient {
        /** ASCII, so that their order is unsigned byte order. */
        final NavigableSet<String> keys;
        final Set<String> deleted;
        final int scan;
        /** The {@code after} of each page asked for, in order. */
        final List<String> asked = new ArrayList<>();

        ListedBucket(int scan, List<String> keys, Set<String> deleted) {
            this.scan = scan;
            this.keys = new TreeSet<>(keys);
            this.deleted = deleted;
        }

        @Override
        public CompletableFuture<KeyPage> listKeysAsync(String bucket, byte[] after, int limit) {
            assertThat(limit).isEqualTo(DynamoClient.KEYS_PAGE);
            asked.add(after == null ? null : new String(after, UTF_8));
            NavigableSet<String> rest = after == null ? keys : keys.tailSet(new String(after, UTF_8), false);
            List<String> looked = rest.stream().limit(Math.min(scan, limit)).toList();
            List<byte[]> live = looked.stream().filter(key -> !deleted.contains(key)).map(key -> key.getBytes(UTF_8))
                    .toList();
            return CompletableFuture.completedFuture(new KeyPage(live,
                    rest.size() > looked.size() ? looked.getLast().getBytes(UTF_8) : null));
        }
    }

    private static List<String> numbered(int count) {
        return IntStream.range(0, count).mapToObj("k%04d"::formatted).toList();
    }

    @Test
    void pagesAreFetchedOnlyAsTheStreamComesToThem() {
        ListedBucket bucket = new ListedBucket(Integer.MAX_VALUE, numbered(2500), Set.of());

        Stream<String> keys = bucket.keysAsText("b");
        assertThat(bucket.asked).as("nothing is fetched before the stream is used").isEmpty();
        assertThat(keys.limit(DynamoClient.KEYS_PAGE).toList()).hasSize(1000).startsWith("k0000").endsWith("k0999");
        assertThat(bucket.asked).as("the first page serves its keys alone").containsExactly((String) null);

        bucket.asked.clear();
        assertThat(bucket.keysAsText("b").limit(1001).toList()).endsWith("k0999", "k1000");
        assertThat(bucket.asked).containsExactly(null, "k0999");

        bucket.asked.clear();
        try (Stream<byte[]> closed = bucket.keys("b")) {
            assertThat(closed.iterator().next()).isEqualTo("k0000".getBytes(UTF_8));
        }
        assertThat(bucket.asked).as("a stream closed early fetched no further").containsExactly((String) null);
    }

    @Test
    void eachPagesNextIsFollowedUntilAPageHasNone() {
        ListedBucket bucket = new ListedBucket(Integer.MAX_VALUE, numbered(2500), Set.of());
        assertThat(bucket.keysAsText("b").toList()).isEqualTo(numbered(2500));
        assertThat(bucket.asked).containsExactly(null, "k0999", "k1999");
    }

    @Test
    void anEmptyPageWithANextIsNotTheEnd() {
        ListedBucket bucket = new ListedBucket(3, List.of("a", "b", "c", "d", "e", "f", "g"),
                Set.of("b", "c", "d", "e", "f"));
        assertThat(bucket.keysAsText("b").toList()).containsExactly("a", "g");
        assertThat(bucket.asked).as("pages [a] after c, [] after f, [g] the last").containsExactly(null, "c", "f");
    }

    @Test
    void anEmptyBucketIsOnePage() {
        ListedBucket bucket = new ListedBucket(3, List.of(), Set.of());
        assertThat(bucket.keys("b")).isEmpty();
        assertThat(bucket.asked).containsExactly((String) null);
    }

    @Test
    void aPageThatCannotBeFetchedFailsTheStreamWithItsException() {
        DynamoClient down = new FakeDynamoClient() {
            @Override
            public CompletableFuture<KeyPage> listKeysAsync(String bucket, byte[] after, int limit) {
                return CompletableFuture.failedFuture(new DynamoUnavailableException("no node answered", null));
            }
        };
        assertThatThrownBy(() -> down.keys("b").toList()).isInstanceOf(DynamoUnavailableException.class)
                .hasMessage("no node answered");
    }

    @Test
    void theNettyClientRefusesAPageItCannotAskForBeforeSendingIt() {
        try (NettyDynamoClient client = new NettyDynamoClient(ClientSettings.of(List.of()))) {
            for (int limit : new int[] {0, -1, DynamoClient.KEYS_PAGE + 1}) {
                assertThatThrownBy(() -> client.listKeysAsync("b", null, limit))
                        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1 to 1000 keys");
            }
            assertThatThrownBy(() -> client.listKeysAsync("no/slash", null, 10))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("bucket name");
            assertThatThrownBy(() -> client.listKeysAsync("b", new byte[0], 10))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("key must be 1 to 1024 bytes");
            assertThatThrownBy(() -> client.listKeysAsync("b", new byte[1025], 10))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("key must be 1 to 1024 bytes");
        }
    }
}
