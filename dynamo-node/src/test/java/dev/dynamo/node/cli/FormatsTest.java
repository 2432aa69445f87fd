package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void bytesInBinaryUnits() {
        assertThat(Formats.bytes(null)).isEqualTo("unknown");
        assertThat(Formats.bytes(0L)).isEqualTo("0 B");
        assertThat(Formats.bytes(1023L)).isEqualTo("1023 B");
        assertThat(Formats.bytes(1536L)).isEqualTo("1.5 KiB");
        assertThat(Formats.bytes(10L << 30)).isEqualTo("10.0 GiB");
    }

    @Test
    void durations() {
        assertThat(Formats.duration(null)).isEqualTo("unknown");
        assertThat(Formats.duration(45L)).isEqualTo("45s");
        assertThat(Formats.duration(200L)).isEqualTo("3m 20s");
        assertThat(Formats.duration(7500L)).isEqualTo("2h 05m");
    }

    @Test
    void partitionsAsRuns() {
        assertThat(Formats.ranges(List.of())).isEmpty();
        assertThat(Formats.ranges(List.of(7))).isEqualTo("7");
        assertThat(Formats.ranges(List.of(0, 1, 2, 5, 9, 10, 11, 13))).isEqualTo("0-2, 5, 9-11, 13");
    }

    @Test
    void countsSayOneOrMany() {
        assertThat(Formats.count(1, "member")).isEqualTo("1 member");
        assertThat(Formats.count(0, "member")).isEqualTo("0 members");
    }
}
