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

    @Test
    void tierTopicsAreToldApartFromFixedOnes() {
        assertThat(Topics.isTierTopic("tasks.small")).isTrue();
        assertThat(Topics.isTierTopic("results.mid-2")).isTrue();
        assertThat(Topics.isTierTopic(Topics.TASKS_DLQ.name())).isFalse();
        assertThat(Topics.isTierTopic(Topics.TASKS.name())).isFalse();
        assertThat(Topics.isTierTopic("attribution.stuck")).isFalse();
        assertThat(Topics.fixed()).contains(Topics.TASKS, Topics.POLICY, Topics.STATS, Topics.ALERTS).doesNotHaveDuplicates();
    }

    @Test
    void everyDeadLetterTopicAndNothingElseMatchesTheDeadLetterPattern() {
        java.util.function.Predicate<String> matches = name -> Topics.deadLetterTopics().matcher(name).matches();
        assertThat(Topics.TASKS_DLQ.name()).matches(matches);
        assertThat(Topics.ATTRIBUTION_DLQ.name()).matches(matches);
        assertThat(Topics.workerDeadLetters("small").name()).isEqualTo("tasks.small.dlq").matches(matches);
        assertThat(Topics.workerDeadLetters("mid-2").name()).matches(matches);
        assertThat(java.util.List.of("tasks", "tasks.small", "results.small", "results.small.dlq", "tasks.x.dlq.y", "policy",
                "attribution.unmatched")).noneMatch(matches);
    }
}
