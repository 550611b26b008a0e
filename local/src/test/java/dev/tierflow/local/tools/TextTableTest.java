package dev.tierflow.local.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        TextTable table = new TextTable("TOPIC", "PARTITIONS", "NOTE")
                .row("tasks", 3, "busy")
                .row("stats.role", 12, null);

        assertThat(table.lines("> ")).containsExactly(
                "> TOPIC       PARTITIONS  NOTE",
                "> tasks                3  busy",
                "> stats.role          12  -");
    }

    @Test
    void aRowMustHaveACellPerHeader() {
        assertThatThrownBy(() -> new TextTable("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TextTable("A").isEmpty()).isTrue();
    }
}
