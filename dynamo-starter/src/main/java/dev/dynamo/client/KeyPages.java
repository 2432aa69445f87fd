package dev.dynamo.client;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A bucket's keys, fetched a page at a time ({@link DynamoClient#keys}): the next page only once the keys of
 * the last are used up, so that a stream over them fetches no further than it is consumed.
 */
final class KeyPages implements Iterator<byte[]> {

    private final DynamoClient client;
    private final String bucket;
    private Iterator<byte[]> page = Collections.emptyIterator();
    /** Where the next page starts: null for the first page, and once the last one came. */
    private byte[] after;
    private boolean complete;

    KeyPages(DynamoClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    Stream<byte[]> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED
                | Spliterator.NONNULL), false);
    }

    @Override
    public boolean hasNext() {
        // a page may hold no keys and still not be the last one: only a null next ends the listing
        while (!page.hasNext() && !complete) {
            KeyPage fetched = client.listKeys(bucket, after, DynamoClient.KEYS_PAGE);
            page = fetched.keys().iterator();
            after = fetched.next();
            complete = fetched.complete();
        }
        return page.hasNext();
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.next();
    }
}
