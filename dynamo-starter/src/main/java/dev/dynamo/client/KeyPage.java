package dev.dynamo.client;

import java.util.List;

/**
 * A page of a bucket's keys ({@link DynamoClient#listKeysAsync}), in unsigned byte order. {@code next} is the
 * {@code after} of the following page, {@code null} when the listing is complete; a page may hold fewer keys
 * than asked, even none, and still have a next one.
 */
public record KeyPage(List<byte[]> keys, byte[] next) {

    public KeyPage {
        keys = List.copyOf(keys);
    }

    /** Whether this is the listing's last page. */
    public boolean complete() {
        return next == null;
    }
}
