package dev.dynamo.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.key.StorageKey;
import org.junit.jupiter.api.Test;

class KvPathTest {

    @Test
    void decodesTheKeyToRawBytesKeepingEncodedSlashes() {
        StorageKey key = KvPath.parse("/kv/b/a%2Fb%FF%25/c");
        assertThat(key.bucket()).isEqualTo("b");
        assertThat(key.key()).containsExactly('a', '/', 'b', 0xff, '%', '/', 'c');
    }

    @Test
    void refusesMalformedPercentEncoding() {
        assertThatThrownBy(() -> KvPath.parse("/kv/b/k%zz")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("malformed percent-encoding");
        assertThatThrownBy(() -> KvPath.parse("/kv/b/k%2")).isInstanceOf(BadRequestException.class);
    }

    @Test
    void refusesPathsWithoutBucketOrKey() {
        assertThatThrownBy(() -> KvPath.parse("/kv/b")).hasMessageContaining("the key is missing");
        assertThatThrownBy(() -> KvPath.parse("/kv/b/")).hasMessageContaining("key must be 1 to 1024 bytes");
        assertThatThrownBy(() -> KvPath.parse("/kv//k")).hasMessageContaining("bucket name must be");
    }
}
