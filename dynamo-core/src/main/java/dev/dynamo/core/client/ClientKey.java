package dev.dynamo.core.client;

import dev.dynamo.core.key.KeyNames;
import java.util.Arrays;
import java.util.Objects;

/**
 * A bucket and key as a client sends them: not yet validated, so that a node can answer a bad one
 * with {@link FailureKind#BAD_REQUEST} instead of dropping the connection.
 */
public record ClientKey(String bucket, byte[] key) {

    public ClientKey {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKey other && bucket.equals(other.bucket) && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return 31 * bucket.hashCode() + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return bucket + "/" + KeyNames.printable(key);
    }
}
