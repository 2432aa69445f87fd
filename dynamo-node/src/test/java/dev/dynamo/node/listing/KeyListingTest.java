package dev.dynamo.node.listing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.wire.Message.KeysListed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinator's merge of replicas' answers into one page (the whole listing is in KeyListingSimulationTest). */
class KeyListingTest {

    @Test
    void theMergeIsBoundedByTheReplicaThatStoppedFirst() {
        KeyListing.Page page = KeyListing.merge(List.of(
                new KeysListed(List.of(bytes("a"), bytes("c"), bytes("e")), bytes("e")),
                new KeysListed(List.of(bytes("b"), bytes("d")), bytes("d")),
                new KeysListed(List.of(bytes("f")), null)), 10);

        assertThat(page.keys()).extracting(KeyListingTest::text).containsExactly("a", "b", "c", "d");
        assertThat(text(page.next())).as("e and f come on the next page").isEqualTo("d");

        KeyListing.Page full = KeyListing.merge(List.of(
                new KeysListed(List.of(bytes("a"), bytes("b")), null),
                new KeysListed(List.of(bytes("c")), null)), 2);
        assertThat(full.keys()).extracting(KeyListingTest::text).containsExactly("a", "b");
        assertThat(text(full.next())).isEqualTo("b");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
