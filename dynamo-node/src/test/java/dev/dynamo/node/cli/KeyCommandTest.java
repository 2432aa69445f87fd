package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

class KeyCommandTest {

    @Test
    void eachPartOfTheKeyIsEncodedAndItsSlashesKept() {
        assertThat(KeyCommand.path("my bucket", "a b/ü?/x")).isEqualTo("/actuator/ring/my%20bucket/a%20b/%C3%BC%3F/x");
    }

    @Test
    void valuesShowAsTextWhenPrintableElseBase64() {
        assertThat(KeyCommand.value(base64("hello wörld".getBytes(StandardCharsets.UTF_8)))).isEqualTo("hello wörld");
        assertThat(KeyCommand.value(base64(new byte[] {(byte) 0xff, 0}))).isEqualTo("base64 /wA=");
        assertThat(KeyCommand.value(base64("two\nlines".getBytes(StandardCharsets.UTF_8)))).startsWith("base64 ");
        assertThat(KeyCommand.value(JsonNodeFactory.instance.nullNode())).isEqualTo("(too large to show)");
    }

    @Test
    void eachReplicaShowsItsVersionsOrWhyNot() {
        String text = KeyCommand.render(JsonMapper.builder().build().readTree("""
                {"bucket": "b", "key": "k", "partition": 7, "position": "00ff", "preferenceList": ["n1", "n2", "n3"],
                 "replicas": [
                   {"node": "n1", "address": "h1:1", "error": null, "clock": {"n1@1": 2},
                    "siblings": [
                      {"dot": "n1@1:1", "contentType": "text/plain", "timestamp": 0, "tombstone": false,
                       "expiresAt": 60000, "size": 1, "valueBase64": "YQ=="},
                      {"dot": "n1@1:2", "contentType": null, "timestamp": 0, "tombstone": true, "size": 0,
                       "valueBase64": ""}]},
                   {"node": "n2", "address": "h2:1", "error": null, "clock": {}, "siblings": []},
                   {"node": "n3", "address": "h3:1", "error": "timed out", "clock": {}, "siblings": []}]}
                """));
        assertThat(text).startsWith("b/k is in partition 7 (position 00ff), preference list n1, n2, n3\n")
                .contains("n1 (h1:1): version vector n1@1:2; 2 siblings (concurrent versions)\n")
                .contains("n1@1:1  1970-01-01T00:00:00Z  1970-01-01T00:01:00Z  text/plain    1 B   a\n")
                .contains("never")
                .contains("deleted (tombstone)")
                .contains("n2 (h2:1): holds no version of this key\n")
                .contains("n3 (h3:1): did not answer: timed out\n");
    }

    private static tools.jackson.databind.JsonNode base64(byte[] value) {
        return JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(value));
    }
}
