package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliOptionsTest {

    @Test
    void defaultsComeFromTheEnvironmentElseTheLocalNodeAndAdmin() {
        CliOptions none = CliOptions.parse(List.of("status"), Map.of());
        assertThat(none.node()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(none.user()).isEqualTo("admin");
        assertThat(none.json()).isFalse();
        assertThat(none.yes()).isFalse();

        CliOptions fromEnv = CliOptions.parse(List.of("status"),
                Map.of("DYNAMO_NODE", "http://10.0.0.1:8081/", "DYNAMO_USER", "ops"));
        assertThat(fromEnv.node()).isEqualTo(URI.create("http://10.0.0.1:8081"));
        assertThat(fromEnv.user()).isEqualTo("ops");
    }

    @Test
    void optionsStandAnywhereAndBeatTheEnvironment() {
        CliOptions options = CliOptions.parse(List.of("members", "--json", "remove", "--node=http://h:1", "-y",
                "--user", "root", "node2"), Map.of("DYNAMO_NODE", "http://other:2", "DYNAMO_USER", "ops"));
        assertThat(options.node()).isEqualTo(URI.create("http://h:1"));
        assertThat(options.user()).isEqualTo("root");
        assertThat(options.json()).isTrue();
        assertThat(options.yes()).isTrue();
        assertThat(options.command()).isEqualTo("members");
        assertThat(options.operands()).containsExactly("remove", "node2");
    }

    @Test
    void afterDoubleDashEverythingIsAnOperand() {
        CliOptions options = CliOptions.parse(List.of("key", "--", "b", "--json"), Map.of());
        assertThat(options.operands()).containsExactly("b", "--json");
        assertThat(options.json()).isFalse();
    }

    @Test
    void noWordsMeansNoCommand() {
        assertThat(CliOptions.parse(List.of("--help"), Map.of()).command()).isNull();
        assertThat(CliOptions.parse(List.of("--help"), Map.of()).help()).isTrue();
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertUsage(List.of("--verbose", "status"), "unknown option --verbose");
        assertUsage(List.of("status", "--node"), "--node needs a value");
        assertUsage(List.of("--json=yes", "status"), "--json takes no value");
        assertUsage(List.of("--node", "127.0.0.1:8080", "status"), "must be a node's base URL");
        assertUsage(List.of("--node", "http://h:1/admin", "status"), "must be a node's base URL");
        assertUsage(List.of("--user=", "status"), "the user name is empty");
    }

    private static void assertUsage(List<String> args, String message) {
        assertThatThrownBy(() -> CliOptions.parse(args, Map.of())).isInstanceOf(CliFailure.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((CliFailure) e).status()).isEqualTo(ExitStatus.USAGE));
    }
}
