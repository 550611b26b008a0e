package dev.tierflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void tierTopicsAreDerivedFromTierNames() {
        assertThat(Topics.routedTasks("small").name()).isEqualTo("tasks.small");
        assertThat(Topics.routedTasks("small").valueType()).isEqualTo(RoutedTask.class);
        assertThat(Topics.results("frontier").name()).isEqualTo("results.frontier");
    }

    @Test
    void tierNamesThatCannotBeTopicsOrClashAreRefused() {
        assertThat(Topics.tierNameProblem("mid-2")).isNull();
        assertThat(Topics.tierNameProblem("dlq")).contains("reserved");
        assertThat(Topics.tierNameProblem("Big Tier")).contains("must match");
        assertThatThrownBy(() -> Topics.routedTasks("a/b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid tier name 'a/b'");
    }
}
