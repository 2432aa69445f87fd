package dev.dynamo.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellWithNoTrailingSpaces() {
        String table = new Table("ID", "PARTITIONS", "ZONE").row("node1", 22, null).row("n2", "21 -> 16", "eu-1")
                .render();
        assertThat(table).isEqualTo("""
                ID     PARTITIONS  ZONE
                node1  22          -
                n2     21 -> 16    eu-1
                """);
    }

    @Test
    void aRowMustFillTheColumns() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
