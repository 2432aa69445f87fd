package dev.dynamo.client;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteResult;
import dev.dynamo.core.ring.Ring;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A client that supports nothing: a test's fake overrides the calls it serves, and tests the defaults over them. */
abstract class FakeDynamoClient implements DynamoClient {

    @Override
    public CompletableFuture<ReadResult> getAsync(String bucket, byte[] key, int r) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WriteResult> putAsync(String bucket, byte[] key, Value value, CausalContext context,
            int w, Duration ttl) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WriteResult> putIfAbsentAsync(String bucket, byte[] key, Value value, int w,
            Duration ttl) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WriteResult> replaceAsync(String bucket, byte[] key, CausalContext context,
            Value value, int w, Duration ttl) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WriteResult> deleteAsync(String bucket, byte[] key, CausalContext context, int w) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<KeyPage> listKeysAsync(String bucket, byte[] after, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Ring> fetchRing() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
