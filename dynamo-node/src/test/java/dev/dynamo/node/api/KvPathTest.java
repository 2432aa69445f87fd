package dev.dynamo.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KvPathTest {

    @Test
    void decodesTheKeyToRawBytesKeepingEncodedSlashes() {
        KvPath key = KvPath.parse("/kv/b/a%2Fb%FF%25/c");
        assertThat(key.bucket()).isEqualTo("b");
        assertThat(key.key()).containsExactly('a', '/', 'b', 0xff, '%', '/', 'c');
    }

    @Test
    void refusesMalformedPercentEncoding() {
        assertThatThrownBy(() -> KvPath.parse("/kv/b/k%zz")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("malformed percent-encoding");
        assertThatThrownBy(() -> KvPath.parse("/kv/b/k%2")).isInstanceOf(BadRequestException.class);
    }

    /** An empty key or bucket is the KvService's to refuse, for both doors: DoorsRefuseAlikeTest. */
    @Test
    void refusesPathsWithoutAKey() {
        assertThatThrownBy(() -> KvPath.parse("/kv/b")).hasMessageContaining("the key is missing");
    }
}
